"""Section heading levels in the model: never a skip, siblings stay siblings."""
from __future__ import annotations

import pytest

from publisher.read.draft import DraftArticle, DraftBlock
from publisher.segment import build_article

PARA = "The council met on Tuesday and agreed the budget for the harbour works after a long debate."


def _levels(heading_levels: list[int], lead: bool = False) -> list[int]:
    blocks = [DraftBlock("paragraph", text=PARA)] if lead else []
    for i, level in enumerate(heading_levels):
        blocks += [DraftBlock("heading", text=f"Part {i + 1} of the story", level=level),
                   DraftBlock("paragraph", text=PARA)]
    article = build_article(DraftArticle(title="Harbour budget", blocks=blocks, identity="file:levels"))
    return [s.level for s in article.sections if s.heading]


@pytest.mark.parametrize("source,lead,model", [
    ([2, 3, 3, 2, 3], False, [2, 3, 3, 2, 3]),  # a well-formed outline is kept
    ([3, 3, 3, 2], True, [2, 2, 2, 2]),  # deeper headings first, after an untitled lead: raised alike
    ([2, 4, 4, 3], False, [2, 3, 3, 3]),  # a skipped level is closed, the siblings with it
    ([4], True, [2]),
])
def test_section_levels_never_skip(source, lead, model):
    got = _levels(source, lead)
    assert got == model
    assert all(b <= a + 1 for a, b in zip([1] + got, got))
