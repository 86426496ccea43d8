"""One run at a time per warehouse: an OS lock on `warehouse/.lock`.

`ncpi run`, `ncpi build` into a warehouse and `ncpi release` write the same tables,
releases and `latest`; two of them at once would interleave. The lock is a kernel
`flock` on the file (the same kind `filelock.FileLock` takes, so the release command's
lock excludes this one and vice versa). The kernel drops it when the holder dies, even
by SIGKILL, so a crashed run never leaves a stale lock behind. The file is never
unlinked (a waiter could otherwise lock a different inode); it holds the holder's pid
and command so the refusal can say who has it.
"""
from __future__ import annotations

import errno
import fcntl
import os
import stat
import sys
import time
from pathlib import Path

LOCK_NAME = ".lock"
POLL_SECONDS = 0.2


class Busy(Exception):
    """The lock is held by another process; the message says by whom and what to do."""

    def __init__(self, message: str, holder: str):
        super().__init__(message)
        self.holder = holder


class UnsafeLock(Exception):
    """warehouse/.lock is a link or not a plain file: refused, never written through."""


def lock_path(warehouse_dir: Path) -> Path:
    return Path(warehouse_dir) / LOCK_NAME


def _holder(fd: int) -> str:
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        text = os.read(fd, 512).decode("utf-8", "replace").strip()
    except OSError:
        return ""
    # A holder that is not an ncpi lock (filelock in `ncpi release`) leaves a stale line
    # from a dead process: name a pid only while it is alive.
    parts = text.split()
    if len(parts) >= 2 and parts[0] == "pid" and parts[1].rstrip(":").isdigit():
        try:
            os.kill(int(parts[1].rstrip(":")), 0)
        except ProcessLookupError:
            return ""
        except PermissionError:
            pass
    return text


class WarehouseLock:
    """Context manager: `with WarehouseLock(wh, wait=30, command="ncpi run"): ...`.

    wait is how many seconds to wait for another holder (0: refuse at once). Raises Busy.
    """

    def __init__(self, warehouse_dir: Path, *, wait: float = 0.0, command: str = "ncpi"):
        self.path = lock_path(warehouse_dir)
        self.wait = max(0.0, float(wait))
        self.command = command
        self.fd: int | None = None

    def acquire(self) -> "WarehouseLock":
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # No O_TRUNC: a waiter must not erase the holder's pid. O_NOFOLLOW and the fstat
        # check: a lock file replaced by a link (or a FIFO, a device) must not have its
        # target truncated and written, whatever it points at.
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC, 0o644)
        except OSError as exc:
            if exc.errno in (errno.ELOOP, errno.ENXIO, errno.EISDIR):
                raise UnsafeLock(f"{self.path} is not a plain file (a symbolic link, pipe or folder); the lock is "
                                 f"refused so its target is not overwritten: remove it and run again") from None
            raise
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_nlink != 1:
            os.close(fd)
            raise UnsafeLock(f"{self.path} is not a plain file with one name (a hard link, pipe or device); the lock "
                             f"is refused so it is not overwritten: remove it and run again")
        deadline = time.monotonic() + self.wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = _holder(fd)
                    os.close(fd)
                    who = f" ({holder})" if holder else ""
                    waited = f" after waiting {self.wait:g} s" if self.wait else ""
                    raise Busy(f"another ncpi run holds {self.path}{who}{waited}; wait for it to finish, "
                               f"or pass --wait SECONDS to queue behind it", holder) from None
                time.sleep(POLL_SECONDS)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"pid {os.getpid()}: {self.command}\n".encode("utf-8"), 0)
        self.fd = fd
        return self

    def release(self) -> None:
        if self.fd is None:
            return
        fd, self.fd = self.fd, None
        try:
            os.ftruncate(fd, 0)      # an empty file means nobody holds it
        except OSError:
            pass
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)

    def __enter__(self) -> "WarehouseLock":
        return self.acquire()

    def __exit__(self, *exc) -> None:
        self.release()


def command_line() -> str:
    """What this process is, for the lock file: `ncpi run --raw …` shortened."""
    argv = [Path(sys.argv[0]).name] + sys.argv[1:]
    return " ".join(argv)[:200]
