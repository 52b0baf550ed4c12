"""Phase 2 scheduling (publisher/schedule.py) and the progress display, with the
fake engine: a sentence the engine cannot say fails only its article, a
sentence shared by articles is synthesized once, articles publish while the
rest of the batch is still being spoken, and progress degrades to log lines."""
from __future__ import annotations

import io
from pathlib import Path

import pytest

from batch_helpers import CACHE_PART, GOOD, copy_inputs
from publisher import schedule
from publisher.build import ArticleResult, Progress, build
from publisher.config import Config, SpeechConfig
from publisher.errors import EngineError
from publisher.read import read_article
from publisher.schedule import PublishJob
from publisher.speech.engines import base as engine_registry
from publisher.speech.engines import register_engine
from publisher.speech.engines.fake import FakeEngine

FAKE = Config(speech=SpeechConfig(engine="fake"))
TRAM_WORD = "Trams"  # in tram-line.txt only


class BrittleEngine(FakeEngine):
    """Cannot say one word: stands in for a voice that crashes on some input."""

    def synthesize(self, text, voice, lang):
        if TRAM_WORD in text:
            raise EngineError(f"the voice crashed on {TRAM_WORD!r}")
        return super().synthesize(text, voice, lang)


@pytest.fixture
def brittle():
    register_engine("brittle", BrittleEngine)  # worker processes are forked: they see it too
    yield Config(speech=SpeechConfig(engine="brittle"))
    engine_registry._factories.pop("brittle", None)
    engine_registry._instances.pop("brittle", None)


@pytest.mark.parametrize("jobs", [1, 2])
def test_engine_failure_fails_only_its_article(tmp_path, brittle, jobs):
    inputs = copy_inputs(tmp_path / "inputs")
    summary = build([inputs], tmp_path / "site", brittle, jobs=jobs, quiet=True, stream=io.StringIO())
    by_name = {Path(r.source).name: r for r in summary.results}
    failed = by_name["tram-line.txt"]
    assert failed.status == "failed" and "voice crashed" in failed.error and "\n" not in failed.error
    assert not list((tmp_path / "site").glob(f"{failed.slug}/*.mp3"))
    published = [r for name, r in by_name.items() if name != "tram-line.txt"]
    assert len(published) == len(GOOD) - 1 and all(r.status == "published" for r in published)
    for result in published:
        assert (tmp_path / "site" / result.slug / "index.html").is_file()
    feed = (tmp_path / "site" / "feed.xml").read_text(encoding="utf-8")
    assert failed.title not in feed and all(r.title in feed for r in published)


def _twin_inputs(folder: Path) -> Path:
    """Two articles with different titles and the same body: every body sentence is shared."""
    folder.mkdir()
    source = next(p for p in GOOD if p.name == "tram-line.txt")
    text = source.read_text(encoding="utf-8")
    title = read_article(source).title
    (folder / "a.txt").write_text(text, encoding="utf-8")
    (folder / "b.txt").write_text(text.replace(title, title + " (second edition)"), encoding="utf-8")
    return folder


@pytest.mark.parametrize("jobs", [1, 2])
def test_shared_sentences_are_synthesized_once(tmp_path, jobs):
    inputs = _twin_inputs(tmp_path / "inputs")
    output = tmp_path / "site"
    summary = build([inputs], output, FAKE, jobs=jobs, quiet=True, stream=io.StringIO())
    a, b = sorted(summary.results, key=lambda r: r.source)
    assert a.status == b.status == "published"
    cached = list((output / CACHE_PART).glob("*/*.flac"))
    assert a.synthesized + b.synthesized == len(cached)  # nothing spoken twice
    assert a.synthesized > b.synthesized > 0  # b adds its own headline; the body is credited to a
    assert b.reused >= a.synthesized - 2  # all but a's title lines came from the cache


def test_articles_publish_while_the_batch_is_still_speaking(tmp_path):
    """With one job the schedule is deterministic: an article's page is queued as
    soon as its last sentence is cached, ahead of the other articles' speech."""
    articles = [read_article(p) for p in GOOD]
    events: list[str] = []

    def publish(job):
        events.append(f"publish {job.article.id}")
        return object(), None, 0.0, 0

    outcomes = schedule.run([PublishJob(a, "digest", "2026-01-01T00:00:00+00:00") for a in articles], FAKE,
                            tmp_path / "cache", 1, publish,
                            on_segments=lambda done, total: events.append(f"speech {done}/{total}"))
    total = int(events[0].split("/")[1])
    first_publish = next(i for i, e in enumerate(events) if e.startswith("publish"))
    assert events[first_publish - 1] != f"speech {total}/{total}"  # not after all speech
    assert events[-1].startswith("publish")
    assert [o.job.article.id for o in outcomes] == [a.id for a in articles]  # job order, whatever the timing
    assert sum(o.synthesized for o in outcomes) == total


def test_a_second_run_only_publishes(tmp_path):
    articles = [read_article(p) for p in GOOD]
    jobs = [PublishJob(a, "digest", "2026-01-01T00:00:00+00:00") for a in articles]
    publish = lambda job: (object(), None, 0.0, 0)  # noqa: E731 - a trivial stand-in for the writer
    first = schedule.run(jobs, FAKE, tmp_path / "cache", 1, publish)
    again = schedule.run(jobs, FAKE, tmp_path / "cache", 1, publish)
    assert sum(o.synthesized for o in first) > 0
    assert [o.synthesized for o in again] == [0] * len(jobs)
    assert [o.reused for o in again] == [o.synthesized + o.reused for o in first]


# -- the progress display ----------------------------------------------------------


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def _result(name: str, status: str = "published", error: str | None = None) -> ArticleResult:
    return ArticleResult(f"in/{name}.txt", status, slug=name, error=error, synthesized=3, reused=2)


def test_progress_without_a_terminal_is_log_lines():
    stream, clock = io.StringIO(), Clock()
    progress = Progress(2, stream=stream, clock=clock)
    progress.segments(0, 40)
    for done in range(1, 41):
        clock.now += 1
        progress.segments(done, 40)
    progress.article(_result("one"))
    clock.now += 10
    progress.article(_result("two", "failed", "engine error: boom"))
    lines = stream.getvalue().splitlines()
    speech = [line for line in lines if ": " not in line]  # article lines are "<status>: <what happened>"
    assert len(speech) == 10  # every tenth of the speech, not every segment
    assert "\r" not in stream.getvalue() and "\033" not in stream.getvalue()
    assert lines[-2].startswith("[1/2 articles] 40/40 segments synthesized, 2 cached, 40s elapsed")
    assert lines[-2].endswith(": published one (3 synthesized, 2 cached)")
    assert lines[-1].endswith(": FAILED in/two.txt: engine error: boom")
    assert "[2/2 articles]" in lines[-1] and "~0s left" in lines[-1]


def test_progress_estimate_follows_the_speech():
    clock = Clock()
    progress = Progress(4, stream=io.StringIO(), clock=clock)
    clock.now += 30
    progress.segments(25, 100)  # a quarter of the speech in 30 s: 90 s to go
    assert progress.status().endswith("30s elapsed, ~90s left")


def test_progress_on_a_terminal_redraws_one_line_at_a_bounded_rate():
    stream, clock = Terminal(), Clock()
    progress = Progress(1, stream=stream, clock=clock)
    for done in range(1, 101):
        clock.now += 0.01
        progress.segments(done, 100)
    progress.article(_result("one"))
    text = stream.getvalue()
    assert 2 <= text.count("\r\033[K") <= 6  # ~1 s of speech at ≤ 4 redraws/s, the last one, the article
    assert text.endswith("\n") and text.count("\n") == 1  # one line, finished when the batch is


def test_quiet_progress_shows_only_failures():
    stream = io.StringIO()
    progress = Progress(2, quiet=True, stream=stream)
    progress.segments(50, 50)
    progress.article(_result("one"))
    progress.article(_result("two", "failed", "cannot write output: disk full"))
    (line,) = stream.getvalue().splitlines()
    assert line.endswith("FAILED in/two.txt: cannot write output: disk full")


def test_worker_limits_native_threads():
    from threadpoolctl import threadpool_info

    with schedule.one_compute_thread():
        assert all(pool["num_threads"] == 1 for pool in threadpool_info())
