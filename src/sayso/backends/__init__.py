"""Endpoints and how requests reach them. The only package that imports openai and instructor."""


__all__ = []
