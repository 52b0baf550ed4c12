"""A pronunciation lexicon users edit: words as written → how to say them.

TOML, one table ``[words]``; a value is a respelling (alias) or a table with
``alias``, ``ipa`` and ``case_sensitive`` (see ``data/lexicon.toml``).
Matching is whole-word: "Lukashenka's" and "Lukashenka-led" match
"Lukashenka"; "Lukashenkas" does not.

Merge order, later wins: the shipped lexicon < global user files (config
``speech.lexicon``) < ``<article stem>.lexicon.toml`` next to the input.
The shipped entries are English respellings and apply to English text only.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Literal, Sequence

from ..errors import ConfigError

SHIPPED_LEXICON = Path(__file__).with_name("data") / "lexicon.toml"
ARTICLE_LEXICON_SUFFIX = ".lexicon.toml"


@dataclass(frozen=True)
class LexiconEntry:
    grapheme: str  # the word or phrase as written
    alias: str | None = None  # respelling the voice reads instead
    ipa: str | None = None  # phonemes, for engines that accept them
    case_sensitive: bool = False
    source: str | None = None  # the file it came from

    @property
    def key(self) -> tuple[bool, str]:
        """Entries with the same key replace each other when lexicons merge."""
        return (self.case_sensitive, self.grapheme if self.case_sensitive else self.grapheme.casefold())


def parse_lexicon(text: str, source: str | None = None) -> list[LexiconEntry]:
    """TOML text → entries.  Raises :class:`ConfigError` naming ``source``."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"invalid TOML: {exc}", source) from None
    words = data.get("words", {})
    if not isinstance(words, dict):
        raise ConfigError("[words] must be a table", source)
    entries = []
    for grapheme, value in words.items():
        if not grapheme.strip():
            raise ConfigError("an entry under [words] has an empty name", source)
        if isinstance(value, str):
            value = {"alias": value}
        if not isinstance(value, dict):
            raise ConfigError(f"words.{grapheme} must be a string or a table", source)
        unknown = set(value) - {"alias", "ipa", "case_sensitive"}
        if unknown:
            raise ConfigError(f"words.{grapheme}: unknown key {sorted(unknown)[0]!r}", source)
        alias, ipa = value.get("alias"), value.get("ipa")
        case_sensitive = value.get("case_sensitive", False)
        if alias is None and ipa is None:
            raise ConfigError(f"words.{grapheme} needs an alias or an ipa", source)
        if not all(v is None or isinstance(v, str) for v in (alias, ipa)) or not isinstance(case_sensitive, bool):
            raise ConfigError(f"words.{grapheme}: alias and ipa are strings, case_sensitive is true or false", source)
        entries.append(LexiconEntry(grapheme.strip(), alias, ipa, case_sensitive, source))
    return entries


class Lexicon:
    """An immutable set of entries with one compiled whole-word matcher."""

    def __init__(self, entries: Iterable[LexiconEntry] = ()) -> None:
        merged: dict[tuple[bool, str], LexiconEntry] = {}
        for entry in entries:
            merged.pop(entry.key, None)  # keep file order, later definitions win
            merged[entry.key] = entry
        self._entries = tuple(merged.values())
        self._exact = {e.grapheme: e for e in self._entries if e.case_sensitive}
        self._folded = {e.grapheme.casefold(): e for e in self._entries if not e.case_sensitive}
        self._pattern = _compile(self._entries)

    # -- building -----------------------------------------------------------------
    @classmethod
    def load(cls, paths: Iterable[str | Path]) -> "Lexicon":
        """Merge the files in order (later files override earlier ones)."""
        entries: list[LexiconEntry] = []
        for path in paths:
            path = Path(path)
            try:
                text = path.read_text(encoding="utf-8")
            except FileNotFoundError:
                raise ConfigError("lexicon file not found", str(path)) from None
            except (OSError, UnicodeDecodeError) as exc:
                raise ConfigError(f"cannot read lexicon: {exc}", str(path)) from None
            entries.extend(parse_lexicon(text, str(path)))
        return cls(entries)

    @classmethod
    def shipped(cls) -> "Lexicon":
        """The default lexicon that ships with publisher."""
        return cls.load([SHIPPED_LEXICON])

    @classmethod
    def for_article(cls, source: str | Path | None = None, user_paths: Sequence[str | Path] = ()) -> "Lexicon":
        """shipped < each of ``user_paths`` (must exist) < the article's own file (if any)."""
        merged = cls.shipped().merged(cls.load(user_paths))
        article_file = article_lexicon_path(source)
        if article_file is not None and article_file.is_file():
            merged = merged.merged(cls.load([article_file]))
        return merged

    def for_language(self, lang: str | None) -> "Lexicon":
        """The entries that apply to text in ``lang``.

        The shipped respellings are written for English voices (checked against
        the English phonemizer); a German voice reading "Lukah-shenka" would say
        something else again, so other languages get only the user's entries.
        """
        if (lang or "en").lower().split("-")[0] == "en":
            return self
        return Lexicon(e for e in self._entries if e.source != str(SHIPPED_LEXICON))

    def merged(self, other: "Lexicon") -> "Lexicon":
        """A new lexicon: these entries, overridden by ``other``'s."""
        return Lexicon((*self._entries, *other._entries))

    # -- using --------------------------------------------------------------------
    @property
    def entries(self) -> tuple[LexiconEntry, ...]:
        return self._entries

    def __len__(self) -> int:
        return len(self._entries)

    def lookup(self, word: str) -> LexiconEntry | None:
        """The entry that applies to ``word`` as written (case-sensitive entries first)."""
        return self._exact.get(word) or self._folded.get(word.casefold())

    def apply(self, text: str, mode: Literal["alias", "phonemes"] = "alias") -> str:
        """Replace every listed word by its alias.

        ``mode="phonemes"`` writes entries that have IPA as Piper's raw-phoneme
        syntax ``[[ ... ]]`` instead (and aliases for the rest).
        """
        if self._pattern is None:
            return text

        def replace(m: re.Match) -> str:
            entry = self.lookup(m.group(0))
            if entry is None:
                return m.group(0)
            if mode == "phonemes" and entry.ipa:
                return f"[[ {entry.ipa} ]]"
            return entry.alias or m.group(0)

        return self._pattern.sub(replace, text)


def _compile(entries: Sequence[LexiconEntry]) -> re.Pattern | None:
    if not entries:
        return None
    ordered = sorted(entries, key=lambda e: len(e.grapheme), reverse=True)
    parts = [re.escape(e.grapheme) if e.case_sensitive else f"(?i:{re.escape(e.grapheme)})" for e in ordered]
    return re.compile(rf"(?<!\w)(?:{'|'.join(parts)})(?!\w)")


def article_lexicon_path(source: str | Path | None) -> Path | None:
    """``input/story.html`` → ``input/story.lexicon.toml`` (whether or not it exists).

    None for an article read from a URL: it has no folder of its own, and a URL taken
    as a path ("https:/host/story.lexicon.toml") would name a local file by accident.
    """
    if not source or re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", str(source)):
        return None
    path = Path(source)
    return path.with_name(path.stem + ARTICLE_LEXICON_SUFFIX)
