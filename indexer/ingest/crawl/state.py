"""Progress of one crawl, as an append-only log, so an interrupted crawl resumes.

Each line is one event: a URL queued (with its kind), a URL done, the crawl
finished. Appending a line per page is cheap and survives a kill at any moment
(a torn last line is ignored). A crawl whose log does not end in "finished" is
resumed: pages already done are replayed from the cache without a request, the
rest is fetched.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections import deque
from pathlib import Path


class CrawlState:
    def __init__(self, folder: Path, start_url: str) -> None:
        key = hashlib.sha256(start_url.encode("utf-8")).hexdigest()[:16]
        self.path = folder / f"crawl-{key}.jsonl"
        self.start_url = start_url
        self.queue: deque[tuple[str, str]] = deque()
        self.seen: set[str] = set()
        self.done_before: set[str] = set()  # done in the interrupted run this one resumes
        self.resumed = False
        self.final_start: str | None = None  # where the start URL redirected to, if anywhere
        self._load()
        folder.mkdir(parents=True, exist_ok=True)
        self._log = self.path.open("a" if self.resumed else "w", encoding="utf-8")
        if not self.resumed:
            self._append({"event": "start", "url": start_url, "time": time.time()})

    def _load(self) -> None:
        try:
            lines = self.path.read_text(encoding="utf-8").splitlines()
        except OSError:
            return
        events = []
        for line in lines:
            try:
                events.append(json.loads(line))
            except ValueError:
                continue  # the line being written when the crawl was killed
        if not events or events[-1].get("event") == "finished":
            return  # nothing to resume: a new crawl (which revalidates the cache)
        self.resumed = True
        for event in events:
            if event.get("event") == "queue" and event["url"] not in self.seen:
                self.seen.add(event["url"])
                self.queue.append((event["url"], event["kind"]))
            elif event.get("event") == "done":
                self.done_before.add(event["url"])

    def _append(self, event: dict) -> None:
        self._log.write(json.dumps(event, ensure_ascii=False) + "\n")
        self._log.flush()

    def add(self, url: str, kind: str) -> bool:
        """Queue a URL once; False if it was seen already."""
        if url in self.seen:
            return False
        self.seen.add(url)
        self.queue.append((url, kind))
        self._append({"event": "queue", "url": url, "kind": kind})
        return True

    def next(self) -> tuple[str, str] | None:
        return self.queue.popleft() if self.queue else None

    def mark_done(self, url: str) -> None:
        self._append({"event": "done", "url": url})

    def finish(self, stats: dict) -> None:
        self._append({"event": "finished", "time": time.time(), "stats": stats})
        self.close()

    def close(self) -> None:
        if not self._log.closed:
            self._log.close()
