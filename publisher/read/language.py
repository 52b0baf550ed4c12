"""Policy: which language an article and each of its passages is in.

The identifier (:mod:`publisher.text.language`) says what it thinks and how
sure it is; this module decides when that outweighs what the source declares.

* No declared language (plain text, Markdown without ``lang``, HTML without
  ``lang``): the identifier's answer when it is at least ``ARTICLE_CONFIDENCE``
  sure, else the usual language of the script, else the default.
* A declared language (``<html lang>``, front matter) stands unless the text
  confidently contradicts it: at least ``CONTRADICTION_LETTERS`` letters, the
  identifier ``CONTRADICTION_CONFIDENCE`` sure, and not a close relative of
  the declared language (Norwegian declared, Danish detected: the author knows).
  Templates that hard-code ``lang="en"`` on every page are common.
* A passage (paragraph, quote, list) without its own ``lang`` gets one only
  when it is long enough (``PASSAGE_LETTERS``) and the identifier is
  ``PASSAGE_CONFIDENCE`` sure it is in another language; an English sentence
  full of French names stays English.
"""
from __future__ import annotations

from ..text.language import identify, script_default
from .draft import DraftArticle, DraftBlock

ARTICLE_CONFIDENCE = 0.5
CONTRADICTION_LETTERS = 200
CONTRADICTION_CONFIDENCE = 0.99
PASSAGE_LETTERS = 60
PASSAGE_CONFIDENCE = 0.95

# Languages close enough that the identifier confuses them on news text; a
# declared member of a group is never overridden by another member.
_RELATIVES = (
    frozenset({"no", "nb", "nn", "da"}), frozenset({"sr", "hr", "bs", "sh", "me"}), frozenset({"ms", "id"}),
    frozenset({"cs", "sk"}), frozenset({"gl", "pt"}), frozenset({"ca", "es", "oc"}), frozenset({"af", "nl"}),
    frozenset({"be", "ru", "uk"}), frozenset({"bg", "mk"}), frozenset({"hi", "ur", "ne", "mr"}),
    frozenset({"fa", "prs"}), frozenset({"zh", "yue", "wuu"}),
)
_PASSAGE_KINDS = frozenset({"paragraph", "quote", "list"})


def primary(tag: str | None) -> str:
    return (tag or "").split("-")[0].split("_")[0].lower()


def same_or_related(a: str | None, b: str | None) -> bool:
    pa, pb = primary(a), primary(b)
    return pa == pb or any(pa in group and pb in group for group in _RELATIVES)


def article_language(text: str, declared: str | None, default: str = "en") -> str:
    """The article's language from its story text and what the source declares (see module doc)."""
    guess = identify(text)
    if declared:
        if (guess.lang and guess.letters >= CONTRADICTION_LETTERS and guess.confidence >= CONTRADICTION_CONFIDENCE
                and not same_or_related(guess.lang, declared)):
            return guess.lang
        return declared
    if guess.lang and guess.confidence >= ARTICLE_CONFIDENCE:
        return guess.lang
    return script_default(text) or default


def passage_language(text: str, article_lang: str) -> str | None:
    """A passage's own language when it clearly differs from the article's, else None."""
    guess = identify(text)
    if (guess.lang and guess.letters >= PASSAGE_LETTERS and guess.confidence >= PASSAGE_CONFIDENCE
            and not same_or_related(guess.lang, article_lang)):
        return guess.lang
    return None


def _block_text(block: DraftBlock) -> str:
    return block.text or " ".join(block.items)


def story_text_of(title: str | None, blocks: list[DraftBlock]) -> str:
    """What the article's language is judged on: the title and the story's passages."""
    return " ".join([title or ""] + [_block_text(b) for b in blocks if b.kind in _PASSAGE_KINDS])


def mark_passages(draft: DraftArticle) -> DraftArticle:
    """Give each passage that is clearly in another language its ``lang`` (in place).

    A ``lang`` the source declared is kept, unless it only repeats the article's.
    """
    language = draft.language or "en"
    for block in draft.blocks:
        if block.lang:
            if primary(block.lang) == primary(language):
                block.lang = None
            continue
        if block.kind in _PASSAGE_KINDS:
            block.lang = passage_language(_block_text(block), language)
    return draft


__all__ = ["article_language", "passage_language", "mark_passages", "story_text_of", "primary", "same_or_related"]
