"""Batch evaluation: a JSON-lines file of cases in, one JSON line per case out, on all cores.

Compliance teams and legal-aid services evaluate thousands to millions of cases at a time.  This
module runs the same pipeline as :func:`negotiator.advise` / :func:`negotiator.check` over a
stream of cases, one case per input line, and guarantees:

* **One output line per input line, in input order.**  A line that can be evaluated gives the
  report (``report.to_json()`` plus ``"line": n``); a line that cannot gives an error record
  ``{"line": n, "error": {"path": …, "problem": …, "type": …}}`` naming the line and the field.
  Invalid JSON, an empty line, a field the case format does not know, a number out of range, bad
  UTF-8, a line over 5 MB, even an unexpected exception inside a worker or a worker process that
  dies: each becomes that line's error record, and the batch goes on.  Error records never carry
  personal data (unexpected exceptions are reported by type name only).
* **Constant memory.**  Lines are read lazily and at most a bounded window of chunks is in
  flight (``workers × 4`` chunks of ``chunk_size`` lines), so a file of millions of cases needs
  no more memory than a few hundred cases.
* **All cores.**  Chunks are evaluated in a process pool (``forkserver`` where available,
  otherwise ``spawn``; never ``fork``) whose workers each build the rules engine once, in their
  initializer.  The rules engine holds the GIL, so threads would not help.  Inputs too small to
  repay starting processes are evaluated in the calling process.
* **Complete or absent.**  The command writes to a temporary file beside the output and renames
  it only once every line has been written (:func:`negotiator.fsutil.atomic_open`).

Library use::

    from negotiator.batch.local import evaluate_lines

    with open("cases.jsonl", encoding="utf-8") as lines:
        for record in evaluate_lines(lines, mode="advise", lang="en"):
            if "error" in record:
                ...                      # record["line"], record["error"]["path"], …
            else:
                ...                      # record["findings"], record["has_violations"], …

:func:`evaluate_record` is the pure per-record function; :mod:`negotiator.batch.dask_runner` runs
the very same function on a Dask cluster.

Exit codes of ``negotiator batch`` (see docs/performance.md):

* 0 — every line was evaluated and no report has a violation;
* 1 — every line was evaluated and at least one report has a violation;
* 3 — the output is complete, but at least one line is an error record (takes precedence over 1);
* 2 — the input cannot be read or the output cannot be written (or a usage error): no output;
* 70 — an internal error; 130 — interrupted.  No output file is left behind in either case.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from itertools import chain, islice
from pathlib import Path
from typing import IO, Any, get_args

import attrs
import orjson

from ..errors import (
    EXIT_LINE_ERRORS,
    EXIT_OK,
    EXIT_VIOLATIONS,
    EngineError,
    InputError,
    NegotiatorError,
)
from ..options import Mode

__all__ = [
    "EXIT_LINE_ERRORS",
    "MODES",
    "BatchSummary",
    "default_workers",
    "evaluate_lines",
    "evaluate_record",
    "record_json",
    "run_batch",
    "run_batch_cli",
]

#: What a line is evaluated for (:data:`negotiator.options.Mode`).
MODES: tuple[Mode, ...] = get_args(Mode)
#: Longest line accepted, in bytes (the same limit as a single case file).
MAX_LINE_BYTES = 5_000_000
#: Lines per task sent to a worker: big enough to make inter-process traffic negligible (a
#: chunk is about 40 ms of work), small enough to keep the in-flight window, the progress
#: display and the end of a batch — when one worker may wait for the other's last chunk —
#: fine-grained (docs/performance.md: 8 lines beat 32 by about 5 %).
DEFAULT_CHUNK = 8
#: Chunks in flight per worker.
WINDOW_PER_WORKER = 4
#: Inputs with fewer lines than this are evaluated in the calling process: starting workers
#: (each imports the package and builds the rules engine) costs more than it saves.
MIN_PARALLEL_LINES = 128

#: Longest time one line may take, in seconds; a line that takes longer becomes an error record
#: ("type": "Timeout") and the batch goes on.  Every valid case takes milliseconds: the limit
#: only stops a line built to be slow.  (Enforced where the evaluating thread is a process's
#: main thread: every batch worker, and the calling process with ``--workers 1``.)
CASE_SECONDS = 60.0

_EMPTY = "the line is empty; each line must hold one case"

# Status of one evaluated line.
_OK, _VIOLATIONS, _ERROR = 0, 1, 2


@attrs.frozen
class _Unreadable:
    """A line the reader could not hand over as text (too long, not UTF-8)."""

    problem: str


Item = tuple[int, "str | _Unreadable"]


# ---------------------------------------------------------------------------------------------
# One record
# ---------------------------------------------------------------------------------------------


def _error(line_no: int, path: str, problem: str, kind: str, **more: Any) -> dict[str, Any]:
    error: dict[str, Any] = {"path": path, "problem": problem, "type": kind}
    error.update(more)
    return {"line": line_no, "error": error}


def _check_options(mode: str, lang: str) -> None:
    from ..i18n import check_lang

    if mode not in MODES:
        raise InputError("--mode", f"must be one of {', '.join(MODES)}")
    check_lang(lang)


def _evaluate(
    line_no: int, text: str | _Unreadable, mode: str, lang: str
) -> tuple[dict[str, Any], int]:
    """The record for one line and its status; never raises an ``Exception``."""
    with _time_limit(CASE_SECONDS) as limited:
        try:
            return _evaluate_unlimited(line_no, text, mode, lang)
        except _CaseTimeout:
            pass
    problem = f"evaluating this case took longer than {limited:g} s; it was stopped"
    return _error(line_no, "", problem, "Timeout"), _ERROR


class _CaseTimeout(Exception):
    """Raised in the evaluating thread when a line exceeds :data:`CASE_SECONDS`."""


def _on_alarm(signum: int, frame: Any) -> None:
    raise _CaseTimeout


@contextlib.contextmanager
def _time_limit(seconds: float) -> Iterator[float]:
    """Raise :class:`_CaseTimeout` in the body after ``seconds`` (where signals allow it)."""
    if (
        not hasattr(signal, "setitimer")
        or threading.current_thread() is not threading.main_thread()
    ):
        yield seconds
        return
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield seconds
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _evaluate_unlimited(
    line_no: int, text: str | _Unreadable, mode: str, lang: str
) -> tuple[dict[str, Any], int]:
    try:
        if isinstance(text, _Unreadable):
            return _error(line_no, "", text.problem, "InputError"), _ERROR
        body = text.strip().lstrip("\ufeff").strip()
        if not body:
            return _error(line_no, "", _EMPTY, "InputError"), _ERROR
        if not body.isascii():
            try:
                body.encode("utf-8")
            except UnicodeEncodeError:
                return _error(line_no, "", "the line is not UTF-8 text", "InputError"), _ERROR
        if len(body) > MAX_LINE_BYTES:
            return _error(line_no, "", "the line is longer than 5 MB", "InputError"), _ERROR
        if not body.startswith("{"):
            return (
                _error(line_no, "", "each line must be one JSON object {…}", "InputError"),
                _ERROR,
            )
        from ..api import advise, check
        from ..case.load import load_case
        from ..i18n import check_lang

        case = load_case(body)
        report = (advise if mode == "advise" else check)(case, lang=check_lang(lang))
        record = {"line": line_no}
        record.update(report.to_json())
        return record, _VIOLATIONS if report.has_violations else _OK
    except InputError as exc:
        more = [{"path": p, "problem": m} for p, m in exc.errors[1:]]
        extra = {"more": more} if more else {}
        return _error(line_no, exc.path, exc.problem, type(exc).__name__, **extra), _ERROR
    except NegotiatorError as exc:
        # Raised on purpose by the library; its messages never carry personal data.
        return _error(line_no, "", str(exc), type(exc).__name__), _ERROR
    except RecursionError:
        return _error(line_no, "", "the case is nested too deeply", "InputError"), _ERROR
    except Exception as exc:
        # A bug.  Report the type only: an arbitrary message might quote the case's data.
        problem = "internal error while evaluating this case; please report it"
        return _error(line_no, "", problem, type(exc).__name__), _ERROR


def evaluate_record(
    line_no: int, text: str, mode: str = "advise", lang: str = "zh-Hans"
) -> dict[str, Any]:
    """Evaluate one input line: the report as JSON data plus ``"line"``, or an error record.

    This is a pure function of its arguments (and the installed rules); it never raises for a
    bad line.  It is the function that runs in every batch worker and on Dask.
    """
    _check_options(mode, lang)
    return _evaluate(line_no, text, mode, lang)[0]


def record_json(line_no: int, text: str, mode: str = "advise", lang: str = "zh-Hans") -> str:
    """:func:`evaluate_record` serialised as one output line (without the newline): compact
    JSON, not ASCII-escaped.  (orjson: a report is about 120 kB, and the standard library's
    encoder took a millisecond of every case.)"""
    return orjson.dumps(evaluate_record(line_no, text, mode, lang)).decode()


# Task functions run in the workers (module level, so they pickle by reference).


def _chunk_dicts(items: list[Item], mode: str, lang: str) -> list[dict[str, Any]]:
    return [_evaluate(n, text, mode, lang)[0] for n, text in items]


def _chunk_json(items: list[Item], mode: str, lang: str) -> list[tuple[bytes, int]]:
    """Each line's record as UTF-8 JSON (bytes: they travel back to the parent and into the
    output file without being decoded and encoded again), with its status."""
    out = []
    for n, text in items:
        record, status = _evaluate(n, text, mode, lang)
        try:
            out.append((orjson.dumps(record), status))
        except (TypeError, ValueError) as exc:  # a value JSON cannot hold: a bug, not the input
            problem = "internal error while writing this case's report; please report it"
            out.append((orjson.dumps(_error(n, "", problem, type(exc).__name__)), _ERROR))
    return out


_CRASH_PROBLEM = "the evaluating process stopped abruptly on this case; please report it"


def _crash_dict(line_no: int) -> dict[str, Any]:
    return _error(line_no, "", _CRASH_PROBLEM, "WorkerCrash")


def _crash_json(line_no: int) -> tuple[bytes, int]:
    return orjson.dumps(_crash_dict(line_no)), _ERROR


@attrs.frozen
class _Task:
    """What the workers compute per chunk, and the record for a line whose worker died."""

    chunk: Callable[[list[Item], str, str], list[Any]]
    crash: Callable[[int], Any]


_DICTS = _Task(_chunk_dicts, _crash_dict)
_JSON = _Task(_chunk_json, _crash_json)


# ---------------------------------------------------------------------------------------------
# The pool
# ---------------------------------------------------------------------------------------------


def default_workers() -> int:
    """The number of cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


def _init_worker() -> None:
    # Ctrl-C is the parent's business: it stops the pool and removes the partial output.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _die_with_parent()
    from ..api import rules_version
    from ..engine import default_evaluator
    from ..engine.durable import tune_allocator
    from ..ruleset.loader import load_rules

    tune_allocator(len(load_rules().rules) + 1)
    rules_version()
    default_evaluator("durable")


def _die_with_parent() -> None:
    """Have the kernel kill this worker when the process that started it ends (Linux), so a
    batch killed by SIGKILL leaves no orphans holding its caller's pipes.  The forkserver that
    starts the workers itself exits when the batch's process goes away."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, int(signal.SIGKILL), 0, 0, 0)
    except (OSError, AttributeError):  # pragma: no cover - no prctl
        return
    if os.getppid() == 1:  # the parent was already gone before the call
        os._exit(1)


def _ping() -> bool:
    return True


def _context() -> Any:
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


class _Pool:
    """A process pool that survives a worker dying: the pool is rebuilt and work resubmitted."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._executor = self._start()

    def _start(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(self.workers, mp_context=_context(), initializer=_init_worker)

    def submit(self, task: _Task, items: list[Item], mode: str, lang: str) -> Future[list[Any]]:
        """A future of the chunk's results (failed at once if the pool is already broken)."""
        try:
            return self._executor.submit(task.chunk, items, mode, lang)
        except BrokenProcessPool as exc:
            failed: Future[list[Any]] = Future()
            failed.set_exception(exc)
            return failed

    def restart(self) -> None:
        """A fresh pool; raises :class:`EngineError` if its workers cannot even start."""
        self._executor.shutdown(wait=True, cancel_futures=True)
        self._executor = self._start()
        try:
            self._executor.submit(_ping).result()
        except BrokenProcessPool:
            raise EngineError("the batch worker processes cannot start") from None

    def close(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)

    def isolate(self, task: _Task, items: list[Item], mode: str, lang: str) -> Iterator[Any]:
        """Evaluate ``items`` one at a time, so a line that kills its worker is identified."""
        for item in items:
            try:
                yield from self.submit(task, [item], mode, lang).result()
            except BrokenProcessPool:
                self.restart()
                yield task.crash(item[0])
            except Exception:
                yield task.crash(item[0])


def _chunks(items: Iterator[Item], size: int) -> Iterator[list[Item]]:
    while True:
        chunk = list(islice(items, size))
        if not chunk:
            return
        yield chunk


def _stream(
    items: Iterable[Item],
    task: _Task,
    *,
    mode: str,
    lang: str,
    workers: int,
    chunk_size: int,
    min_parallel: int = MIN_PARALLEL_LINES,
) -> Iterator[Any]:
    """Results of ``task`` over ``items``, in input order, with a bounded window in flight."""
    source = iter(items)
    head = list(islice(source, max(min_parallel, 1)))
    if workers <= 1 or len(head) < min_parallel:
        for chunk in _chunks(chain(head, source), chunk_size):
            yield from task.chunk(chunk, mode, lang)
        return
    window = workers * WINDOW_PER_WORKER
    chunks = _chunks(chain(head, source), chunk_size)
    pool = _Pool(workers)
    try:
        pending: deque[tuple[list[Item], Future[list[Any]]]] = deque()

        def refill() -> None:
            while len(pending) < window:
                chunk = next(chunks, None)
                if chunk is None:
                    return
                pending.append((chunk, pool.submit(task, chunk, mode, lang)))

        refill()
        while pending:
            chunk, future = pending[0]
            try:
                results = future.result()
            except Exception as exc:
                # A worker died (or the task itself failed): redo everything in flight one line
                # at a time in a fresh pool, so only the offending line becomes an error record.
                if isinstance(exc, BrokenProcessPool):
                    pool.restart()
                redo = [c for c, _ in pending]
                pending.clear()
                for items_ in redo:
                    yield from pool.isolate(task, items_, mode, lang)
                refill()
                continue
            pending.popleft()
            refill()
            yield from results
    finally:
        pool.close()


def _numbered(lines: Iterable[str | _Unreadable]) -> Iterator[Item]:
    return enumerate(lines, 1)


def evaluate_lines(
    lines: Iterable[str],
    *,
    mode: str = "advise",
    lang: str = "zh-Hans",
    workers: int | None = None,
    chunk_size: int = DEFAULT_CHUNK,
) -> Iterator[dict[str, Any]]:
    """Evaluate one case per line; yield one record per line, in order (see the module doc).

    ``workers`` defaults to every core this process may use; ``1`` evaluates in the calling
    process.  Lines are numbered from 1.  Iteration is lazy: stop it early and the pool stops.
    """
    _check_options(mode, lang)
    n = _workers(workers)
    if chunk_size < 1:
        raise ValueError("chunk_size must be at least 1")
    yield from _stream(
        _numbered(lines), _DICTS, mode=mode, lang=lang, workers=n, chunk_size=chunk_size
    )


def _workers(workers: int | None) -> int:
    if workers is None:
        return default_workers()
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise InputError("--workers", "must be a whole number, at least 1")
    # More processes than cores only add memory (about 37 MB each) and slow the batch down.
    return min(workers, default_workers())


# ---------------------------------------------------------------------------------------------
# Files and the command
# ---------------------------------------------------------------------------------------------


@attrs.frozen
class BatchSummary:
    """What a batch run did."""

    lines: int
    evaluated: int
    with_violations: int
    errors: int
    seconds: float

    @property
    def exit_code(self) -> int:
        if self.errors:
            return EXIT_LINE_ERRORS
        return EXIT_VIOLATIONS if self.with_violations else EXIT_OK


def _read_lines(
    handle: IO[bytes], ends: deque[int] | None = None, *, at_start: bool = True
) -> Iterator[str | _Unreadable]:
    """Lines of a binary stream as text; too-long and non-UTF-8 lines become markers.

    A byte-order mark is dropped from the first line when ``at_start`` (the stream starts at
    the beginning of the file).  If ``ends`` is given, the byte offset just past each line is
    appended to it as the line is read (for the progress display).
    """
    first = at_start
    position = 0
    while True:
        try:
            raw = handle.readline(MAX_LINE_BYTES + 1)
        except OSError as exc:
            raise InputError("INPUT.jsonl", f"cannot read: {exc.strerror or exc}") from None
        if not raw:
            return
        position += len(raw)
        item: str | _Unreadable
        if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
            while True:  # skip the rest of the line without holding it
                try:
                    more = handle.readline(1 << 20)
                except OSError as exc:
                    raise InputError("INPUT.jsonl", f"cannot read: {exc.strerror}") from None
                position += len(more)
                if not more or more.endswith(b"\n"):
                    break
            item = _Unreadable("the line is longer than 5 MB")
        else:
            try:
                item = raw.decode("utf-8-sig" if first else "utf-8")
            except UnicodeDecodeError:
                item = _Unreadable("the line is not UTF-8 text")
        first = False
        if ends is not None:
            ends.append(position)
        yield item


class _Progress:
    """A one-line progress display on standard error (a terminal only)."""

    def __init__(self, stream: IO[str] | None, total_bytes: int | None) -> None:
        self.stream = stream
        self.total = total_bytes
        self.start = time.monotonic()
        self.last = 0.0
        self.width = 0

    def update(self, lines: int, read_bytes: int, errors: int, *, force: bool = False) -> None:
        if self.stream is None:
            return
        now = time.monotonic()
        if not force and now - self.last < 0.2:
            return
        self.last = now
        elapsed = max(now - self.start, 1e-9)
        text = f"{lines:,} cases  {lines / elapsed:,.0f}/s"
        if errors:
            text += f"  {errors:,} error records"
        if self.total:
            done = min(read_bytes / self.total, 1.0)
            text += f"  {done:6.1%}"
            if 0 < done < 1 and elapsed > 3:
                left = int(elapsed / done - elapsed)
                text += f"  ETA {left // 3600}:{left // 60 % 60:02d}:{left % 60:02d}"
        self.stream.write("\r" + text.ljust(self.width))
        self.stream.flush()
        self.width = len(text)

    def close(self) -> None:
        if self.stream is not None and self.width:
            self.stream.write("\r" + " " * self.width + "\r")
            self.stream.flush()


def run_batch(
    source: IO[bytes],
    output: Path,
    *,
    mode: str = "advise",
    lang: str = "zh-Hans",
    workers: int | None = None,
    chunk_size: int = DEFAULT_CHUNK,
    progress: IO[str] | None = None,
    total_bytes: int | None = None,
) -> BatchSummary:
    """Evaluate every line of ``source`` into ``output`` (written atomically).

    ``progress`` is a text stream for the progress display (``None``: no display);
    ``total_bytes`` the input's size, for the percentage.  Raises :class:`InputError` when the
    input cannot be read or the output cannot be written; the output is then absent (an
    earlier file at ``output`` is left as it was).
    """
    from ..fsutil import atomic_open

    _check_options(mode, lang)
    n = _workers(workers)
    ends: deque[int] | None = deque() if progress is not None else None
    done_bytes = 0
    lines = evaluated = violations = errors = 0
    started = time.monotonic()
    bar = _Progress(progress, total_bytes)
    items = _numbered(_read_lines(source, ends))
    try:
        with atomic_open(output) as out:
            write = out.write
            for text, status in _stream(
                items, _JSON, mode=mode, lang=lang, workers=n, chunk_size=chunk_size
            ):
                write(text)
                write(b"\n")
                lines += 1
                if status == _ERROR:
                    errors += 1
                else:
                    evaluated += 1
                    violations += status == _VIOLATIONS
                if ends is not None:
                    done_bytes = ends.popleft()
                    bar.update(lines, done_bytes, errors)
            bar.update(lines, done_bytes, errors, force=True)
    except OSError as exc:
        raise InputError("-o", f"cannot write the output: {exc.strerror or exc}") from None
    finally:
        bar.close()
    return BatchSummary(lines, evaluated, violations, errors, time.monotonic() - started)


def run_batch_cli(args: argparse.Namespace) -> int:
    """``negotiator batch INPUT.jsonl -o OUTPUT.jsonl`` (arguments parsed by the CLI)."""
    output = Path(args.output)
    show = not args.no_progress and sys.stderr.isatty()
    _check_options(args.mode, args.lang)
    workers = _workers(args.workers)
    with contextlib.ExitStack() as stack:
        if args.input == "-":
            from ..fsutil import same_file_as_stdin

            if same_file_as_stdin(output):
                raise InputError(
                    "-o", "the output must not overwrite the input (standard input reads it)"
                )
            source: IO[bytes] = sys.stdin.buffer
            total = None
        else:
            path = Path(args.input)
            if not path.is_file():
                raise InputError("INPUT.jsonl", f"no such file: {args.input}")
            with contextlib.suppress(OSError):
                if output.exists() and os.path.samefile(path, output):
                    raise InputError("-o", "the output must not overwrite the input")
            try:
                total = path.stat().st_size
                source = stack.enter_context(path.open("rb"))
            except OSError as exc:
                raise InputError("INPUT.jsonl", f"cannot read: {exc.strerror or exc}") from None
        summary = run_batch(
            source,
            output,
            mode=args.mode,
            lang=args.lang,
            workers=workers,
            progress=sys.stderr if show else None,
            total_bytes=total,
        )
    print(
        f"negotiator: {summary.lines:,} lines: {summary.evaluated:,} evaluated "
        f"({summary.with_violations:,} with violations), {summary.errors:,} error records; "
        f"{summary.seconds:.1f} s -> {output}",
        file=sys.stderr,
    )
    return summary.exit_code
