"""The alt-text policy on the alts real templates write (no page needed: the rule itself)."""
from __future__ import annotations

import pytest

from publisher.read.alt import choose_alt


@pytest.mark.parametrize("alt, caption, expected", [
    ("A ferry leaving the north quay at dawn", None, ("A ferry leaving the north quay at dawn", "source-alt")),
    ("Jean-Pierre Roux at the quay", None, ("Jean-Pierre Roux at the quay", "source-alt")),  # one joint: words
    ("COVID-19", None, ("COVID-19", "source-alt")),
    ("garmin-forerunner-970-review-home", None, ("", "no-description")),  # a slug
    ("Running_motivation_thumb", "A runner at the lake.", ("", "caption-describes")),
    ("Logo", None, ("", "no-description")),
    ("IMG_2041.jpg", None, ("", "no-description")),
    ("Dana Okafor, head of research, [object Object]", None, ("Dana Okafor, head of research", "source-alt")),
    ("Dana Okafor headshot 200x200", None, ("Dana Okafor headshot", "source-alt")),
    ("[object Object]", None, ("", "no-description")),
    # A template's placement, not the picture: no description.
    ("Main Image", None, ("", "no-description")),
    ("Featured photo", "The north quay at dawn.", ("", "caption-describes")),
    # A placement word with what the picture shows stays.
    ("Main hall of the ferry terminal", None, ("Main hall of the ferry terminal", "source-alt")),
    ("Cover of the harbour board's report", None, ("Cover of the harbour board's report", "source-alt")),
])
def test_alt_policy(alt, caption, expected):
    assert choose_alt(alt, caption) == expected
