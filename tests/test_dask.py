"""The distributed engine on a real Dask cluster of two worker processes."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from pytest_httpserver import HTTPServer

from sayso import Article, ConfigurationError
from sayso.batch import summarize_on_dask

from .scripted import base_url, echo_server

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=2, processes=True, dashboard_address=None
    ) as cluster, distributed.Client(cluster) as made:
        yield made


def _made_summarizers() -> int:
    from sayso.batch import _dask

    return len(_dask._MADE)


def test_every_record_ends_once_and_the_endpoint_sets_the_pace(
    client: Any, threaded_httpserver: HTTPServer
) -> None:
    concurrency = echo_server(threaded_httpserver, delay_s=0.05)
    records: list[dict[str, Any] | Article] = [
        {"id": f"r{i}", "text": f"The council said item {i} would be decided on Friday."}
        for i in range(23)
    ]
    records += [Article("as-article", text="The mayor said the bridge would reopen."),
                {"id": "empty", "text": ""}]
    out = list(summarize_on_dask(
        records, cluster=client, max_concurrency=3, chunk_size=2, threads_per_task=1,
        base_url=base_url(threaded_httpserver), model="m",
    ))
    names = [r["input"] for r in out]
    assert sorted(names) == sorted([f"r{i}" for i in range(23)] + ["as-article", "empty"])
    assert len(names) == len(set(names))
    assert [r["input"] for r in out if "error" in r] == ["empty"]
    assert out[names.index("r3")]["output"]["summary"].startswith("About: The council said")
    assert len(threaded_httpserver.log) == 24
    assert 1 < concurrency.peak <= 3
    # Thirteen tasks, and no worker made more than the one Summarizer it keeps (which workers the
    # scheduler chose is its own affair).
    made = list(client.run(_made_summarizers).values())
    assert len(made) == 2 and max(made) == 1


def test_an_openai_client_is_never_sent_to_workers(client: Any) -> None:
    with pytest.raises(ConfigurationError, match="cannot be sent"):
        list(summarize_on_dask([], cluster=client, max_concurrency=2, client=object()))
