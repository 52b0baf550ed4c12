"""Language routing: every utterance is spoken by a voice of its language.

A fake engine that speaks English only stands in for the configured voice (fast,
and it declares its languages as a real engine does); the fallbacks are the real
eSpeak NG voices from espeakng-loader, and the default Piper voice's own config.
"""
from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import numpy as np
import pytest

from publisher.cache import SegmentCache
from publisher.cli import EXIT_FAILURES, EXIT_OK, main
from publisher.manifest import load_manifest
from publisher.read import read_article
from publisher.speech import voices
from publisher.speech.engines import base, get_engine
from publisher.speech.engines.fake import FakeEngine
from publisher.speech.narrate import VoicePolicy, as_stored, narrate
from publisher.speech.normalize import normalize
from publisher.speech.prepare import prepare_script
from publisher.speech.types import Script, ScriptSection, Utterance, VoiceChoice

ENGLISH_ONLY = "fake-en"
LANGUAGE_FIXTURES = Path(__file__).resolve().parents[1] / "read" / "fixtures" / "languages"


class EnglishOnlyEngine(FakeEngine):
    name = ENGLISH_ONLY

    def languages(self, voice):
        return {"en-us"}


@pytest.fixture
def english_only(monkeypatch):
    monkeypatch.setitem(base._factories, ENGLISH_ONLY, EnglishOnlyEngine)
    monkeypatch.setattr(base, "_instances", dict(base._instances))
    return VoiceChoice(ENGLISH_ONLY)


def neural_voices_for(lang: str) -> list[str]:
    return [model for model, langs in voices.installed_piper_voices() if lang in langs]


def expected_fallback(lang: str) -> VoiceChoice:
    """What the chain must give when the configured voice cannot: installed neural first, else eSpeak NG."""
    neural = neural_voices_for(lang)
    return VoiceChoice("piper", neural[0]) if neural else VoiceChoice("espeak", voices.espeak_voice_for(lang))


def say(sid, text, lang="en", **kwargs) -> Utterance:
    return Utterance(sid, text, text, lang=lang, **kwargs)


# -- what each voice speaks ---------------------------------------------------------------

def test_the_default_piper_voice_speaks_english_only_per_its_own_config():
    piper = VoiceChoice("piper")
    assert voices.speaks(piper, "en") and voices.speaks(piper, "en-US")
    for lang in ("ru", "de", "fr", "zh"):
        assert not voices.speaks(piper, lang)


def test_espeak_ng_ships_voices_for_the_fixture_languages():
    for lang in sorted({p.name.split("-")[0] for p in LANGUAGE_FIXTURES.glob("*.txt")}):
        name = voices.espeak_voice_for(lang)
        assert name, lang
        assert voices.speaks(VoiceChoice("espeak", name), lang)
    assert voices.espeak_voice_for("pt-BR") == "pt-BR"  # the full tag first, then the primary subtag
    assert voices.espeak_voice_for("zh") == "cmn"


def test_an_espeak_voice_does_not_speak_another_language():
    assert not voices.speaks(VoiceChoice("espeak", "de"), "fr")
    assert voices.speaks(VoiceChoice("espeak", "de"), "de-AT")


# -- the chain ----------------------------------------------------------------------------

def test_a_configured_voice_that_speaks_the_language_keeps_it(english_only):
    assert voices.route(english_only, "en") == english_only
    assert voices.route(english_only, "en-US") == english_only


@pytest.mark.parametrize("lang", ["de", "ru", "fr", "zh"])
def test_other_languages_go_to_an_installed_neural_voice_then_espeak_ng(english_only, lang):
    routed = voices.route(english_only, lang)
    assert routed == expected_fallback(lang)
    assert routed != english_only and voices.speaks(routed, lang)


def test_piper_never_gets_a_language_its_voice_does_not_have():
    routed = voices.route(VoiceChoice("piper"), "ru")
    assert routed != VoiceChoice("piper") and voices.speaks(routed, "ru")


def test_a_voice_configured_for_the_language_wins_over_the_chain(english_only):
    german = VoiceChoice("fake", "deutsch")  # the plain fake engine speaks every language
    policy = VoicePolicy(default=english_only, by_lang={"de": german})
    assert policy.choose(say("1", "Guten Tag.", lang="de-CH")) == german
    assert policy.choose(say("2", "Bonjour.", lang="fr")) == expected_fallback("fr")
    assert policy.choose(say("3", "Hello.")) == english_only


def test_a_language_no_voice_reads_fails_with_the_language_named(english_only):
    with pytest.raises(voices.NoVoiceError, match="'tlh'"):
        voices.route(english_only, "tlh")
    # eSpeak NG has a Japanese voice, but it reads kana only: kanji would come out as letter names
    with pytest.raises(voices.NoVoiceError, match="'ja'.*kana"):
        voices.route(english_only, "ja")


# -- narration: what was used, and real eSpeak NG audio -----------------------------------------

def test_narration_records_every_engine_voice_and_language_with_sentence_counts(tmp_path, english_only):
    script = Script("mixed", "en", (ScriptSection("s", "Mixed", (
        say("a", "The mayor spoke."), say("b", "Wir sind stolz.", lang="de"), say("c", "Then she left."),
        say("d", "Das war schön.", lang="de"), say("e", "Applause followed.")), file_stem="00-mixed"),))
    narration = narrate(script, tmp_path, episode_name="mixed", voices=VoicePolicy(default=english_only))
    german = expected_fallback("de")
    assert [(u.engine, u.voice, u.lang, u.sentences) for u in narration.voices] == [
        (ENGLISH_ONLY, None, "en", 3), (german.engine, german.voice, "de", 2)]
    assert narration.engine == ENGLISH_ONLY  # the voice that spoke most
    assert get_engine(ENGLISH_ONLY).calls == [("The mayor spoke.", None, "en"), ("Then she left.", None, "en"),
                                              ("Applause followed.", None, "en")]


@pytest.mark.skipif(bool(neural_voices_for("de") or neural_voices_for("ru")),
                    reason="a neural German/Russian voice is installed: the chain picks it, not eSpeak NG")
@pytest.mark.parametrize("lang, text", [
    ("de", "Der neue Radweg am Fluss ist fertig."),
    ("ru", "В городе открылась новая станция метро."),
])
def test_real_espeak_ng_speaks_the_sentence_in_its_own_language(tmp_path, english_only, lang, text):
    script = Script("one", lang, (ScriptSection("s", "One", (say("a", text, lang=lang),), file_stem="00-one"),))
    cache = SegmentCache(tmp_path / "cache")
    narration = narrate(script, tmp_path / "out", episode_name="one", voices=VoicePolicy(default=english_only),
                        cache=cache)
    assert [(u.engine, u.voice, u.label) for u in narration.voices] == [
        ("espeak", lang, f"eSpeak NG {lang}")]
    (key,) = narration.segment_keys
    spoken = cache.get(key).samples
    espeak = get_engine("espeak")
    own = as_stored(espeak.synthesize(text, lang, lang)).samples
    english = as_stored(espeak.synthesize(text, "en", "en")).samples
    assert np.array_equal(spoken, own)  # the language's own voice, not the English one
    assert not (spoken.size == english.size and np.array_equal(spoken, english))
    assert narration.duration > 1.0 and get_engine(ENGLISH_ONLY).calls == []


# -- normalization and labels in other languages -------------------------------------------------

def test_german_numbers_and_abbreviations_are_left_to_the_german_voice_not_read_with_english_rules():
    spoken = normalize("Am 3. Mai kamen 1.200 Menschen, Dr. Weber zahlte 5 % mehr.", "de")
    for english in ("third", "three", "thousand", "hundred", "May", "Doctor", "percent"):
        assert english not in spoken
    assert "3. Mai" in spoken and "1.200" in spoken and "Dr. Weber" in spoken


def test_a_german_article_gets_no_english_respellings_and_no_english_by(tmp_path):
    story = tmp_path / "bericht.md"
    story.write_text("---\ntitle: Besuch in Minsk\nbyline: Anna Weber\n---\n\n"
                     "Der Oppositionspolitiker sprach am Montag in Minsk über Lukashenka und die Wahl, "
                     "die viele Menschen im ganzen Land seit Monaten beschäftigt.\n", encoding="utf-8")
    article = read_article(story)
    assert article.language == "de"
    spoken = [u for s in prepare_script(article).sections for u in s.utterances]
    assert any("Lukashenka" in u.spoken for u in spoken)  # the shipped (English) respelling stays out
    byline = next(u for u in spoken if u.role == "byline")
    assert byline.spoken == "Anna Weber" and byline.lang == "de"


# -- the build: --json, manifest, page label, one failure line ----------------------------------------

def write_inputs(folder: Path) -> dict[str, Path]:
    folder.mkdir()
    paths = {"en": folder / "en-library.txt", "de": folder / "de-radweg.txt", "ja": folder / "ja-tosho.txt"}
    for lang in ("en", "de"):
        paths[lang].write_text((LANGUAGE_FIXTURES / paths[lang].name).read_text("utf-8"), encoding="utf-8")
    paths["ja"].write_text("新しい図書館が開館\n\n東京都は月曜日、駅の近くに新しい図書館を開館しました。"
                           "初日には多くの市民が訪れ、子ども向けの読書会も開かれました。\n", encoding="utf-8")
    return paths


def test_build_routes_each_article_records_its_voices_and_fails_only_the_unspeakable_one(tmp_path, capsys,
                                                                                          english_only):
    paths = write_inputs(tmp_path / "in")
    output, report = tmp_path / "site", tmp_path / "report.json"
    code = main(["build", str(tmp_path / "in"), "-o", str(output), "--engine", ENGLISH_ONLY, "-j", "1", "-q",
                 "--json", str(report)])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == EXIT_FAILURES
    failures = [line for line in err if line.startswith(("FAILED", "error:"))]
    assert len(failures) == 1 and str(paths["ja"]) in failures[0] and "'ja'" in failures[0]

    summary = json.loads(report.read_text("utf-8"))
    by_source = {Path(a["source"]).name: a for a in summary["articles"]}
    assert summary["published"] == 2 and summary["failed"] == 1
    assert by_source["ja-tosho.txt"]["status"] == "failed" and by_source["ja-tosho.txt"]["voices"] == []
    german = expected_fallback("de")
    de_voices = by_source["de-radweg.txt"]["voices"]
    de_utterances = sum(len(s.utterances) for s in prepare_script(read_article(paths["de"])).sections)
    assert [(v["engine"], v["voice"], v["lang"], v["sentences"]) for v in de_voices] == [
        (german.engine, german.voice, "de", de_utterances)]
    assert {v["engine"] for v in by_source["en-library.txt"]["voices"]} == {ENGLISH_ONLY}

    episodes = [asdict(e) for e in load_manifest(output).values()]
    assert sorted(e["slug"] for e in episodes) == sorted(
        by_source[n]["slug"] for n in ("en-library.txt", "de-radweg.txt"))  # nothing for the Japanese story
    episode = next(e for e in episodes if e["source"] == str(paths["de"]))
    assert list(episode["voices"]) == de_voices
    page = (output / episode["page_path"]).read_text("utf-8")
    assert f"voice: {de_voices[0]['label']}" in page and 'lang="de"' in page
    assert not (output / by_source["ja-tosho.txt"]["slug"]).exists()

    # Unchanged articles report the voices they were published with.
    paths["ja"].unlink()
    assert main(["build", str(tmp_path / "in"), "-o", str(output), "--engine", ENGLISH_ONLY, "-j", "1", "-q",
                 "--json", str(report)]) == EXIT_OK
    again = {Path(a["source"]).name: a for a in json.loads(report.read_text("utf-8"))["articles"]}
    assert again["de-radweg.txt"]["status"] == "unchanged" and again["de-radweg.txt"]["voices"] == de_voices


def test_the_content_hash_covers_the_voice_each_language_is_routed_to(english_only):
    from publisher.config import Config, SpeechConfig
    from publisher.speech.pipeline import speech_identity

    config = Config(speech=SpeechConfig(engine=ENGLISH_ONLY))
    german = expected_fallback("de")
    identity = speech_identity(config, None, ("en", "de", "tlh"))
    assert f"de: {get_engine(german.engine).identity(german.voice)}" in identity.splitlines()
    assert any(line.startswith("tlh: no installed voice") for line in identity.splitlines())
    assert speech_identity(config, None, ("en",)) != identity
