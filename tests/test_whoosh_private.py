"""The engine boundary: the private Whoosh members the engine uses are listed in one place and exist in
the Whoosh installed; only the engine imports Whoosh; the web layer reaches the engine through its face."""

import importlib
import re
from importlib.metadata import version
from pathlib import Path

from indexer.engine import whoosh_private

REPO = Path(__file__).resolve().parent.parent


def test_the_installed_whoosh_is_the_version_the_private_uses_were_checked_against():
    pinned = re.search(r'"whoosh-reloaded==([^"]+)"', (REPO / "pyproject.toml").read_text()).group(1)
    assert version("whoosh-reloaded") == pinned == whoosh_private.CHECKED_VERSION


def test_every_listed_private_member_exists():
    for module_name, path in whoosh_private.MEMBERS:
        found = importlib.import_module(module_name)
        for part in path.split("."):
            found = getattr(found, part)  # AttributeError names the member that went away


def test_only_the_engine_imports_whoosh():
    importing = re.compile(r"^\s*(import whoosh|from whoosh)", re.MULTILINE)
    for folder in ("indexer", "search_web"):
        for path in (REPO / folder).rglob("*.py"):
            if importing.search(path.read_text(encoding="utf-8")):
                assert path.parent == REPO / "indexer" / "engine", f"{path} imports whoosh"


# What the web layer may import of the indexer: the engine's face and its facet registry, the
# analysis chain, the gazetteer and the settings. Anything else of the engine is behind the face.
WEB_MAY_IMPORT = {"indexer.engine", "indexer.engine.facets", "indexer.config", "indexer.gazetteer"}


def test_the_web_layer_reaches_the_engine_only_through_its_face():
    importing = re.compile(r"^\s*(?:from|import) (indexer[\w.]*|numpy|whoosh)\b", re.MULTILINE)
    for path in (REPO / "search_web").rglob("*.py"):
        for module in importing.findall(path.read_text(encoding="utf-8")):
            allowed = module in WEB_MAY_IMPORT or module.startswith("indexer.text")
            assert allowed, f"{path.relative_to(REPO)} imports {module}"
