"""Settings of a crawl: the CLI builds them from its flags and passes them to
`build_index(crawl=...)`, which hands them to `indexer.ingest.inputs.read_inputs`
and so to the crawler; nothing is kept between calls.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from indexer.ingest.sources.encoding import MAX_PAGE_BYTES

USER_AGENT = "Amtsblick/0.1 (+https://github.com/amtsblick/amtsblick; Volltextsuche für Amtsmitteilungen)"
DEFAULT_CACHE_NAME = ".amtsblick-cache"


@dataclass(frozen=True)
class CrawlOptions:
    rate: float = 1.0  # requests per second to one site; polite crawlers stay at or below 1
    cache_dir: Path = Path(DEFAULT_CACHE_NAME)  # the CLI puts it inside the index folder
    max_pages: int = 2000  # announcements per crawl; a runaway archive stops here
    user_agent: str = USER_AGENT
    timeout: float = 30.0
    max_bytes: int = MAX_PAGE_BYTES
    report: Callable[[str], None] | None = None  # gets one summary line per crawl

    def __post_init__(self) -> None:
        if not self.rate > 0:
            raise ValueError("--rate muss größer als 0 sein (Anfragen pro Sekunde)")
        if self.max_pages < 1:
            raise ValueError("--max-pages muss mindestens 1 sein")
