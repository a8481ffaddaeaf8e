"""Atomic file output: a file is either complete or absent, never half-written.

Rules for the output path (the ``-o`` option everywhere):

* It may name a new file or an existing **regular** file. Anything else (a folder, a device such
  as ``/dev/null``, a FIFO, a socket) is refused with :class:`InputError` on ``-o``: replacing it
  with a regular file would break it, and writing into it cannot be made atomic.
* A symbolic link is followed: the file it points to is replaced and the link is kept.
* An existing file keeps its permission bits; a new file gets ``0o666`` less the umask, like any
  file a program creates.
* Every operating-system error (missing or read-only folder, full disk, permission) becomes an
  :class:`InputError` on ``-o`` naming the problem; the temporary file is removed.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from .errors import InputError

__all__ = ["atomic_open", "atomic_write", "current_umask", "same_file_as_stdin"]

# Errors a write into the open temporary file can raise because of the output itself.
_WRITE_ERRNOS = {
    getattr(errno, name)
    for name in ("ENOSPC", "EDQUOT", "EFBIG", "EIO", "EROFS")
    if hasattr(errno, name)
}
_umask_lock = threading.Lock()


def current_umask() -> int:
    """The process's umask (read by setting and restoring it, under a lock)."""
    with _umask_lock:
        mask = os.umask(0o022)
        os.umask(mask)
    return mask


def _problem(exc: OSError) -> str:
    return exc.strerror or type(exc).__name__


def _target(path: Path) -> tuple[Path, int | None]:
    """The file to replace (symbolic links resolved) and its permission bits, if it exists."""
    target = Path(os.path.realpath(path)) if path.is_symlink() else path
    try:
        info = os.stat(target)
    except FileNotFoundError:
        return target, None
    except OSError as exc:
        raise InputError("-o", f"cannot write {str(path)!r}: {_problem(exc)}") from None
    if stat.S_ISDIR(info.st_mode):
        raise InputError("-o", f"{str(path)!r} is a folder: name a file inside it")
    if not stat.S_ISREG(info.st_mode):
        raise InputError(
            "-o",
            f"{str(path)!r} is not a regular file (a device, pipe or socket): name a file, "
            "or leave out -o to write to standard output",
        )
    return target, stat.S_IMODE(info.st_mode)


@contextlib.contextmanager
def atomic_open(path: Path, mode: str = "wb") -> Iterator[IO[bytes]]:
    """Open a temporary file beside ``path``; on success rename it over ``path``.

    On any exception the temporary file is removed and ``path`` is left untouched.
    """
    if mode not in ("wb",):
        raise ValueError("atomic_open writes bytes only")
    target, keep_mode = _target(Path(path))
    directory = target.parent if str(target.parent) else Path(".")
    if not directory.is_dir():
        raise InputError("-o", f"the folder {str(directory)!r} does not exist")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=directory)
    except OSError as exc:
        raise InputError("-o", f"cannot write in {str(directory)!r}: {_problem(exc)}") from None
    try:
        with contextlib.suppress(OSError):  # a file system without permission bits
            os.chmod(tmp, keep_mode if keep_mode is not None else 0o666 & ~current_umask())
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if exc.errno in _WRITE_ERRNOS or exc.filename in (tmp, str(target)):
            raise InputError("-o", f"cannot write {str(path)!r}: {_problem(exc)}") from None
        raise
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def atomic_write(path: Path, data: bytes) -> None:
    with atomic_open(path) as handle:
        handle.write(data)


def same_file_as_stdin(path: Path) -> bool:
    """Whether ``path`` (followed through links) is the file standard input reads from."""
    try:
        here = os.stat(path)
        stdin = os.fstat(0)
    except OSError:
        return False
    return stat.S_ISREG(stdin.st_mode) and (here.st_dev, here.st_ino) == (
        stdin.st_dev,
        stdin.st_ino,
    )
