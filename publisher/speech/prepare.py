"""Article → Script: what the narrator will say, section by section.

Policy, in reading order:

* The first section ("Introduction") reads the headline, the dek and the
  byline, then the untitled lead section if the article has one (it becomes
  that section's chapter: its id is the lead section's id).
* Every titled model section becomes one script section; its heading is read
  first.
* Paragraph sentences are one utterance each: ``display`` is the sentence as
  written, ``spoken`` is ``lexicon.apply(normalize(display))``.
* Quotes are read with role "quote", except pull quotes that repeat the body.
* Lists are read item by item (ordered items are numbered aloud); tables row
  by row as "header: value" pairs, or summarized when they are large.
* Figure captions are read after their section as a short aside
  (``toc=False``, title "Photo caption") that begins with a spoken label.
* Credits (reporting lines, editor's notes, corrections) are collected and
  read last, in a "Credits" section.
* Pauses: short between sentences, longer after a paragraph, longest after a
  section's last utterance.  Sections with nothing to say are dropped.
* Bumpers (``[speech] intro/outro``, ``intro_audio/outro_audio``) wrap the
  whole script in an "Intro" and an "Outro" section of their own, so every
  chapter and sentence after them is offset by exactly their audio
  (:func:`add_bumpers`, also used by the daily briefing).
* The spoken labels ("Photo caption.", "By", "Table:") are English
  (``phrases_lang``): in an article in another language the caption label and a
  large table's summary are their own utterances in that language (so an
  English voice reads them), and "By"/"Table:" are not glued to its text.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace

from ..ids import slugify
from ..model import Article, Credit, Figure, ListBlock, Paragraph, Quote, Section, Sentence, Table
from .lexicon import Lexicon
from .normalize import NormalizeOptions, normalize
from .types import Role, Script, ScriptSection, Utterance

INTRO_SECTION_ID = "intro"  # used only when the article has no untitled lead section
CREDITS_SECTION_ID = "credits"
# "_" never occurs in model ids (slugs and hashes): bumpers cannot collide with sections.
BUMPER_INTRO_ID = "bumper_intro"
BUMPER_OUTRO_ID = "bumper_outro"


@dataclass(frozen=True)
class Bumpers:
    """What opens and closes every episode: words (read by the episode's voice) and/or a sound file."""

    intro: str | None = None
    outro: str | None = None
    intro_sound: str | None = None  # path of an MP3/WAV ident, played before the intro words
    outro_sound: str | None = None  # played after the outro words
    intro_title: str = "Intro"  # their chapter titles
    outro_title: str = "Outro"

    def __bool__(self) -> bool:
        return any((self.intro, self.outro, self.intro_sound, self.outro_sound))


@dataclass(frozen=True)
class PrepareOptions:
    read_captions: bool = True
    normalize: NormalizeOptions = field(default_factory=NormalizeOptions)
    sentence_pause_ms: int = 300
    item_pause_ms: int = 500  # after a list item or table row
    paragraph_pause_ms: int = 700
    section_pause_ms: int = 1200
    max_table_rows: int = 12  # larger tables are summarized, not read cell by cell
    intro_title: str = "Introduction"
    caption_title: str = "Photo caption"
    caption_label: str = "Photo caption."
    credits_title: str = "Credits"
    phrases_lang: str = "en"  # the language the spoken labels above are written in
    stem_length: int = 40  # longest slug in a section file stem
    bumpers: Bumpers = field(default_factory=Bumpers)


class _Preparer:
    def __init__(self, article: Article, options: PrepareOptions, lexicon: Lexicon) -> None:
        self.article = article
        self.options = options
        self.lexicon = lexicon
        self._lexicons: dict[str, Lexicon] = {}
        self.own_phrases = _primary(article.language) == _primary(options.phrases_lang)

    # -- one utterance ----------------------------------------------------------
    def say(self, display: str, sentence_id: str | None, role: Role, lang: str | None,
            pause_ms: int, spoken_prefix: str = "") -> Utterance | None:
        lang = lang or self.article.language
        lexicon = self._lexicons.get(lang)
        if lexicon is None:
            lexicon = self._lexicons[lang] = self.lexicon.for_language(lang)
        spoken, reference = spoken_forms(spoken_prefix + display, lang, self.options, lexicon)
        if not spoken:
            return None  # nothing a voice could say (a lone reference mark)
        return Utterance(sentence_id, display, spoken, role, lang, pause_ms, reference)

    def sentences(self, sentences: tuple[Sentence, ...], role: Role, lang: str | None,
                  last_pause_ms: int, first_prefix: str = "") -> list[Utterance]:
        out = []
        for i, sentence in enumerate(sentences):
            last = i == len(sentences) - 1
            pause = last_pause_ms if last else self.options.sentence_pause_ms
            prefix = first_prefix if i == 0 else ""
            u = self.say(sentence.text, sentence.id, role, sentence.lang or lang, pause, prefix)
            if u:
                out.append(u)
        return out

    def paragraph(self, paragraph: Paragraph, role: Role, lang: str | None = None,
                  last_pause_ms: int | None = None, first_prefix: str = "") -> list[Utterance]:
        pause = self.options.paragraph_pause_ms if last_pause_ms is None else last_pause_ms
        return self.sentences(paragraph.sentences, role, paragraph.lang or lang, pause, first_prefix)

    # -- blocks -------------------------------------------------------------------
    def quote(self, quote: Quote) -> list[Utterance]:
        if quote.repeats_body:
            return []  # shown on the page, never read twice
        out = [u for p in quote.paragraphs for u in self.paragraph(p, "quote", quote.lang)]
        if quote.attribution:
            u = self.say(quote.attribution, None, "quote", quote.lang, self.options.paragraph_pause_ms)
            if u:
                out.append(u)
        return out

    def list_block(self, block: ListBlock) -> list[Utterance]:
        out = []
        for number, item in enumerate(block.items, 1):
            prefix = f"{number}. " if block.ordered else ""
            out.extend(self.paragraph(item, "list", last_pause_ms=self.options.item_pause_ms, first_prefix=prefix))
        if out:
            out[-1] = replace(out[-1], pause_after_ms=self.options.paragraph_pause_ms)
        return out

    def table(self, table: Table) -> list[Utterance]:
        lines: list[str] = []
        if table.caption:
            lines.append(f"Table: {table.caption.rstrip('.')}." if self.own_phrases else table.caption)
        rows = list(table.rows)
        # One label per column: a header spanning two columns names both.
        header = [c.text for c in rows[0] for _ in range(c.colspan)] if table.has_header_row else None
        body = rows[1:] if header else rows
        summary = None
        if len(body) > self.options.max_table_rows:
            columns = max((len(r) for r in rows), default=0)
            summary = f"A table with {len(body)} rows and {columns} columns; it is on the page."
        else:
            for row in body:
                cells = []
                column = 0  # the grid column: a cell spanning columns moves it on by its span
                for cell in row:
                    j, column = column, column + cell.colspan
                    if not cell.text:
                        continue
                    label = header[j] if header and j < len(header) else ""
                    cells.append(f"{label}: {cell.text}" if label and label != cell.text else cell.text)
                if cells:
                    lines.append("; ".join(cells).rstrip(".") + ".")
        out = []
        for line in lines:
            u = self.say(line, None, "table", None, self.options.item_pause_ms)
            if u:
                out.append(u)
        if summary:
            u = self.say(summary, None, "table", None if self.own_phrases else self.options.phrases_lang,
                         self.options.item_pause_ms)
            if u:
                out.append(u)
        if out:
            out[-1] = replace(out[-1], pause_after_ms=self.options.paragraph_pause_ms)
        return out

    def caption_aside(self, figure: Figure) -> ScriptSection | None:
        if not (self.options.read_captions and figure.caption):
            return None
        caption = self.paragraph(figure.caption, "caption", last_pause_ms=self.options.sentence_pause_ms)
        if not caption:
            return None
        label_lang = self.article.language if self.own_phrases else self.options.phrases_lang
        label = Utterance(None, self.options.caption_label, self.options.caption_label, "label",
                          label_lang, self.options.sentence_pause_ms)
        utterances = [label, *caption]
        if figure.credit:
            credit = self.say(figure.credit, None, "credit", None, self.options.sentence_pause_ms)
            if credit:
                utterances.append(credit)
        return ScriptSection(figure.id, self.options.caption_title, tuple(utterances), toc=False)

    # -- sections -----------------------------------------------------------------
    def body(self, section: Section) -> tuple[list[Utterance], list[ScriptSection], list[Credit]]:
        utterances: list[Utterance] = []
        asides: list[ScriptSection] = []
        credits: list[Credit] = []
        for block in section.blocks:
            if isinstance(block, Paragraph):
                utterances.extend(self.paragraph(block, "body"))
            elif isinstance(block, Quote):
                utterances.extend(self.quote(block))
            elif isinstance(block, ListBlock):
                utterances.extend(self.list_block(block))
            elif isinstance(block, Table):
                utterances.extend(self.table(block))
            elif isinstance(block, Figure):
                aside = self.caption_aside(block)
                if aside:
                    asides.append(aside)
            elif isinstance(block, Credit):
                credits.append(block)
        return utterances, asides, credits

    def intro(self) -> list[Utterance]:
        a = self.article
        pause = self.options.paragraph_pause_ms
        out = []
        if a.title:
            out.append(self.say(a.title, a.title_sentence.id if a.title_sentence else None, "title", None, pause))
        if a.dek:
            out.append(self.say(a.dek, a.dek_sentence.id if a.dek_sentence else None, "dek", None, pause))
        if a.byline:
            # The model keeps only the names; "By" is English, so only English bylines get it.
            prefix = "" if a.byline.lower().startswith("by ") or not self.own_phrases else "By "
            out.append(self.say(a.byline, None, "byline", None, pause, prefix))
        return [u for u in out if u]

    def script(self) -> Script:
        sections: list[ScriptSection] = []
        credits: list[Credit] = []
        model_sections = list(self.article.sections)

        intro = self.intro()
        intro_id = INTRO_SECTION_ID
        asides: list[ScriptSection] = []
        if model_sections and model_sections[0].heading is None:
            lead = model_sections.pop(0)
            lead_body, asides, lead_credits = self.body(lead)
            intro.extend(lead_body)
            credits.extend(lead_credits)
            intro_id = lead.id
        self.add(sections, intro_id, self.options.intro_title, intro)
        sections.extend(asides)

        # Chapter titles (and section file names) are the sections' unique labels: a podcast
        # app's chapter list of six "Our Verdict" entries cannot be told apart.
        labels = self.article.section_labels()
        for section in model_sections:
            body, asides, section_credits = self.body(section)
            credits.extend(section_credits)
            heading: list[Utterance] = []
            if section.heading:
                hs = section.heading_sentence
                u = self.say(section.heading, hs.id if hs else None, "heading", hs.lang if hs else None,
                             self.options.paragraph_pause_ms)
                heading = [u] if u else []
            if body:  # a heading alone is not worth a chapter
                self.add(sections, section.id, labels.get(section.id) or self.options.intro_title, heading + body)
            sections.extend(asides)

        credit_utterances = [u for c in credits for u in self.paragraph(c.paragraph, "credit")]
        self.add(sections, CREDITS_SECTION_ID, self.options.credits_title, credit_utterances)

        numbered = []
        for index, s in enumerate(sections, 1):
            if s.utterances:
                last = replace(s.utterances[-1], pause_after_ms=self.options.section_pause_ms)
                s = replace(s, utterances=(*s.utterances[:-1], last))
            stem = f"{index:02d}-{slugify(s.title, max_length=self.options.stem_length, fallback='section')}"
            numbered.append(replace(s, file_stem=stem))
        return Script(self.article.id, self.article.language, tuple(numbered))

    @staticmethod
    def add(sections: list[ScriptSection], section_id: str, title: str, utterances: list[Utterance]) -> None:
        if utterances:
            sections.append(ScriptSection(section_id, title, tuple(utterances)))


def _primary(tag: str | None) -> str:
    return (tag or "").replace("_", "-").split("-")[0].lower()


def prepare_script(article: Article, options: PrepareOptions | None = None,
                   lexicon: Lexicon | None = None) -> Script:
    """The narration script for ``article`` (bumpers included); ``lexicon`` defaults to the shipped one."""
    options = options or PrepareOptions()
    lexicon = lexicon if lexicon is not None else Lexicon.shipped()
    return add_bumpers(_Preparer(article, options, lexicon).script(), options, lexicon)


def spoken_forms(text: str, lang: str, options: PrepareOptions, lexicon: Lexicon) -> tuple[str, str | None]:
    """``text`` as a voice will read it (normalized, then the pronunciation lexicon), and
    as a listener would write those words down when that differs (before the lexicon)."""
    plain = normalize(text, lang, options.normalize).strip()
    spoken = lexicon.apply(plain).strip()
    return spoken, (plain if plain != spoken else None)


def add_bumpers(script: Script, options: PrepareOptions, lexicon: Lexicon) -> Script:
    """``script`` with its intro before the first section and its outro after the last.

    Each is a section of its own (its own chapter and section file), so the
    chapters and sentence timings after it move by exactly its length.  The
    words carry no sentence id: they are not text of the page.
    """
    b = options.bumpers
    if not b:
        return script
    lang = script.language

    def words(text: str | None) -> tuple[Utterance, ...]:
        spoken, reference = spoken_forms(text, lang, options, lexicon) if text else ("", None)
        return (Utterance(None, text, spoken, "label", lang, options.section_pause_ms, reference),) if spoken else ()

    sections = list(script.sections)
    intro, outro = words(b.intro), words(b.outro)
    if intro or b.intro_sound:
        sections.insert(0, ScriptSection(BUMPER_INTRO_ID, b.intro_title, intro, file_stem="00-intro",
                                         sound=b.intro_sound))
    if outro or b.outro_sound:
        sections.append(ScriptSection(BUMPER_OUTRO_ID, b.outro_title, outro,
                                      file_stem=f"{len(script.sections) + 1:02d}-outro",
                                      sound=b.outro_sound, sound_last=True))
    return replace(script, sections=tuple(sections))


def summary_utterances(article: Article, script: Script) -> tuple[Utterance, ...]:
    """What the daily briefing reads for ``article``: its headline, then its dek or lead paragraph.

    Taken from the article's own script (found by sentence id), so the
    briefing says exactly the same text in the same voice: every one of
    these is already in the segment cache.
    """
    by_id = {u.sentence_id: u for section in script.sections for u in section.utterances if u.sentence_id}
    wanted: list[str] = []
    if article.title_sentence:
        wanted.append(article.title_sentence.id)
    if article.dek and article.dek_sentence:
        wanted.append(article.dek_sentence.id)
    else:
        lead = article.lead_paragraph()
        wanted.extend(s.id for s in (lead.sentences if lead else ()))
    return tuple(by_id[i] for i in wanted if i in by_id)
