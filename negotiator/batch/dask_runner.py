"""Batch evaluation beyond one machine: the batch's per-record function on a Dask cluster.

Install the optional extra (``pip install "negotiator[dask]"``) on the machine that submits the
work and on every worker.  The cluster runs exactly the function the local batch runs in its
worker processes (:func:`negotiator.batch.local.evaluate_record`'s core), so a file evaluated on
Dask gives, byte for byte, the output ``negotiator batch`` gives on one machine: one line per input
line, in input order, reports and error records alike.

How the file is cut up: the input is read as blocks of bytes that end on a line break
(``dask.bytes.read_bytes``), so any storage Dask can read works (local disks shared by the
workers, ``s3://``, ``gs://``, ``hdfs://`` with the matching fsspec package).  A first, cheap
pass counts the lines in each block, so every worker knows the number of its first line; the
second pass evaluates the blocks.  Each block's lines are decoded exactly as the local reader
decodes them (bad UTF-8 and over-long lines become error records).

Two ways to use it::

    from distributed import Client
    from negotiator.batch.dask_runner import evaluate_file, run_file

    client = Client("tcp://scheduler:8786")
    # 1. one output file on the submitting machine, written atomically, in order:
    summary = run_file("s3://bucket/cases.jsonl", Path("reports.jsonl"), client=client)
    # 2. one output file per block, written by the workers themselves:
    evaluate_file("s3://bucket/cases.jsonl").to_textfiles("s3://bucket/out/*.jsonl",
                                                           encoding="utf-8")

The rules engine holds the GIL while it matches, so give each worker process one thread
(``dask worker --nthreads 1 --nworkers N``, or ``LocalCluster(threads_per_worker=1)``); several
threads in one worker are safe (evaluations take turns on a lock) but not faster.
"""

from __future__ import annotations

import importlib
import io
import time
from collections import deque
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import InputError
from .local import (
    _ERROR,
    _VIOLATIONS,
    BatchSummary,
    _check_options,
    _chunk_json,
    _read_lines,
)

__all__ = ["evaluate_file", "run_file"]

DEFAULT_BLOCKSIZE = "8MiB"


def _count_lines(block: bytes) -> int:
    n = block.count(b"\n")
    if block and not block.endswith(b"\n"):
        n += 1
    return n


def _evaluate_block(block: bytes, first_line: int, mode: str, lang: str) -> list[tuple[bytes, int]]:
    """Evaluate the lines of one block; ``first_line`` is the number of its first line."""
    lines = _read_lines(io.BytesIO(block), at_start=first_line == 1)
    return _chunk_json(list(enumerate(lines, first_line)), mode, lang)


def _texts(results: list[tuple[bytes, int]]) -> list[str]:
    return [text.decode() for text, _status in results]


def _module(name: str) -> Any:
    """A Dask module, imported on first use (Dask is an optional extra, typed loosely)."""
    return importlib.import_module(name)


def _blocks(urlpath: str, blocksize: int | str, storage_options: dict[str, Any] | None) -> Any:
    try:
        _sample, per_file = _module("dask.bytes").read_bytes(
            urlpath,
            delimiter=b"\n",
            blocksize=blocksize,
            sample=False,
            **(storage_options or {}),
        )
    except (FileNotFoundError, OSError) as exc:
        raise InputError("INPUT.jsonl", f"cannot read: {exc.strerror or exc}") from None
    if len(per_file) != 1:
        raise InputError("INPUT.jsonl", "give exactly one input file (line numbers are per file)")
    return per_file[0]


def _evaluated_blocks(
    urlpath: str,
    mode: str,
    lang: str,
    blocksize: int | str,
    storage_options: dict[str, Any] | None,
) -> list[Any]:
    """One delayed ``list[(UTF-8 JSON, status)]`` per block, in file order."""
    dask = _module("dask")
    delayed = dask.delayed

    _check_options(mode, lang)
    blocks = _blocks(urlpath, blocksize, storage_options)
    counts = dask.compute(*[delayed(_count_lines)(b) for b in blocks]) if blocks else ()
    out = []
    first = 1
    for block, count in zip(blocks, counts, strict=True):
        out.append(delayed(_evaluate_block)(block, first, mode, lang))
        first += count
    return out


def evaluate_file(
    urlpath: str,
    *,
    mode: str = "advise",
    lang: str = "zh-Hans",
    blocksize: int | str = DEFAULT_BLOCKSIZE,
    storage_options: dict[str, Any] | None = None,
) -> Any:
    """A lazy ``dask.bag.Bag`` of output lines (JSON text), one per input line, in order.

    Counting the lines of each block happens now (a cheap pass over the bytes); evaluation
    happens when the bag is computed or written (``.to_textfiles(…, encoding="utf-8")``).
    """
    db = _module("dask.bag")
    delayed = _module("dask").delayed

    parts = _evaluated_blocks(urlpath, mode, lang, blocksize, storage_options)
    if not parts:
        return db.from_sequence([], npartitions=1)
    return db.from_delayed([delayed(_texts)(p) for p in parts])


def _default_client() -> Any:
    try:
        default_client = _module("distributed").default_client
    except ImportError:  # pragma: no cover - dask without distributed
        return None
    try:
        return default_client()
    except ValueError:
        return None


def _in_order(parts: list[Any], client: Any, window: int) -> Iterator[list[tuple[bytes, int]]]:
    """Compute the blocks with at most ``window`` in flight; yield them in file order."""
    if client is None:
        compute = _module("dask").compute
        for start in range(0, len(parts), window):
            yield from compute(*parts[start : start + window])
        return
    source = iter(parts)
    pending: deque[Any] = deque()

    def refill() -> None:
        while len(pending) < window:
            part = next(source, None)
            if part is None:
                return
            pending.append(client.compute(part))

    refill()
    while pending:
        future = pending.popleft()
        result = future.result()
        future.release()
        refill()
        yield result


def run_file(
    urlpath: str,
    output: Path,
    *,
    client: Any = None,
    mode: str = "advise",
    lang: str = "zh-Hans",
    blocksize: int | str = DEFAULT_BLOCKSIZE,
    storage_options: dict[str, Any] | None = None,
    window: int | None = None,
) -> BatchSummary:
    """Evaluate ``urlpath`` on Dask and write one output file here, atomically and in order.

    ``client`` defaults to the current ``distributed`` client, or Dask's local scheduler when
    there is none.  At most ``window`` blocks (default: twice the cluster's threads) are in
    flight or waiting to be written, so memory stays bounded whatever the file's size.
    """
    from ..fsutil import atomic_open

    started = time.monotonic()
    client = client if client is not None else _default_client()
    if window is None:
        threads = sum(client.nthreads().values()) if client is not None else 2
        window = max(2, 2 * threads)
    parts = _evaluated_blocks(urlpath, mode, lang, blocksize, storage_options)
    lines = evaluated = violations = errors = 0
    try:
        with atomic_open(output) as out:
            for results in _in_order(parts, client, window):
                for text, status in results:
                    out.write(text)
                    out.write(b"\n")
                    lines += 1
                    if status == _ERROR:
                        errors += 1
                    else:
                        evaluated += 1
                        violations += status == _VIOLATIONS
    except OSError as exc:
        raise InputError("-o", f"cannot write the output: {exc.strerror or exc}") from None
    return BatchSummary(lines, evaluated, violations, errors, time.monotonic() - started)
