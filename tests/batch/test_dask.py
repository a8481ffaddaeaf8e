"""Batch evaluation on Dask gives exactly the local batch's output (the dask extra)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytest.importorskip("distributed")  # import guard only: the test extra installs negotiator[dask]

from distributed import Client, LocalCluster
from test_batch import BAD_LINES, line, make_case

from negotiator.batch import local as batch
from negotiator.batch.dask_runner import evaluate_file, run_file


def corpus(path: Path, n: int) -> Path:
    bad = sorted(BAD_LINES.values())
    body = b"\xef\xbb\xbf"  # a byte-order mark on the first line
    for i in range(n):
        text = bad[i % len(bad)] if i % 9 == 4 else line(make_case(i))
        body += text.encode("utf-8") + b"\n"
    body += b"\xff\xfe not utf-8\n"
    body += line(make_case(n)).encode("utf-8")  # no final line break
    path.write_bytes(body)
    return path


def local_output(src: Path, out: Path, **options: str) -> bytes:
    with open(src, "rb") as source:
        batch.run_batch(source, out, workers=1, **options)  # type: ignore[arg-type]
    return out.read_bytes()


def test_the_lazy_bag_numbers_lines_across_blocks(tmp_path):
    src = corpus(tmp_path / "cases.jsonl", 25)
    bag = evaluate_file(str(src), blocksize=1000)
    assert bag.npartitions > 5
    lines = bag.compute(scheduler="sync")
    assert [json.loads(x)["line"] for x in lines] == list(range(1, 28))
    assert "\n".join(lines) + "\n" == local_output(src, tmp_path / "local.jsonl").decode("utf-8")


def test_without_a_client_the_local_scheduler_is_used(tmp_path):
    # (runs before the module's cluster exists, so there is no default client)
    from negotiator.batch.dask_runner import _default_client

    assert _default_client() is None
    src = corpus(tmp_path / "cases.jsonl", 5)
    summary = run_file(str(src), tmp_path / "dask.jsonl", blocksize=800, window=2)
    assert (tmp_path / "dask.jsonl").read_bytes() == local_output(src, tmp_path / "local.jsonl")
    assert summary.lines == 7


def test_an_empty_file_gives_an_empty_output(tmp_path):
    src = tmp_path / "empty.jsonl"
    src.write_bytes(b"")
    summary = run_file(str(src), tmp_path / "out.jsonl")
    assert (tmp_path / "out.jsonl").read_bytes() == b""
    assert summary.lines == 0


@pytest.fixture(scope="module")
def client():
    with (
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        Client(cluster) as c,
    ):
        yield c


def test_a_dask_cluster_writes_exactly_the_local_batch_output(tmp_path, client):
    src = corpus(tmp_path / "cases.jsonl", 60)
    expected = local_output(src, tmp_path / "local.jsonl")
    # small blocks, so the file is cut into many partitions spread over both workers
    summary = run_file(str(src), tmp_path / "dask.jsonl", client=client, blocksize=2000)
    assert (tmp_path / "dask.jsonl").read_bytes() == expected
    records = [json.loads(x) for x in expected.decode("utf-8").splitlines()]
    assert summary.lines == len(records) == 62
    assert summary.errors == sum("error" in r for r in records) > 0
    assert [r["line"] for r in records] == list(range(1, 63))
    assert sum(1 for w in client.scheduler_info()["workers"].values()) == 2


def test_check_mode_and_language_reach_the_workers(tmp_path, client):
    src = corpus(tmp_path / "cases.jsonl", 12)
    expected = local_output(src, tmp_path / "local.jsonl", mode="check", lang="en")
    run_file(
        str(src), tmp_path / "dask.jsonl", client=client, mode="check", lang="en", blocksize=1500
    )
    assert (tmp_path / "dask.jsonl").read_bytes() == expected
