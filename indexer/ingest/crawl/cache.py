"""Fetched pages on disk, with the validators (ETag, Last-Modified) for conditional requests.

One JSON file of metadata and one file of raw bytes per URL; both are written to
a temporary name and renamed, so an interrupted crawl never leaves half a page.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from dataclasses import asdict, dataclass
from pathlib import Path


@dataclass
class CachedPage:
    url: str
    final_url: str
    content_type: str
    charset: str | None
    etag: str | None
    last_modified: str | None
    fetched_at: float
    body: bytes = b""


class PageCache:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _paths(self, url: str) -> tuple[Path, Path]:
        key = hashlib.sha256(url.encode("utf-8")).hexdigest()[:32]
        base = self.folder / key[:2] / key
        return base.with_suffix(".json"), base.with_suffix(".body")

    def get(self, url: str) -> CachedPage | None:
        meta_path, body_path = self._paths(url)
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            body = body_path.read_bytes()
        except (OSError, ValueError):
            return None  # not cached, or a damaged entry: fetch again
        if meta.get("url") != url:
            return None
        return CachedPage(**meta, body=body)

    def put(self, page: CachedPage) -> None:
        meta_path, body_path = self._paths(page.url)
        meta_path.parent.mkdir(parents=True, exist_ok=True)
        _write_atomic(body_path, page.body)
        meta = {key: value for key, value in asdict(page).items() if key != "body"}
        _write_atomic(meta_path, json.dumps(meta, ensure_ascii=False).encode("utf-8"))

    def touch(self, page: CachedPage) -> None:
        """A 304 confirmed the cached copy: remember when."""
        page.fetched_at = time.time()
        self.put(page)


def _write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
