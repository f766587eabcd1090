"""Peak resident memory, read from the kernel (Linux), in MB."""

from __future__ import annotations

import os
import resource
import threading
from pathlib import Path


def status_field_mb(pid: int | str, field: str) -> float | None:
    """A `kB` line of /proc/<pid>/status (VmHWM = peak RSS, VmRSS = current) in MB; None if gone."""
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    for line in text.splitlines():
        if line.startswith(field + ":"):
            return round(int(line.split()[1]) / 1024, 1)
    return None


def own_peak_rss_mb() -> float:
    """This process's peak RSS: VmHWM where /proc exists, else getrusage (kB on Linux)."""
    peak = status_field_mb("self", "VmHWM")
    if peak is not None:
        return peak
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def child_pids(pid: int) -> list[int]:
    """Direct children of a process (gunicorn's workers are children of its master)."""
    children = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            children += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return children


def cpu_seconds(pid: int) -> float | None:
    """User plus system CPU time of a process so far (/proc/<pid>/stat, in clock ticks)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks  # utime, stime (fields 14 and 15 of stat)


class PrivatePeak:
    """Samples this process's private memory (RssAnon) in the background and keeps the maximum.

    VmHWM counts file-backed pages too, and Whoosh memory-maps its segment files: those pages
    are shared and reclaimable. The private peak is what the process really needs.
    """

    def __init__(self, interval: float = 0.25):
        self.peak_mb = 0.0
        self._interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak_mb = max(self.peak_mb, status_field_mb("self", "RssAnon") or 0.0)
            self._stop.wait(self._interval)

    def __enter__(self) -> PrivatePeak:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self.peak_mb = max(self.peak_mb, status_field_mb("self", "RssAnon") or 0.0)
