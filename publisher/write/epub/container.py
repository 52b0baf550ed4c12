"""OCF zip: ``mimetype`` first and stored, then fixed-order members with a fixed timestamp."""
from __future__ import annotations

import io
import zipfile
from datetime import datetime

MIMETYPE = b"application/epub+zip"
CONTAINER_XML = """<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles>
    <rootfile full-path="OEBPS/package.opf" media-type="application/oebps-package+xml"/>
  </rootfiles>
</container>
"""
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip entry can hold


def zip_time(moment: datetime) -> tuple[int, int, int, int, int, int]:
    stamp = (moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second)
    return max(stamp, ZIP_EPOCH)


def _member(name: str, when: tuple, compress: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=when)
    info.compress_type = compress
    info.external_attr = 0o644 << 16  # fixed permissions: the umask must not change the bytes
    info.create_system = 3
    return info


def zip_epub(files: dict[str, bytes], modified: datetime) -> bytes:
    when = zip_time(modified)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(_member("mimetype", when, zipfile.ZIP_STORED), MIMETYPE)
        archive.writestr(_member("META-INF/container.xml", when, zipfile.ZIP_DEFLATED), CONTAINER_XML)
        for name in sorted(files):
            # MP3 is already compressed; storing it saves time and changes nothing.
            compress = zipfile.ZIP_STORED if name.endswith(".mp3") else zipfile.ZIP_DEFLATED
            archive.writestr(_member(name, when, compress), files[name])
    return buffer.getvalue()
