"""``publisher check OUTPUT``: does a built site hold together?

Reads ``OUTPUT/feed.xml`` and follows every URL in it to the file it names
(URL minus the base URL), then checks each file against what the feed and the
other files claim: enclosure lengths against byte sizes, ``itunes:duration``
against the MP3's frames, chapters JSON, ID3 CHAP/CTOC frames and WebVTT cues
against the audio's length.  Every problem is one line: the file, then what is
wrong.  An empty list means the site is consistent.

The feed holds only the newest episodes (``[site] feed_items``); the rest of
the archive is reached through the listing pages.  So the check also walks
the listings from ``index.html`` (pagination and monthly archives): every link
there must name a file, and every article folder must be linked from some
listing page.  That reads each listing page once (``[site] index_page_size``
articles each) and no article file, so it stays fast on a large archive.
"""
from __future__ import annotations

import argparse
import json
import posixpath
import re
import sys
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from lxml import etree

from .errors import ConfigError
from .write.listing import LISTING_DIRS, LISTING_PATH
from .write.podcast_ns import CHAPTERS_TYPE, PODCAST_NS

ATOM_NS = "http://www.w3.org/2005/Atom"
ITUNES_NS = "http://www.itunes.com/dtds/podcast-1.0.dtd"
FEED_NAME = "feed.xml"
DURATION_TOLERANCE = 1.0  # itunes:duration vs audio, seconds (what clients round to)
SLACK = 0.1  # seconds a chapter or cue may overhang the audio (encoder padding)
CHAPTER_GAP_MS = 50  # ID3 CHAP frames closer than this count as contiguous


# --- MP3 frame walk ---------------------------------------------------------

BITRATES_KBPS = {
    "mpeg1": (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320),
    "mpeg2": (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
}
SAMPLE_RATES = {3: (44100, 48000, 32000), 2: (22050, 24000, 16000), 0: (11025, 12000, 8000)}


@dataclass
class Mp3Scan:
    frames: int = 0
    samples: int = 0
    sample_rate: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def duration(self) -> float:
        return self.samples / self.sample_rate if self.sample_rate else 0.0


def _id3v2_size(data: bytes) -> int:
    if len(data) < 10 or data[:3] != b"ID3":
        return 0
    size = (data[6] << 21) | (data[7] << 14) | (data[8] << 7) | data[9]
    return 10 + size + (10 if data[5] & 0x10 else 0)


def _frame_header(data: bytes, pos: int) -> tuple[int, int, int] | None:
    """(frame length, samples, sample rate) of an MPEG layer III header at ``pos``, else None."""
    if pos + 4 > len(data) or data[pos] != 0xFF or (data[pos + 1] & 0xE0) != 0xE0:
        return None
    version = (data[pos + 1] >> 3) & 3
    layer = (data[pos + 1] >> 1) & 3
    bitrate_index = data[pos + 2] >> 4
    rate_index = (data[pos + 2] >> 2) & 3
    padding = (data[pos + 2] >> 1) & 1
    if version == 1 or layer != 1 or bitrate_index in (0, 15) or rate_index == 3:
        return None
    sample_rate = SAMPLE_RATES[version][rate_index]
    if version == 3:
        bitrate = BITRATES_KBPS["mpeg1"][bitrate_index] * 1000
        return 144 * bitrate // sample_rate + padding, 1152, sample_rate
    bitrate = BITRATES_KBPS["mpeg2"][bitrate_index] * 1000
    return 72 * bitrate // sample_rate + padding, 576, sample_rate


def _trailing_tag_ok(rest: bytes) -> bool:
    return rest[:3] == b"TAG" and len(rest) == 128 or rest[:8] == b"APETAGEX"


def _resync(data: bytes, pos: int) -> int | None:
    """The next offset where two consecutive frame headers line up (a real frame, not a chance 0xFF)."""
    while True:
        pos = data.find(b"\xff", pos + 1)
        if pos < 0:
            return None
        header = _frame_header(data, pos)
        if header is None:
            continue
        following = pos + header[0]
        if following == len(data) or _frame_header(data, following) is not None:
            return pos


def scan_mp3(data: bytes) -> Mp3Scan:
    """Walk every MPEG audio frame: counts samples and finds cut or corrupt frames."""
    scan = Mp3Scan()
    pos = _id3v2_size(data)
    if pos > len(data):
        scan.problems.append("ID3v2 tag is longer than the file (truncated)")
        return scan
    first = True
    while pos < len(data):
        header = _frame_header(data, pos)
        if header is None:
            rest = data[pos:]
            if _trailing_tag_ok(rest):
                break
            # Count what follows the damage too, so the duration (and every
            # check that compares against it) reflects the whole file.
            resume = _resync(data, pos)
            skipped = (resume if resume is not None else len(data)) - pos
            scan.problems.append(f"{skipped} bytes that are not MPEG audio frames at byte {pos}")
            if resume is None:
                break
            pos = resume
            continue
        length, samples, sample_rate = header
        if pos + length > len(data):
            scan.problems.append(f"last frame is cut short ({len(data) - pos} of {length} bytes): file truncated")
            break
        if scan.sample_rate and sample_rate != scan.sample_rate:
            scan.problems.append(f"sample rate changes at byte {pos} ({scan.sample_rate} → {sample_rate} Hz)")
            break
        scan.sample_rate = sample_rate
        # A leading Xing/Info frame carries encoder metadata, not audio.
        if not (first and (b"Xing" in data[pos:pos + 48] or b"Info" in data[pos:pos + 48])):
            scan.frames += 1
            scan.samples += samples
        first = False
        pos += length
    if scan.frames == 0 and not scan.problems:
        scan.problems.append("no MPEG audio frames")
    return scan


def decode_error(path: Path) -> str | None:
    """Decode the whole file with libsndfile (mpg123); the error text, if any."""
    import soundfile

    try:
        with soundfile.SoundFile(str(path)) as audio:
            for _ in audio.blocks(blocksize=1 << 16, dtype="float32"):
                pass
    except (RuntimeError, soundfile.LibsndfileError) as exc:
        return str(exc) or exc.__class__.__name__
    return None


# --- sidecars ---------------------------------------------------------------

VTT_TIME = r"(?:(\d+):)?([0-5]\d):([0-5]\d)\.(\d{3})"
VTT_TIMING = re.compile(rf"^{VTT_TIME}\s+-->\s+{VTT_TIME}(?:\s.*)?$")


def _vtt_seconds(hours, minutes, seconds, millis) -> float:
    return int(hours or 0) * 3600 + int(minutes) * 60 + int(seconds) + int(millis) / 1000


def check_vtt(text: str, duration: float | None) -> list[str]:
    text = text.lstrip("\ufeff")
    first_line = text.split("\n", 1)[0]
    if first_line != "WEBVTT" and not first_line.startswith(("WEBVTT ", "WEBVTT\t")):
        return ["missing WEBVTT header"]
    problems: list[str] = []
    previous_start = previous_end = 0.0
    seen_ids: set[str] = set()
    cues = 0
    for block in re.split(r"\n{2,}", text.replace("\r\n", "\n").strip())[1:]:
        lines = block.split("\n")
        if lines[0].startswith(("NOTE", "STYLE", "REGION")):
            continue
        timing_index = 1 if len(lines) > 1 and "-->" in lines[1] and "-->" not in lines[0] else 0
        cue_id = lines[0] if timing_index == 1 else None
        match = VTT_TIMING.match(lines[timing_index])
        cues += 1
        label = f"cue {cue_id or cues}"
        if not match:
            problems.append(f"{label}: bad timing line {lines[timing_index]!r}")
            continue
        start, end = _vtt_seconds(*match.groups()[:4]), _vtt_seconds(*match.groups()[4:])
        if cue_id is not None:
            if cue_id in seen_ids:
                problems.append(f"{label}: duplicate cue id")
            seen_ids.add(cue_id)
        if end < start:
            problems.append(f"{label}: ends ({end:.3f}s) before it starts ({start:.3f}s)")
        if start < previous_start:
            problems.append(f"{label}: starts at {start:.3f}s, before the previous cue ({previous_start:.3f}s)")
        elif start < previous_end - 0.0005:
            problems.append(f"{label}: overlaps the previous cue (starts {start:.3f}s, previous ends {previous_end:.3f}s)")
        if duration is not None and end > duration + SLACK:
            problems.append(f"{label}: ends at {end:.3f}s, after the audio ({duration:.3f}s)")
        previous_start, previous_end = start, end
    if cues == 0:
        problems.append("no cues")
    return problems


def vtt_cue_ids(text: str) -> list[str]:
    """Cue identifiers (the line before a timing line), in order."""
    lines = text.replace("\r\n", "\n").split("\n")
    return [lines[i - 1] for i in range(1, len(lines))
            if "-->" in lines[i] and lines[i - 1].strip() and "-->" not in lines[i - 1]]


def page_ids(path: Path) -> set[str]:
    from lxml import html as lxml_html

    try:
        document = lxml_html.fromstring(path.read_bytes())
    except (etree.ParserError, ValueError):
        return set()
    return {element.get("id") for element in document.iter() if element.get("id")}


def check_chapters_json(text: str, duration: float | None) -> list[str]:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        return [f"not valid JSON ({exc.msg} at line {exc.lineno})"]
    if not isinstance(document, dict) or not isinstance(document.get("chapters"), list):
        return ["no \"chapters\" list"]
    problems = [] if isinstance(document.get("version"), str) else ["no \"version\""]
    previous = None
    for number, chapter in enumerate(document["chapters"], 1):
        start = chapter.get("startTime") if isinstance(chapter, dict) else None
        if not isinstance(start, (int, float)) or isinstance(start, bool):
            problems.append(f"chapter {number}: startTime missing or not a number")
            continue
        if not chapter.get("title"):
            problems.append(f"chapter {number}: no title")
        if previous is not None and start <= previous:
            problems.append(f"chapter {number}: startTime {start} does not ascend (previous {previous})")
        end = chapter.get("endTime")
        if isinstance(end, (int, float)) and end < start:
            problems.append(f"chapter {number}: endTime {end} before startTime {start}")
        if duration is not None:
            if start >= duration:
                problems.append(f"chapter {number}: starts at {start}s, at or after the end of the audio ({duration:.3f}s)")
            elif isinstance(end, (int, float)) and end > duration + SLACK:
                problems.append(f"chapter {number}: ends at {end}s, after the audio ({duration:.3f}s)")
        previous = start
    return problems


def check_id3_chapters(path: Path, duration: float) -> list[str]:
    from mutagen.id3 import ID3, ID3NoHeaderError

    try:
        tags = ID3(str(path))
    except ID3NoHeaderError:
        return ["no ID3 tag (no chapters)"]
    except Exception as exc:  # mutagen raises several unrelated types for a damaged tag
        return [f"unreadable ID3 tag ({exc})"]
    chapters = sorted(tags.getall("CHAP"), key=lambda c: (c.start_time, c.element_id))
    if not chapters:
        return ["no ID3 CHAP frames"]
    problems = []
    expected_start = 0
    for chap in chapters:
        label = f"CHAP {chap.element_id}"
        if abs(chap.start_time - expected_start) > CHAPTER_GAP_MS:
            what = "gap" if chap.start_time > expected_start else "overlap"
            problems.append(f"{label}: starts at {chap.start_time} ms, previous ends at {expected_start} ms ({what})")
        if chap.end_time <= chap.start_time:
            problems.append(f"{label}: ends ({chap.end_time} ms) before it starts ({chap.start_time} ms)")
        if chap.end_time / 1000 > duration + SLACK:
            problems.append(f"{label}: ends at {chap.end_time / 1000:.3f}s, after the audio ({duration:.3f}s)")
        expected_start = chap.end_time
    ids = {chap.element_id for chap in chapters}
    top = [toc for toc in tags.getall("CTOC") if toc.flags & 0x02]
    if len(top) != 1:
        problems.append(f"{len(top)} top-level CTOC frames (expected 1)")
    referenced = {child for toc in tags.getall("CTOC") for child in toc.child_element_ids}
    known = ids | {toc.element_id for toc in tags.getall("CTOC")}
    for missing in sorted(referenced - known):
        problems.append(f"CTOC names {missing!r}, which is no CHAP frame")
    for orphan in sorted(ids - referenced):
        problems.append(f"CHAP {orphan} is in no CTOC")
    return problems


# --- the site ---------------------------------------------------------------

@dataclass
class Site:
    output: Path
    base_url: str
    problems: list[str] = field(default_factory=list)
    audio: dict[Path, Mp3Scan | None] = field(default_factory=dict)

    def name(self, path: Path) -> str:
        try:
            return path.relative_to(self.output).as_posix()
        except ValueError:
            return str(path)

    def report(self, path: Path | str, problem: str) -> None:
        where = self.name(path) if isinstance(path, Path) else path
        self.problems.append(f"{where}: {problem}")

    def local(self, url: str | None, what: str, *, page: bool = False) -> Path | None:
        """The file under output a URL names; reports and returns None when there is none."""
        if not url:
            self.report(FEED_NAME, f"{what}: no URL")
            return None
        if not url.startswith(self.base_url):
            self.report(FEED_NAME, f"{what}: {url} is not under the base URL {self.base_url}")
            return None
        relative = unquote(urlsplit(url[len(self.base_url):]).path)
        parts = PurePosixPath(relative).parts
        if ".." in parts or relative.startswith("/"):
            self.report(FEED_NAME, f"{what}: {url} leaves the output folder")
            return None
        path = self.output.joinpath(*parts) if parts else self.output
        if page and (not parts or url.endswith("/") or path.is_dir()):
            path = path / "index.html"
        if not path.is_file():
            self.report(path, f"missing ({what} {url})")
            return None
        return path

    def scan(self, path: Path, decode: bool) -> Mp3Scan | None:
        if path not in self.audio:
            scan = scan_mp3(path.read_bytes())
            for problem in scan.problems:
                self.report(path, problem)
            if decode and not scan.problems:
                error = decode_error(path)
                if error:
                    self.report(path, f"does not decode: {error}")
            self.audio[path] = scan if scan.frames else None
        return self.audio[path]


def _float(text: str | None) -> float | None:
    if text is None:
        return None
    text = text.strip()
    try:
        parts = [float(p) for p in text.split(":")]
    except ValueError:
        return None
    if len(parts) > 3:
        return None
    seconds = 0.0
    for part in parts:
        seconds = seconds * 60 + part
    return seconds


def _check_channel(site: Site, channel) -> None:
    site.local(channel.findtext("link"), "channel link (the site index)", page=True)
    image = channel.find(f"{{{ITUNES_NS}}}image")
    path = site.local(image.get("href") if image is not None else None, "itunes:image")
    if path is not None:
        from .write.cover import validate_cover

        try:
            validate_cover(path)
        except ConfigError as exc:
            site.report(path, exc.message)
    if channel.findtext(f"{{{PODCAST_NS}}}guid") is None:
        site.report(FEED_NAME, "channel has no podcast:guid")


def pubdate_problem(text: str | None) -> str | None:
    """RFC 2822 date with a weekday that matches the date, as Apple checks it."""
    if not text:
        return "no pubDate"
    try:
        moment = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return f"pubDate {text!r} is not an RFC 2822 date"
    if moment is None or moment.tzinfo is None:
        return f"pubDate {text!r} has no time zone"
    weekday = text.strip().split(",", 1)[0] if "," in text else None
    if weekday and weekday != moment.strftime("%a"):
        return f"pubDate {text!r}: {moment:%Y-%m-%d} is a {moment:%a}, not {weekday}"
    return None


def _check_item(site: Site, item, number: int, decode: bool) -> None:
    label = f"item {number} ({(item.findtext('title') or '').strip()[:50]!r})"
    problem = pubdate_problem(item.findtext("pubDate"))
    if problem:
        site.report(FEED_NAME, f"{label}: {problem}")
    page_path = site.local(item.findtext("link"), f"{label} link", page=True)
    enclosure = item.find("enclosure")
    if enclosure is None:
        site.report(FEED_NAME, f"{label}: no enclosure")
        return
    if enclosure.get("type") != "audio/mpeg":
        site.report(FEED_NAME, f"{label}: enclosure type {enclosure.get('type')!r} (expected audio/mpeg)")
    audio_path = site.local(enclosure.get("url"), f"{label} enclosure")
    scan = None
    if audio_path is not None:
        declared = enclosure.get("length", "")
        actual = audio_path.stat().st_size
        if not declared.isdigit() or int(declared) != actual:
            site.report(audio_path, f"enclosure length {declared!r} in the feed, but the file has {actual} bytes")
        scan = site.scan(audio_path, decode)
    duration = scan.duration if scan else None
    if duration is not None:
        claimed = _float(item.findtext(f"{{{ITUNES_NS}}}duration"))
        if claimed is None:
            site.report(FEED_NAME, f"{label}: missing or unreadable itunes:duration")
        elif abs(claimed - duration) > DURATION_TOLERANCE:
            site.report(audio_path, f"lasts {duration:.2f}s, but itunes:duration says {claimed:g}s")
        for problem in check_id3_chapters(audio_path, duration):
            site.report(audio_path, problem)

    chapters = item.find(f"{{{PODCAST_NS}}}chapters")
    if chapters is None:
        site.report(FEED_NAME, f"{label}: no podcast:chapters")
    else:
        if chapters.get("type") != CHAPTERS_TYPE:
            site.report(FEED_NAME, f"{label}: podcast:chapters type {chapters.get('type')!r} (expected {CHAPTERS_TYPE})")
        path = site.local(chapters.get("url"), f"{label} chapters")
        if path is not None:
            for problem in check_chapters_json(path.read_text(encoding="utf-8", errors="replace"), duration):
                site.report(path, problem)

    transcripts = item.findall(f"{{{PODCAST_NS}}}transcript")
    if not any(t.get("type") == "text/vtt" for t in transcripts):
        site.report(FEED_NAME, f"{label}: no text/vtt podcast:transcript")
    for transcript in transcripts:
        kind = transcript.get("type")
        path = site.local(transcript.get("url"), f"{label} {kind} transcript", page=kind == "text/html")
        if path is not None and kind == "text/vtt":
            text = path.read_text(encoding="utf-8", errors="replace")
            for problem in check_vtt(text, duration):
                site.report(path, problem)
            if page_path is not None:
                _check_join_keys(site, path, vtt_cue_ids(text), page_path)


def _check_join_keys(site: Site, vtt_path: Path, cue_ids: list[str], page_path: Path) -> None:
    """Cue ids are sentence ids: each must name an element on the page, or read-along cannot highlight it."""
    on_page = page_ids(page_path)
    absent = [cue_id for cue_id in cue_ids if cue_id not in on_page]
    if absent:
        site.report(vtt_path, f"{len(absent)} of {len(cue_ids)} cue ids are not ids on "
                              f"{site.name(page_path)} (first: {absent[0]!r})")


# --- the listings -----------------------------------------------------------

LISTING_LINKS = "//a[@href] | //link[@rel='next' or @rel='prev'][@href]"
ARTICLE_PAGE = re.compile(r"^([^/]+)/index\.html$")


def _local_target(page: str, href: str) -> str | None:
    """The output-relative file a link on ``page`` names; None for another site, a fragment
    or a scheme (``mailto:``); ``".."`` first when it leaves the output folder."""
    parts = urlsplit(href.strip())
    if parts.scheme or parts.netloc or not parts.path:
        return None
    path = unquote(parts.path)
    if path.startswith("/"):
        return ".." + path  # absolute paths depend on where the site is mounted: not local
    target = posixpath.normpath(posixpath.join(posixpath.dirname(page), path))
    if path.endswith("/") or target == ".":
        target = posixpath.join(target, "index.html") if target != "." else "index.html"
    return target


def _is_article_page(relative: str) -> bool:
    found = ARTICLE_PAGE.match(relative)
    return bool(found) and found.group(1) not in LISTING_DIRS and not found.group(1).startswith(".")


def check_listings(site: Site) -> None:
    """Walk the listing pages from ``index.html``: links resolve, every article is reachable."""
    from lxml import html

    queue, seen, linked = ["index.html"], {"index.html"}, set()
    while queue:
        page = queue.pop()
        path = site.output / page
        if not path.is_file():
            continue  # reported where it is linked (or, for index.html, by the feed's own link)
        try:
            tree = html.fromstring(path.read_bytes())
        except (etree.ParserError, ValueError) as exc:
            site.report(page, f"not readable HTML ({exc})")
            continue
        for target, href in dict((_local_target(page, e.get("href")), e.get("href")) for e in tree.xpath(LISTING_LINKS)).items():
            if target is None:
                continue
            if target.startswith(".."):
                site.report(page, f"link {href!r} leaves the site")
            elif not (site.output / target).is_file():
                site.report(page, f"link {href!r}: {target} is missing")
            elif LISTING_PATH.match(target) and target not in seen:
                seen.add(target)
                queue.append(target)
            elif _is_article_page(target):
                linked.add(target)
    for folder in sorted(p for p in site.output.iterdir() if p.is_dir()):
        relative = f"{folder.name}/index.html"
        if _is_article_page(relative) and (site.output / relative).is_file() and relative not in linked:
            site.report(relative, "not linked from any listing page (index pages or monthly archives)")


def check_site(output: Path, base_url: str | None = None, *, decode: bool = True) -> list[str]:
    """Every problem found in the built site at ``output``, one line each ("file: problem")."""
    output = Path(output)
    feed_path = output / FEED_NAME
    if not feed_path.is_file():
        return [f"{FEED_NAME}: missing (is {output} a built output folder?)"]
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(feed_path.read_bytes(), parser)
    except etree.XMLSyntaxError as exc:
        return [f"{FEED_NAME}: not well-formed XML ({exc})"]
    channel = root.find("channel")
    if root.tag != "rss" or channel is None:
        return [f"{FEED_NAME}: not an RSS 2.0 feed (root <{root.tag}>)"]
    problems: list[str] = []
    self_link = next((link.get("href") for link in channel.findall(f"{{{ATOM_NS}}}link")
                      if link.get("rel") == "self"), None)
    if base_url is None:
        if not self_link:
            return [f"{FEED_NAME}: no atom:link rel=self and no --base-url: cannot map URLs to files"]
        base_url = self_link.rsplit("/", 1)[0] + "/"
    elif not base_url.endswith("/"):
        base_url += "/"
    if self_link != base_url + FEED_NAME:
        problems.append(f"{FEED_NAME}: atom:link rel=self is {self_link!r}, expected {base_url + FEED_NAME!r}")
    site = Site(output, base_url, problems)
    _check_channel(site, channel)
    guids: dict[str, int] = {}
    for number, item in enumerate(channel.findall("item"), 1):
        guid = (item.findtext("guid") or "").strip()
        if not guid:
            site.report(FEED_NAME, f"item {number}: no guid")
        elif guid in guids:
            site.report(FEED_NAME, f"item {number}: guid {guid!r} repeats item {guids[guid]}")
        else:
            guids[guid] = number
        _check_item(site, item, number, decode)
    check_listings(site)
    return site.problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="publisher check", description=__doc__.split("\n\n")[0])
    parser.add_argument("output", type=Path, help="the built output folder")
    parser.add_argument("--base-url", help="the URL the site was built for (default: from the feed's atom:link)")
    parser.add_argument("--no-decode", action="store_true", help="skip the full MP3 decode (frame walk only)")
    args = parser.parse_args(argv)
    problems = check_site(args.output, args.base_url, decode=not args.no_decode)
    for problem in problems:
        print(problem)
    print(f"{len(problems)} problem(s)" if problems else "ok", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
