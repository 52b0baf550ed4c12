"""The alignment and the normalization, on hand-made words (no recognizer: fast)."""
from __future__ import annotations

from publisher.listen.align import HeardWord, Span, align
from publisher.listen.heard import heard_words, script_spacing
from publisher.listen.recognizer import Word
from publisher.listen.words import comparable_words

SPANS = [Span(("the", "ferry", "left", "early"), 0.0, 2.0), Span(("nobody", "was", "on", "it"), 2.5, 4.5)]


def said_at(words: list[str], start: float, step: float = 0.4) -> list[HeardWord]:
    return [HeardWord(w, start + k * step, start + k * step + 0.3) for k, w in enumerate(words)]


def test_one_misheard_word_is_one_substitution_in_its_own_sentence():
    heard = said_at(["the", "fairy", "left", "early"], 0.1) + said_at(["nobody", "was", "on", "it"], 2.6)
    first, second = align(SPANS, heard)
    assert (first.substitutions, first.deletions, first.insertions, first.wer) == (1, 0, 0, 0.25)
    assert second.wer == 0.0


def test_the_right_words_at_the_wrong_time_are_errors():
    # The two sentences swapped in time: every word is "right", none where it should be.
    heard = said_at(["nobody", "was", "on", "it"], 0.1) + said_at(["the", "ferry", "left", "early"], 2.6)
    assert [e.wer for e in align(SPANS, heard)] == [1.0, 1.0]


def test_silence_is_deletions_and_unchecked_spans_set_their_words_aside():
    assert [e.deletions for e in align(SPANS, [])] == [4, 4]
    foreign = [SPANS[0], Span(("niemand", "war", "da"), 2.5, 4.5, checked=False)]
    heard = said_at(["the", "ferry", "left", "early"], 0.1) + said_at(["name", "and", "far", "da"], 2.6)
    first, second = align(foreign, heard)
    assert first.errors == 0 and (second.reference, second.errors) == (0, 0)


def test_both_sides_normalize_the_same_way():
    assert comparable_words("In 2020, the harbour's fee rose 3.5%.") == \
        comparable_words("in twenty twenty the harbors fee rose three point five percent")
    heard = heard_words([Word("It", 0.0, 0.2), Word("cost", 0.2, 0.5), Word("$1.2", 0.6, 1.0),
                         Word("million.", 1.0, 1.4)], "en")
    assert [w.text for w in heard] == "it cost one point two million dollars".split()
    assert heard[0].start == 0.0 and heard[-1].start >= 0.6  # times follow the raw words


def test_word_pieces_without_a_leading_space_continue_the_word():
    from publisher.listen.recognizer import join_word_pieces

    pieces = [(" Roughly", 0.0, 0.4), (" $450", 0.4, 0.9), (",000", 0.9, 1.3), (" came", 1.3, 1.5), (" at", 1.5, 1.6),
              (" 6", 1.6, 1.8), (":45", 1.8, 2.1), (" ", 2.1, 2.1)]
    words = join_word_pieces(pieces)
    assert [w.text for w in words] == ["Roughly", "$450,000", "came", "at", "6:45"]
    assert (words[1].start, words[1].end) == (0.4, 1.3)
    heard = [w.text for w in heard_words(words, "en")]
    assert heard[:6] == ["roughly", "four", "hundred", "fifty", "thousand", "dollars"]
    assert heard[-4:] == ["at", "six", "forty", "five"]


def test_regular_spelling_variants_fold_to_one_form_and_short_words_keep_theirs():
    assert comparable_words("Organisers of the theatre's defences praised the catalogue") == \
        comparable_words("organizers of the theaters defenses praized the catalog")
    # "four" and "for", "flour" and "floor" sound or spell differently: no fold joins them.
    assert comparable_words("four flour rise") == ["four", "flour", "rise"]


def test_a_title_abbreviation_and_the_name_after_a_pause_are_one_phrase():
    words = [Word("librarian", 0.0, 0.5), Word("Dr.", 0.5, 0.9), Word("Thomas", 1.4, 1.8), Word("said.", 1.8, 2.1)]
    assert [w.text for w in heard_words(words, "en")] == ["librarian", "doctor", "thomas", "said"]


def test_heard_compounds_take_the_scripts_spacing_and_misheard_words_stay_wrong():
    spans = [Span(tuple(comparable_words("The clean-up reached the riverbank, and nobody reads any more.")), 0.0, 5.0)]
    heard = said_at(["the", "cleanup", "reached", "the", "river", "bank", "and", "nobody", "reads", "anymore"], 0.1)
    respaced = script_spacing(heard, spans)
    assert [w.text for w in respaced] == list(spans[0].words)
    assert align(spans, respaced)[0].errors == 0
    wrong = said_at(["the", "cleanout", "reached", "the", "river", "banks"], 0.1)
    assert [w.text for w in script_spacing(wrong, spans)] == ["the", "cleanout", "reached", "the", "river", "banks"]
