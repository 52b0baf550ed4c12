"""Command line: ``publisher build | briefing | edition | extract | normalize | check | serve | clean | remove``.

Exit status: 0 everything worked; 1 some articles failed (the others were
published) or a check found problems; 2 usage or configuration error;
3 nothing could be done (output not writable, engine missing, ...).
"""
from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from pathlib import Path

from . import __version__
from .config import Config, ConfigError, load_config, normalize_base_url, validate_scheduler
from .errors import PublisherError

EXIT_OK, EXIT_FAILURES, EXIT_USAGE, EXIT_ENVIRONMENT = 0, 1, 2, 3


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="publisher",
        description="Accessible news publishing: one article in; an accessible page, "
                    "narrated MP3s and a podcast feed out.",
    )
    parser.add_argument("--version", action="version", version=f"publisher {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    b = sub.add_parser("build", help="publish articles (files or folders) into an output folder",
                       description="Read each article, narrate it and publish the page, MP3s, "
                                   "transcript, chapters, index and feed.")
    b.add_argument("inputs", nargs="*", help="article files (.txt, .html, .md), folders of them, or http(s) URLs "
                                              "of article pages or feeds (RSS, Atom, JSON Feed: told apart by content)")
    b.add_argument("--feed", action="append", default=[], metavar="URL",
                   help="a feed URL (RSS 2.0, Atom or JSON Feed); each entry's article is published (repeatable)")
    b.add_argument("--limit", type=int, metavar="N", help="feeds: publish at most the N newest entries")
    b.add_argument("--since", metavar="DATE", help="feeds: leave out entries dated before DATE (2026-03-01)")
    b.add_argument("--offline", action="store_true",
                   help="never touch the network (URL and feed inputs are refused, images are not downloaded)")
    b.add_argument("-o", "--output", type=Path, default=Path("output"), help="output folder (default: output)")
    b.add_argument("-c", "--config", type=Path, help="config file (default: ./publisher.toml if present)")
    b.add_argument("-j", "--jobs", type=int, default=0, help="worker processes (default: number of cores)")
    b.add_argument("--scheduler", metavar="ADDRESS",
                   help="narrate and publish on a Dask cluster: a scheduler address (tcp://host:8786) or "
                        "local:N for N worker processes here (needs publisher[cluster])")
    b.add_argument("--engine", help="speech engine: hibari (default), piper, espeak, gtts, or a registered one")
    b.add_argument("--voice", help="voice for the engine (e.g. a Piper voice name or .onnx path)")
    b.add_argument("--base-url", help="public URL the site will be served from (absolute links in the feed)")
    b.add_argument("--title", help="podcast/site title (overrides the config)")
    b.add_argument("--json", type=Path, dest="json_path", help="also write a JSON summary to this path")
    b.add_argument("-q", "--quiet", action="store_true", help="print only failures and the summary")
    b.add_argument("-v", "--verbose", action="store_true", help="print one line per article, never redraw")
    b.add_argument("--listen", nargs="?", const="report", choices=("report", "strict"),
                   help="listen back to what was published (speech recognition; needs publisher[listen]); "
                        "--listen=strict does not publish an article that fails")

    ed = sub.add_parser("edition", help="join published articles into one audio e-book (EPUB 3)",
                        description="One EPUB with Media Overlays holding several published articles, "
                                    "each with its own content document and narration, under one table "
                                    "of contents. Default: the articles of the latest build.")
    ed.add_argument("output", type=Path, help="the built site's folder")
    ed.add_argument("slugs", nargs="*", metavar="SLUG", help="articles to include, in this order")
    ed.add_argument("--since", metavar="DATE", help="every article dated on or after DATE (YYYY-MM-DD)")
    ed.add_argument("-o", "--out", type=Path, required=True, dest="epub", metavar="FILE.epub",
                    help="where to write the edition")
    ed.add_argument("--title", help="the edition's title (default: site title and dates)")
    ed.add_argument("-c", "--config", type=Path, help="config file (site title and language)")

    e = sub.add_parser("extract", help="print what the reader finds in one article",
                       description="Read one article and print its body text or its whole model.")
    e.add_argument("file", type=Path)
    mode = e.add_mutually_exclusive_group()
    mode.add_argument("--text", action="store_true", help="only the story text (default)")
    mode.add_argument("--json", action="store_true", help="the whole article model as JSON")

    n = sub.add_parser("normalize", help="print how text will be spoken, one line per sentence")
    n.add_argument("text", nargs="*", help="text (default: read standard input)")
    n.add_argument("--lang", default="en")
    n.add_argument("-c", "--config", type=Path, help="config file whose [speech] lexicon files apply")

    c = sub.add_parser("check", help="verify a built site before publishing it")
    c.add_argument("output", type=Path, nargs="?", default=Path("output"))
    c.add_argument("--base-url", help="the base URL the feed was built for (default: from the feed)")
    c.add_argument("--listen", action="store_true",
                   help="also transcribe every section MP3 and compare it with the spoken script "
                        "(needs publisher[listen])")
    c.add_argument("--json", type=Path, dest="json_path", help="with --listen: write every figure as JSON here ('-' for stdout)")
    c.add_argument("-c", "--config", type=Path, help="config file whose [listen] thresholds apply")

    s = sub.add_parser("serve", help="preview the built site on localhost (with HTTP Range support)")
    s.add_argument("output", type=Path, nargs="?", default=Path("output"))
    s.add_argument("--port", type=int, default=8000)
    s.add_argument("--host", default="127.0.0.1")

    cl = sub.add_parser("clean", help="prune cached audio segments no published article uses")
    cl.add_argument("output", type=Path, nargs="?", default=Path("output"))
    cl.add_argument("--cache", action="store_true", required=True,
                    help="prune the segment cache (audio of old voices, edited or removed sentences)")
    cl.add_argument("--all", action="store_true", help="empty the whole cache (the next build re-synthesizes)")
    cl.add_argument("-c", "--config", type=Path)

    br = sub.add_parser("briefing", help="make the daily briefing episode of one day's articles",
                        description="Read the headline and dek (or first paragraph) of every article published "
                                    "on a day, from the cached audio, as one chaptered episode with its own "
                                    "page and feed item.  Exit status 2 when no article was published that day.")
    br.add_argument("output", type=Path, nargs="?", default=Path("output"), help="a built output folder")
    br.add_argument("--date", help="the day, YYYY-MM-DD (default: today in [briefing] timezone)")
    br.add_argument("-c", "--config", type=Path, help="config file (default: ./publisher.toml if present)")
    br.add_argument("--engine", help="speech engine (as the build used)")
    br.add_argument("--voice", help="voice for the engine (as the build used)")
    br.add_argument("--base-url", help="public URL the site will be served from")
    br.add_argument("--title", help="podcast/site title (overrides the config)")

    r = sub.add_parser("remove", help="take an article out of the site and the feed")
    r.add_argument("key", help="the article's slug or id")
    r.add_argument("-o", "--output", type=Path, default=Path("output"))
    r.add_argument("-c", "--config", type=Path)
    return parser


def _config_for(args) -> Config:
    config = load_config(getattr(args, "config", None))
    site, speech = config.site, config.speech
    if getattr(args, "base_url", None):
        site = replace(site, base_url=normalize_base_url(args.base_url))
    if getattr(args, "title", None):
        site = replace(site, title=args.title)
    if getattr(args, "engine", None):
        speech = replace(speech, engine=args.engine)
    if getattr(args, "voice", None):
        speech = replace(speech, voice=args.voice)
    return replace(config, site=site, speech=speech)


def _cmd_build(args) -> int:
    from .build import build
    from .fsutil import atomic_write_text

    from .read.feed import FeedSelection, parse_since

    if args.jobs < 0:
        raise ConfigError("--jobs must be 0 (all cores) or more")
    if not args.inputs and not args.feed:
        raise ConfigError("nothing to build: name article files, folders, URLs or --feed URL")
    if args.limit is not None and args.limit < 1:
        raise ConfigError("--limit must be 1 or more")
    try:
        selection = FeedSelection(limit=args.limit, since=parse_since(args.since) if args.since else None)
    except ValueError as exc:
        raise ConfigError(str(exc)) from None
    config = _config_for(args)
    from .speech.pipeline import check_bumpers, check_engine

    check_engine(config)  # missing engine or voice: one line before any work
    check_bumpers(config.speech)  # an unusable intro/outro sound file: one line, before any work
    scheduler = validate_scheduler(args.scheduler)
    if args.listen:
        from .listen.recognizer import load_recognizer

        load_recognizer(config.listen.model)  # missing recognizer: one line before any work
    summary = build(args.inputs, args.output, config, jobs=args.jobs, quiet=args.quiet, verbose=args.verbose,
                    offline=args.offline, feeds=args.feed, feed_selection=selection, scheduler=scheduler,
                    listen=args.listen)
    for failure in summary.failed:
        print(f"error: {failure.source}: {failure.error}", file=sys.stderr)
    for result in summary.results:
        for note in result.notes:
            print(f"note: {result.slug or result.source}: {note}", file=sys.stderr)
        if result.listen and result.status != "failed":
            print(f"listen: {result.listen}", file=sys.stderr)
    print(
        f"{summary.count('published')} published, {summary.count('unchanged')} unchanged, "
        f"{summary.count('failed')} failed in {summary.seconds:.1f}s "
        f"({sum(r.synthesized for r in summary.results)} segments synthesized, "
        f"{sum(r.reused for r in summary.results)} reused) -> {args.output}",
        file=sys.stderr,
    )
    if args.json_path:
        atomic_write_text(args.json_path, summary.to_json())
    if not summary.results:
        print("error: nothing to publish: no article files (.txt, .html, .md) or feed entries found", file=sys.stderr)
        return EXIT_USAGE
    return EXIT_FAILURES if summary.failed else EXIT_OK


def _cmd_briefing(args) -> int:
    from datetime import date

    from .briefing import NoStories, make_briefing
    from .manifest import legacy_manifest_path, manifest_path
    from .speech.pipeline import check_bumpers, check_engine

    try:
        day = date.fromisoformat(args.date) if args.date else None
    except ValueError:
        raise ConfigError(f"--date must be YYYY-MM-DD (got {args.date!r})") from None
    if not (manifest_path(args.output).is_file() or legacy_manifest_path(args.output).is_file()):
        raise ConfigError("not a built output folder (no .publisher/manifest.sqlite); run 'publisher build' first",
                          str(args.output))
    config = _config_for(args)
    check_engine(config)
    check_bumpers(config.speech)
    try:
        result = make_briefing(args.output, config, day)
    except NoStories as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    print(f"briefing {result.status}: {result.slug} ({result.stories} stories, {result.synthesized} segments "
          f"synthesized, {result.reused} reused) -> {args.output}", file=sys.stderr)
    return EXIT_OK


def _cmd_edition(args) -> int:
    from .edition import make_edition, select_entries
    from .fsutil import atomic_write_bytes

    if args.slugs and args.since:
        raise ConfigError("give either slugs or --since, not both")
    if args.epub.suffix.lower() != ".epub":
        raise ConfigError("the edition's file name must end in .epub", str(args.epub))
    entries = select_entries(args.output, tuple(args.slugs), args.since)
    edition = make_edition(args.output, load_config(args.config).site, entries, title=args.title)
    for line in edition.skipped:
        print(f"error: {line}", file=sys.stderr)
    atomic_write_bytes(args.epub, edition.data)
    print(f"{len(edition.included)} article(s), {len(edition.skipped)} left out -> {args.epub} "
          f"({len(edition.data)} bytes)", file=sys.stderr)
    return EXIT_FAILURES if edition.skipped else EXIT_OK


def _cmd_extract(args) -> int:
    from .model import to_jsonable
    from .read import read_article

    article = read_article(args.file)
    if args.json:
        print(json.dumps(to_jsonable(article), indent=1, ensure_ascii=False))
    else:
        print(article.body_text())
    return EXIT_OK


def _cmd_normalize(args) -> int:
    from .speech.lexicon import Lexicon
    from .speech.normalize import normalize_lines

    config = load_config(args.config)
    lexicon = Lexicon.for_article(None, config.speech.lexicon)
    text = " ".join(args.text) if args.text else sys.stdin.read()
    for line in normalize_lines(text, lang=args.lang):
        # The same order as the narration: normalize, then the pronunciation lexicon.
        print(lexicon.apply(line))
    return EXIT_OK


def _cmd_check(args) -> int:
    from .check import check_site

    problems = check_site(args.output, args.base_url)
    failed_listening = _listen_check(args) if args.listen else False
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problem(s) found in {args.output}", file=sys.stderr)
        return EXIT_FAILURES
    if failed_listening:
        return EXIT_FAILURES
    print(f"{args.output}: no problems found", file=sys.stderr)
    return EXIT_OK


def _listen_check(args) -> bool:
    """``check --listen``: print the report; True when a file or an article failed."""
    from .fsutil import atomic_write_text
    from .listen.recognizer import load_recognizer
    from .listen.render import report_json, report_lines, summary_line
    from .listen.site import listen_site

    config = load_config(args.config)
    report = listen_site(args.output, config.listen, load_recognizer(config.listen.model))
    to_stdout = str(args.json_path) == "-"
    for line in report.problems + report_lines(report, config.listen.worst):
        print(line, file=sys.stderr if to_stdout else sys.stdout)
    for article in report.failed:
        print(f"listen-back failed: {article.slug} ({article.reason})", file=sys.stderr)
    print(summary_line(report), file=sys.stderr)
    if args.json_path:
        if to_stdout:
            sys.stdout.write(report_json(report))
        else:
            atomic_write_text(args.json_path, report_json(report))
    return bool(report.problems or report.failed)


def _cmd_serve(args) -> int:
    from .serve import make_server

    if not (args.output / "index.html").exists():
        raise PublisherError("no index.html here; run 'publisher build' first", str(args.output))
    server = make_server(args.output, args.host, args.port, verbose=True)
    print(f"Serving {args.output} at http://{args.host}:{server.server_address[1]}/ (Ctrl+C to stop)", file=sys.stderr)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return EXIT_OK


def _cmd_clean(args) -> int:
    from .build import clean_cache

    result = clean_cache(args.output, load_config(args.config), everything=args.all)
    print(f"removed {result.removed} cached segment(s); kept {result.kept} in use", file=sys.stderr)
    return EXIT_OK


def _cmd_remove(args) -> int:
    from .build import remove_article

    entry = remove_article(args.output, args.key, load_config(args.config))
    print(f"removed {entry.slug} ({entry.title}) from {args.output}", file=sys.stderr)
    return EXIT_OK


COMMANDS = {
    "build": _cmd_build, "edition": _cmd_edition, "extract": _cmd_extract, "normalize": _cmd_normalize,
    "check": _cmd_check, "serve": _cmd_serve, "clean": _cmd_clean, "remove": _cmd_remove, "briefing": _cmd_briefing,
}


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except PublisherError as exc:
        print(f"error: {exc}", file=sys.stderr)
        from .listen.recognizer import RecognizerMissing

        if isinstance(exc, RecognizerMissing):
            return EXIT_ENVIRONMENT
        return EXIT_FAILURES if args.command in {"extract", "check", "edition"} else EXIT_ENVIRONMENT
    except OSError as exc:
        where = f"{exc.filename}: " if getattr(exc, "filename", None) else ""
        print(f"error: {where}{exc.strerror or exc}", file=sys.stderr)
        return EXIT_ENVIRONMENT
    except KeyboardInterrupt:
        print("interrupted; run the same command again to finish (finished work is kept)", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
