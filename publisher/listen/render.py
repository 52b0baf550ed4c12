"""Listen-back report as text lines and as JSON (every figure)."""
from __future__ import annotations

import json
from dataclasses import asdict

from .site import ArticleListen, ListenReport


def clock(seconds: float) -> str:
    minutes, seconds = divmod(max(0.0, seconds), 60)
    return f"{int(minutes):02d}:{seconds:04.1f}"


def _percent(rate: float | None) -> str:
    return "n/a" if rate is None else f"{rate:.1%}"


def article_line(article: ArticleListen) -> str:
    line = f"{article.slug}: {article.status}, {article.reason}"
    if article.words:
        line += (f" ({article.words} words, {article.errors} errors, {article.flagged} flagged sentences, "
                 f"{article.audio_seconds:.0f}s of audio checked in {article.check_seconds:.1f}s)")
    if article.unchecked_sentences:
        line += f"; {article.unchecked_sentences} sentences in languages the recognizer does not cover: not checked"
    return line


def report_lines(report: ListenReport, worst: int) -> list[str]:
    lines: list[str] = []
    for article in report.articles:
        lines.append(article_line(article))
        for sentence in article.worst(worst):
            where = sentence.sentence_id or f"label in {sentence.section_id}"
            lines.append(f"  {clock(sentence.time)} {where} WER {_percent(sentence.wer)}: "
                         f"said \"{sentence.said}\" / heard \"{sentence.heard}\"")
    return lines


def summary_line(report: ListenReport) -> str:
    counts = {status: sum(1 for a in report.articles if a.status == status)
              for status in ("passed", "failed", "not checked")}
    audio = sum(a.audio_seconds for a in report.articles)
    spent = sum(a.check_seconds for a in report.articles)
    ratio = f", {spent / audio:.3f}x real time" if audio else ""
    return (f"listen-back ({report.recognizer}): {counts['passed']} passed, {counts['failed']} failed, "
            f"{counts['not checked']} not checked; {audio:.0f}s of audio in {spent:.1f}s{ratio}")


def report_json(report: ListenReport) -> str:
    return json.dumps({
        "recognizer": report.recognizer,
        "thresholds": asdict(report.thresholds),
        "problems": report.problems,
        "articles": [asdict(a) for a in report.articles],
    }, indent=1, ensure_ascii=False) + "\n"
