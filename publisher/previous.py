"""Published versions held aside while their replacements are checked (``build --listen=strict``).

A strict build publishes a changed article, listens to it, and takes it out
again when it fails.  An article that was already published before must then
fall back to the version listeners had, not vanish: so before phase 2 writes
anything, each such article's folder and spoken-script record are hard-linked
into ``.publisher/previous/`` (publishing replaces files by rename, so the
links keep the old bytes at no cost in space), and :meth:`restore` puts them
back.  Held before anything of the new version is written, its local images
included; the folder is removed when the build ends, whatever happened.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Callable

from .manifest import STATE_DIR, EpisodeEntry
from .listen.record import record_path

PREVIOUS_DIR = "previous"


def _link_tree(source: Path, target: Path) -> None:
    try:
        shutil.copytree(source, target, copy_function=os.link)
    except OSError:  # a file system without hard links: copy instead
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(source, target)


class PreviousVersions:
    """The published folders of the articles a strict build is about to replace."""

    def __init__(self, output: Path, article_dir: Callable[[Path, str], Path]) -> None:
        self.output = output
        self.article_dir = article_dir  # slug → its folder, refusing any outside the output
        self.root = output / STATE_DIR / PREVIOUS_DIR
        self.entries: dict[str, EpisodeEntry] = {}  # article id → the entry listeners had
        shutil.rmtree(self.root, ignore_errors=True)  # left by a build that was killed

    def __enter__(self) -> "PreviousVersions":
        return self

    def __exit__(self, *exc) -> None:
        shutil.rmtree(self.root, ignore_errors=True)

    def _held(self, article_id: str) -> Path:
        return self.root / article_id

    def hold(self, entry: EpisodeEntry) -> None:
        """Keep ``entry``'s published folder and record aside (nothing happens to the originals)."""
        folder = self.article_dir(self.output, entry.slug)
        if not folder.is_dir():
            return
        held = self._held(entry.article_id)
        _link_tree(folder, held / "folder")
        record = record_path(self.output, entry.article_id)
        if record.is_file():
            shutil.copy2(record, held / "record.json")
        self.entries[entry.article_id] = entry

    def restore(self, article_id: str, failed_slug: str) -> EpisodeEntry | None:
        """Replace the failed version (published at ``failed_slug``) by the held one; None
        when there was none to hold (the article was new)."""
        entry = self.entries.get(article_id)
        if entry is None:
            return None
        held = self._held(article_id)
        for slug in {failed_slug, entry.slug}:
            shutil.rmtree(self.article_dir(self.output, slug), ignore_errors=True)
        os.replace(held / "folder", self.article_dir(self.output, entry.slug))
        record = record_path(self.output, article_id)
        if (held / "record.json").is_file():
            os.replace(held / "record.json", record)
        else:
            record.unlink(missing_ok=True)
        return entry
