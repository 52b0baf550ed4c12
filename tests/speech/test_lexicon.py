"""Pronunciation lexicon: whole-word and per-entry case matching, merge order, errors."""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from publisher.errors import ConfigError
from publisher.speech.lexicon import Lexicon, LexiconEntry, article_lexicon_path, parse_lexicon

SHARED = Path(os.environ.get("PUBLISHER_SHARED", Path(__file__).resolve().parents[3] / "shared"))


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def small() -> Lexicon:
    return Lexicon(parse_lexicon(
        """
        [words]
        Minsk = "Meensk"
        "Current Time" = "Current Taim"
        [words.US]
        alias = "you ess"
        case_sensitive = true
        [words.gif]
        alias = "jif"
        """,
        "small.toml",
    ))


@pytest.mark.parametrize("text, spoken", [
    ("Minsk is cold.", "Meensk is cold."),
    ("minsk is cold.", "Meensk is cold."),  # case-insensitive by default
    ("Minsk's mayor", "Meensk's mayor"),
    ("Minsk-based", "Meensk-based"),
    ("(Minsk)", "(Meensk)"),
    ("Minsky said", "Minsky said"),  # never inside a longer word
    ("Minsker", "Minsker"),
    ("TheMinsk", "TheMinsk"),
    ("told Current Time, however", "told Current Taim, however"),
    ("Current Timeline", "Current Timeline"),
    ("the US said", "the you ess said"),
    ("let us go", "let us go"),  # case-sensitive entry: "us" is not "US"
    ("a GIF file", "a jif file"),
    ("", ""),
])
def test_apply_matches_whole_words_only(small, text, spoken):
    assert small.apply(text) == spoken


def test_lookup_prefers_the_case_sensitive_entry():
    lexicon = Lexicon([
        LexiconEntry("polish", "pollish"),
        LexiconEntry("Polish", "Poe-lish", case_sensitive=True),
    ])
    assert lexicon.apply("Polish shoe polish") == "Poe-lish shoe pollish"


def test_merge_order_shipped_then_global_then_article(tmp_path):
    global_file = write(tmp_path / "global.toml", '[words]\nLukashenka = "GLOBAL"\nMinsk = "Meensk"\n')
    article = write(tmp_path / "story.html", "<p>x</p>")
    write(tmp_path / "story.lexicon.toml", '[words]\nlukashenka = "ARTICLE"\n')

    shipped = Lexicon.for_article(None)
    assert shipped.apply("Lukashenka") == Lexicon.shipped().apply("Lukashenka") != "Lukashenka"

    with_global = Lexicon.for_article(None, [global_file])
    assert with_global.apply("Lukashenka in Minsk") == "GLOBAL in Meensk"

    with_article = Lexicon.for_article(article, [global_file])
    assert with_article.apply("Lukashenka in Minsk") == "ARTICLE in Meensk"
    # entries nobody overrode still come from the shipped file
    assert with_article.apply("Tsikhanouskaya") == Lexicon.shipped().apply("Tsikhanouskaya")


def test_load_merges_files_in_order(tmp_path):
    first = write(tmp_path / "a.toml", '[words]\nMinsk = "one"\nGomel = "Homyel"\n')
    second = write(tmp_path / "b.toml", '[words]\nMinsk = "two"\n')
    assert Lexicon.load([first, second]).apply("Minsk Gomel") == "two Homyel"
    assert Lexicon.load([second, first]).apply("Minsk Gomel") == "one Homyel"
    assert len(Lexicon.load([first, second])) == 2


def test_article_lexicon_sits_next_to_the_input():
    assert article_lexicon_path("input/story.html") == Path("input/story.lexicon.toml")
    assert article_lexicon_path("a/b.c.md") == Path("a/b.c.lexicon.toml")
    assert article_lexicon_path(None) is None
    # An article read from a URL has no folder: no lexicon path, never a local look-alike.
    assert article_lexicon_path("https://news.example/2026/story.html") is None
    assert article_lexicon_path("C:/input/story.html") == Path("C:/input/story.lexicon.toml")


def test_missing_article_file_is_fine_but_missing_user_file_is_an_error(tmp_path):
    Lexicon.for_article(tmp_path / "no-lexicon.txt")
    with pytest.raises(ConfigError) as error:
        Lexicon.for_article(None, [tmp_path / "missing.toml"])
    assert "missing.toml" in str(error.value)


@pytest.mark.parametrize("text, problem", [
    ("[words\nx = 1", "invalid TOML"),
    ("words = 3", "[words] must be a table"),
    ('[words]\nMinsk = 3', "must be a string or a table"),
    ('[words.Minsk]\ncase_sensitive = true', "needs an alias or an ipa"),
    ('[words.Minsk]\nalias = "x"\nspeed = 2', "unknown key 'speed'"),
    ('[words.Minsk]\nalias = "x"\ncase_sensitive = "yes"', "case_sensitive is true or false"),
    ('[words]\n" " = "x"', "empty name"),
])
def test_bad_files_give_one_line_errors_naming_the_file(tmp_path, text, problem):
    path = write(tmp_path / "bad.toml", text)
    with pytest.raises(ConfigError) as error:
        Lexicon.load([path])
    message = str(error.value)
    assert message.startswith(str(path) + ": ")
    assert problem in message
    assert "\n" not in message


def test_phoneme_mode_uses_ipa_where_present():
    lexicon = Lexicon([LexiconEntry("Minsk", "Meensk", "mʲinsk"), LexiconEntry("Homel", "Homyel")])
    assert lexicon.apply("Minsk and Homel", mode="phonemes") == "[[ mʲinsk ]] and Homyel"


def test_shipped_lexicon_respells_the_seed_names():
    lexicon = Lexicon.shipped()
    for name in ["Lukashenka", "Tsikhanouskaya", "Taraykovski", "Babaryka", "Kalesnikava", "Yermoshina", "Karayev"]:
        entry = lexicon.lookup(name)
        assert entry is not None and entry.alias and entry.ipa, name
        assert entry.alias != name
        assert re.fullmatch(r"[A-Za-z][A-Za-z -]*", entry.alias), entry.alias  # plain letters a voice can read


def test_shipped_names_occur_in_the_seed_article():
    seed = (SHARED / "seed" / "article.txt").read_text(encoding="utf-8")
    missing = [e.grapheme for e in Lexicon.shipped().entries if e.grapheme not in seed]
    assert missing == []


def test_empty_lexicon_changes_nothing():
    assert Lexicon().apply("Lukashenka") == "Lukashenka"
    assert len(Lexicon()) == 0
