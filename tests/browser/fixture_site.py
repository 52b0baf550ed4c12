"""A small, complete built site for page tests: one article with every block kind, real MP3s.

The article text is written for these tests.  The narration is synthetic but
consistent (the VTT and chapters come from the project's own writers): each spoken sentence is a soft tone of a known length followed by
silence, so the timings, chapters, VTT and MP3 durations all agree.  (The real
speech stage is not needed to test the page; this keeps the browser tests fast
and independent of the voice.)

``build_site(folder)`` writes::

    folder/index.html
    folder/static/site.css, readalong.js
    folder/<slug>/index.html, <slug>.mp3, transcript.vtt, chapters.json,
                  sections/NN-<name>.mp3, images/*.png
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from publisher.config import SiteConfig
from publisher.manifest import EpisodeEntry
from publisher.model import Article, Quote, block_sentences
from publisher.read.draft import DraftArticle, DraftBlock
from publisher.segment import build_article
from publisher.speech.types import Chapter, Narration, SectionFile, Timing
from publisher.write.chapters import render_chapters_json
from publisher.write.page import render_article_page, render_index, static_assets
from publisher.write.transcript import render_vtt

SAMPLE_RATE = 16_000
SENTENCE_SECONDS = 1.2
PAUSE_SECONDS = 0.3

SITE = SiteConfig(
    title="Harbour Audio Edition",
    description="Local reporting, readable and listenable.",
    base_url="https://news.example.org/audio/",
)


def fixture_draft() -> DraftArticle:
    """Every block kind the page renders: sections with h2/h3, figures, quotes, list, table, credit."""
    return DraftArticle(
        title="Harbour town tests a tide-powered ferry",
        dek="A short crossing becomes a trial for quiet, cheap transport.",
        byline="By Mara Okonkwo",
        dateline="PORT ELLIS",
        published="2026-03-14",
        language="en",
        identity="file:tide-ferry",
        url="https://news.example.org/2026/03/tide-ferry",
        site_name="Harbour Gazette",
        blocks=[
            DraftBlock("paragraph", text="The ferry left the north quay at seven on Tuesday. "
                                         "It carried twelve passengers and one bicycle."),
            DraftBlock("figure", src="images/ferry.png", alt=None, credit="Photo: Harbour Office",
                       caption="The ferry Marlin leaves the north quay on its first trial run."),
            DraftBlock("heading", text="Background", level=2),
            DraftBlock("paragraph", text="The crossing is only four hundred metres wide. "
                                         "Diesel boats have served it since 1962."),
            DraftBlock("quote", quote_kind="pull", text="Diesel boats have served it since 1962."),
            DraftBlock("heading", text="Earlier attempts", level=3),
            DraftBlock("paragraph", text="Two earlier plans failed. Both needed a new pier."),
            DraftBlock("list", items=["A solar barge in 2009.", "A cable ferry in 2015."]),
            DraftBlock("heading", text="How it works", level=2),
            DraftBlock("paragraph", text="A turbine under the hull charges a battery while the boat waits. "
                                         "The tide does the rest."),
            DraftBlock("table", rows=[[("Part", True), ("Weight", True)],
                                      [("Hull", False), ("2 t", False)],
                                      [("Battery", False), ("600 kg", False)]]),
            DraftBlock("figure", src="images/turbine.png",
                       alt="Diagram: a turbine below the hull, water flowing from left to right",
                       caption="The turbine sits below the waterline."),
            DraftBlock("figure", src="images/quay.png"),
            DraftBlock("figure", src="https://images.example.org/harbour-map.png",
                       alt="Map of the harbour with the ferry route drawn as a dashed line"),
            DraftBlock("heading", text="Reactions", level=2),
            DraftBlock("quote", text="Das ist leiser als jedes Boot, das ich kenne.", lang="de",
                       attribution="Lena Hartmann, visiting engineer", cite="https://example.org/interview"),
            DraftBlock("quote", text="We will run it every weekday until the autumn.",
                       attribution="Tomasz Reed, harbour master"),
            DraftBlock("credit", text="Reporting by Mara Okonkwo; editing by Sam Ruiz.", credit_kind="reporting"),
        ],
    )


def foreign_draft() -> DraftArticle:
    """A German article with an English quote: the interface wording must be marked as English."""
    return DraftArticle(
        title="Neue Fähre fährt mit der Flut",
        dek="Ein kurzer Test im Hafen von Port Ellis.",
        byline="Jonas Weber",
        published="2026-03-16",
        language="de",
        identity="file:flut-faehre",
        blocks=[
            DraftBlock("paragraph", text="Die Fähre braucht keinen Diesel. Sie lädt ihre Batterie mit der Strömung."),
            DraftBlock("heading", text="Erste Fahrt", level=2),
            DraftBlock("paragraph", text="Am Dienstag fuhren zwölf Gäste mit. Niemand wurde seekrank."),
            DraftBlock("quote", text="It is quieter than any boat I know.", lang="en",
                       attribution="Eine Besucherin aus Leeds"),
            DraftBlock("heading", text="Wie es weitergeht", level=2),
            DraftBlock("paragraph", text="Der Test dauert bis zum Herbst."),
        ],
    )


def fixture_article() -> Article:
    return build_article(fixture_draft(), source="tests/browser/fixture_site.py")


def spoken_sentences(article: Article, section) -> list:
    """What the narration reads for one section, in order (pull quotes repeating the body are skipped)."""
    out = []
    if section is article.sections[0]:
        out += [s for s in (article.title_sentence, article.dek_sentence) if s]
    if section.heading_sentence:
        out.append(section.heading_sentence)
    for block in section.blocks:
        if isinstance(block, Quote) and block.repeats_body:
            continue
        out.extend(block_sentences(block))
    return out


def encode_mp3(samples: np.ndarray) -> bytes:
    import lameenc

    encoder = lameenc.Encoder()
    encoder.set_bit_rate(32)
    encoder.set_in_sample_rate(SAMPLE_RATE)
    encoder.set_channels(1)
    encoder.set_quality(7)
    pcm = (np.clip(samples, -1, 1) * 32767).astype("<i2").tobytes()
    return bytes(encoder.encode(pcm) + encoder.flush())


def _tone(seconds: float, pitch: float) -> np.ndarray:
    t = np.arange(int(round(seconds * SAMPLE_RATE))) / SAMPLE_RATE
    return (0.05 * np.sin(2 * np.pi * pitch * t)).astype(np.float32)


def _silence(seconds: float) -> np.ndarray:
    return np.zeros(int(round(seconds * SAMPLE_RATE)), dtype=np.float32)


@dataclass
class FixtureNarration:
    narration: Narration
    episode: bytes
    section_audio: dict[str, bytes]  # relative path -> MP3
    vtt: str
    chapters_json: str


def synthesize(article: Article) -> FixtureNarration:
    timings: list[Timing] = []
    chapters: list[Chapter] = []
    files: list[SectionFile] = []
    section_audio: dict[str, bytes] = {}
    episode_parts: list[np.ndarray] = []
    clock = 0.0
    for number, section in enumerate(article.sections, start=1):
        start = clock
        parts = []
        for index, sentence in enumerate(spoken_sentences(article, section)):
            timings.append(Timing(sentence.id, sentence.text, round(clock, 3), round(clock + SENTENCE_SECONDS, 3)))
            parts += [_tone(SENTENCE_SECONDS, 330 + 40 * (index % 4)), _silence(PAUSE_SECONDS)]
            clock += SENTENCE_SECONDS + PAUSE_SECONDS
        samples = np.concatenate(parts)
        title = section.heading or "Introduction"
        chapters.append(Chapter(section.id, title, round(start, 3), round(clock, 3)))
        path = f"sections/{number:02d}-{section.id.removeprefix('sec-')}.mp3"
        mp3 = encode_mp3(samples)
        section_audio[path] = mp3
        files.append(SectionFile(section.id, title, path, len(samples) / SAMPLE_RATE, len(mp3)))
        episode_parts.append(samples)
    episode = encode_mp3(np.concatenate(episode_parts))
    narration = Narration(
        article_id=article.id, episode_path=f"{article.slug}.mp3", duration=round(clock, 3),
        bytes=len(episode), timings=tuple(timings), chapters=tuple(chapters), sections=tuple(files),
        engine="fake", voice="tone",
    )
    return FixtureNarration(narration, episode, section_audio, render_vtt(narration),
                            render_chapters_json(narration, title=article.title))


def _png(path: Path, color: tuple[int, int, int]) -> None:
    from PIL import Image

    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (320, 180), color).save(path, format="PNG")


@dataclass
class BuiltSite:
    root: Path
    article: Article
    narration: Narration
    article_html: str
    index_html: str

    foreign_article: Article

    @property
    def article_path(self) -> str:
        return f"{self.article.slug}/index.html"

    @property
    def foreign_article_path(self) -> str:
        return f"{self.foreign_article.slug}/index.html"

    @property
    def text_only_path(self) -> str:
        """The main article rendered without narration (no player, no buttons), next to its images."""
        return f"{self.article.slug}/text-only.html"


def episode_entry(article: Article, narration: Narration) -> EpisodeEntry:
    slug = article.slug
    return EpisodeEntry(
        article_id=article.id, slug=slug, title=article.title, language=article.language,
        page_path=f"{slug}/index.html", audio_path=f"{slug}/{narration.episode_path}",
        audio_bytes=narration.bytes, duration=narration.duration,
        transcript_path=f"{slug}/transcript.vtt", chapters_path=f"{slug}/chapters.json",
        first_published="2026-03-14T08:00:00+00:00", published=article.published, dek=article.dek,
        byline=article.byline, word_count=article.word_count(),
    )


def write_article(root: Path, article: Article, images: dict[str, tuple[int, int, int]]) -> tuple[Narration, str]:
    """One article folder: page, episode and section MP3s, VTT, chapters, images."""
    audio = synthesize(article)
    folder = root / article.slug
    folder.mkdir(parents=True, exist_ok=True)
    (folder / audio.narration.episode_path).write_bytes(audio.episode)
    for rel, data in audio.section_audio.items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_bytes(data)
    (folder / "transcript.vtt").write_text(audio.vtt, encoding="utf-8")
    (folder / "chapters.json").write_text(audio.chapters_json, encoding="utf-8")
    for name, color in images.items():
        _png(folder / "images" / f"{name}.png", color)
    html = render_article_page(article, audio.narration, SITE)
    (folder / "index.html").write_text(html, encoding="utf-8")
    return audio.narration, html


def build_site(root: Path) -> BuiltSite:
    article = fixture_article()
    images = {"ferry": (40, 90, 140), "turbine": (30, 110, 80), "quay": (120, 100, 60)}
    narration, article_html = write_article(root, article, images)
    foreign = build_article(foreign_draft(), source="tests/browser/fixture_site.py")
    foreign_narration, _ = write_article(root, foreign, {})
    (root / article.slug / "text-only.html").write_text(render_article_page(article, None, SITE), encoding="utf-8")
    static = root / "static"
    static.mkdir(exist_ok=True)
    for name, data in static_assets().items():
        (static / name).write_bytes(data)
    entries = [episode_entry(article, narration), episode_entry(foreign, foreign_narration)]
    index_html = render_index(entries, SITE)
    (root / "index.html").write_text(index_html, encoding="utf-8")
    return BuiltSite(root, article, narration, article_html, index_html, foreign)
