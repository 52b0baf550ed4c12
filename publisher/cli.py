"""Command line: ``publisher build | extract | normalize | check | serve | clean | remove``.

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
from .config import Config, ConfigError, load_config, normalize_base_url
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
    b.add_argument("inputs", nargs="+", help="article files (.txt, .html, .md), folders of them, or http(s) URLs of article pages")
    b.add_argument("--offline", action="store_true", help="never touch the network (URL inputs are refused)")
    b.add_argument("-o", "--output", type=Path, default=Path("output"), help="output folder (default: output)")
    b.add_argument("-c", "--config", type=Path, help="config file (default: ./publisher.toml if present)")
    b.add_argument("-j", "--jobs", type=int, default=0, help="worker processes (default: number of cores)")
    b.add_argument("--engine", help="speech engine: piper (default), espeak, gtts, or a registered one")
    b.add_argument("--voice", help="voice for the engine (e.g. a Piper voice name or .onnx path)")
    b.add_argument("--base-url", help="public URL the site will be served from (absolute links in the feed)")
    b.add_argument("--title", help="podcast/site title (overrides the config)")
    b.add_argument("--json", type=Path, dest="json_path", help="also write a JSON summary to this path")
    b.add_argument("-q", "--quiet", action="store_true", help="print only failures and the summary")
    b.add_argument("-v", "--verbose", action="store_true", help="print one line per article, never redraw")
    b.add_argument("--listen", nargs="?", const="report", choices=("report", "strict"),
                   help="listen back to what was published (speech recognition; needs publisher[listen]); "
                        "--listen=strict does not publish an article that fails")

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

    if args.jobs < 0:
        raise ConfigError("--jobs must be 0 (all cores) or more")
    config = _config_for(args)
    from .speech.pipeline import check_engine

    check_engine(config)  # missing engine or voice: one line before any work
    if args.listen:
        from .listen.recognizer import load_recognizer

        load_recognizer(config.listen.model)  # missing recognizer: one line before any work
    summary = build(args.inputs, args.output, config, jobs=args.jobs, quiet=args.quiet, verbose=args.verbose,
                    offline=args.offline, listen=args.listen)
    for failure in summary.failed:
        print(f"error: {failure.source}: {failure.error}", file=sys.stderr)
    for result in summary.results:
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
        print("error: no article files found (.txt, .html, .md)", file=sys.stderr)
        return EXIT_USAGE
    return EXIT_FAILURES if summary.failed else EXIT_OK


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
    "build": _cmd_build, "extract": _cmd_extract, "normalize": _cmd_normalize, "check": _cmd_check,
    "serve": _cmd_serve, "clean": _cmd_clean, "remove": _cmd_remove,
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
        return EXIT_FAILURES if args.command in {"extract", "check"} else EXIT_ENVIRONMENT
    except OSError as exc:
        where = f"{exc.filename}: " if getattr(exc, "filename", None) else ""
        print(f"error: {where}{exc.strerror or exc}", file=sys.stderr)
        return EXIT_ENVIRONMENT
    except KeyboardInterrupt:
        print("interrupted; run the same command again to finish (finished work is kept)", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
