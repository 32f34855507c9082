"""One process per run: a second import, resume or rollback of a run in use is refused.

The lock is an advisory ``flock`` on ``journal.sqlite.lock``, and the file names its holder
(pid, host, since when). A holder that dies, even by SIGKILL, loses the flock with its
process; the next process takes the lock over and says whose it was. Where ``flock`` does not
exist, the recorded pid decides: a live process keeps the run, a dead one's lock is taken.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import time
from pathlib import Path
from typing import IO, Any

from crmkit.errors import ConfigError

log = logging.getLogger("crmkit.pipeline")


def _holder(handle: IO[bytes]) -> dict[str, Any]:
    handle.seek(0)
    try:
        data = json.loads(handle.read().decode("utf-8") or "{}")
    except (ValueError, UnicodeDecodeError):
        return {}
    return data if isinstance(data, dict) else {}


def pid_alive(pid: int) -> bool:
    """Whether a process with this pid runs on this machine."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, someone else's
        return True
    return True


def _in_use(path: Path, holder: dict[str, Any]) -> ConfigError:
    who = f"process {holder['pid']}" if holder.get("pid") else "another process"
    if holder.get("host") and holder.get("host") != socket.gethostname():
        who += f" on {holder['host']}"
    return ConfigError(
        f"run {path.parent.name!r} is in use by crmkit {who}; wait for it to end"
        " (a process that was killed releases the run at once)"
    )


class RunLock:
    """The held lock of one run folder; ``release()`` (or process death) frees it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.taken_over: dict[str, Any] | None = None
        self._handle: IO[bytes] | None = self._acquire()

    def _acquire(self) -> IO[bytes]:
        handle = self.path.open("a+b")
        try:
            import fcntl
        except ImportError:  # not POSIX: the recorded pid decides
            fcntl = None  # type: ignore[assignment]
        holder = _holder(handle)
        if fcntl is not None:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                handle.close()
                raise _in_use(self.path, holder) from None
        elif holder.get("pid") and holder.get("pid") != os.getpid() and pid_alive(holder["pid"]):
            handle.close()
            raise _in_use(self.path, holder)
        if holder.get("pid") and holder.get("pid") != os.getpid():
            self.taken_over = holder
            log.info(
                "run %s: took over the lock of process %s, which ended",
                self.path.parent.name,
                holder["pid"],
            )
        handle.seek(0)
        handle.truncate()
        handle.write(
            json.dumps(
                {"pid": os.getpid(), "host": socket.gethostname(), "since": time.time()}
            ).encode("utf-8")
        )
        handle.flush()
        return handle

    def release(self) -> None:
        """Free the run: clear the holder, then close (which drops the flock)."""
        if self._handle is None:
            return
        try:
            self._handle.seek(0)
            self._handle.truncate()
            self._handle.flush()
        finally:
            self._handle.close()
            self._handle = None
