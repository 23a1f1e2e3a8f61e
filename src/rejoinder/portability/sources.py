"""Opening an import file: its compression, its size, and what it turns out to be.

Every problem is a `BadFile` with one line that names it, and the line or byte offset where
there is one. Compressed files are read as a stream; one that inflates past a sane ratio (a
zip bomb) is refused while it is read, before it costs memory or disk.
"""

from __future__ import annotations

import gzip
import io
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

GZIP_MAGIC = b"\x1f\x8b"
ZIP_MAGIC = b"PK\x03\x04"
SQLITE_MAGIC = b"SQLite format 3\x00"
# Text compresses ten to twenty times; more than this, past the first bytes, is a bomb.
MAX_RATIO = 200
RATIO_FREE_BYTES = 64 * 1024 * 1024


class BadFile(Exception):
    """The file cannot be imported: one line saying why (and where)."""

    def __init__(self, message: str, *, line: int | None = None, offset: int | None = None):
        where = []
        if line is not None:
            where.append(f"line {line}")
        if offset is not None:
            where.append(f"{'column' if line is not None else 'byte'} {offset}")
        super().__init__(f"{', '.join(where)}: {message}" if where else message)
        self.line = line
        self.offset = offset


class _Counted(io.RawIOBase):
    """A raw stream that counts what was read from the file (for progress and bomb checks)."""

    def __init__(self, raw: IO[bytes]):
        self.raw = raw
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        data = self.raw.read(len(buffer))
        n = len(data)
        buffer[:n] = data
        self.count += n
        return n


class _Inflated(io.RawIOBase):
    """Decompressed bytes, checked against the compressed bytes read so far."""

    def __init__(self, inner: IO[bytes], compressed: Callable[[], int], name: str):
        self.inner = inner
        self.compressed = compressed
        self.name = name
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        try:
            data = self.inner.read(len(buffer))
        except EOFError:
            raise BadFile(
                f"the {self.name} data ends early: the file is truncated "
                f"(after {self.count} bytes inflated)"
            ) from None
        except (OSError, zlib.error, zipfile.BadZipFile) as exc:
            raise BadFile(f"the {self.name} data is damaged ({exc})") from None
        n = len(data)
        buffer[:n] = data
        self.count += n
        if self.count > RATIO_FREE_BYTES and self.count > MAX_RATIO * max(1, self.compressed()):
            raise BadFile(
                f"the {self.name} data inflates more than {MAX_RATIO} times its size "
                "(a compression bomb?); unpack it yourself if it is genuine"
            )
        return n


class Opened:
    """An import file opened for reading: a binary stream of its (inflated) content."""

    def __init__(self, path: Path, stream: IO[bytes], raw: _Counted, size: int, kind: str):
        self.path = path
        self.stream = stream
        self._raw = raw
        self.size = size
        self.compression = kind  # "", "gzip" or "zip"

    def position(self) -> int:
        """Bytes of the file read so far (compressed bytes for a compressed file)."""
        return self._raw.count

    def head(self, n: int = 4096) -> bytes:
        peek = getattr(self.stream, "peek", None)
        return bytes(peek(n)[:n]) if peek else b""


@contextmanager
def open_import_file(path: Path) -> Iterator[Opened]:
    """Open `path` for an import: refuse a missing or empty file, inflate gzip and zip."""
    try:
        size = path.stat().st_size
        handle = path.open("rb")
    except FileNotFoundError:
        raise BadFile(f"{path}: no such file") from None
    except OSError as exc:
        raise BadFile(f"{path}: cannot be read ({exc.strerror})") from None
    if size == 0:
        handle.close()
        raise BadFile("the file is empty (0 bytes)")
    with handle:
        magic = handle.read(4)
        handle.seek(0)
        raw = _Counted(handle)
        stream: Any
        if magic.startswith(GZIP_MAGIC):
            inner: Any = gzip.GzipFile(fileobj=io.BufferedReader(raw))
            stream = io.BufferedReader(_Inflated(inner, lambda: raw.count, "gzip"), 1 << 16)
            kind = "gzip"
        elif magic == ZIP_MAGIC:
            stream, kind = _open_zip(path, raw), "zip"
        else:
            stream, kind = io.BufferedReader(raw, 1 << 16), ""
        opened = Opened(path, stream, raw, size, kind)
        try:
            if not opened.head(1):
                raise BadFile(f"the {kind} file holds no data (0 bytes inflated)")
        except (OSError, EOFError, zlib.error) as exc:
            raise BadFile(f"the {kind or 'file'} data is damaged ({exc})") from None
        yield opened


def _open_zip(path: Path, raw: _Counted) -> IO[bytes]:
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile as exc:
        raise BadFile(f"not a readable zip archive ({exc})") from None
    members = [m for m in archive.infolist() if not m.is_dir()]
    if len(members) != 1:
        raise BadFile(f"the zip archive holds {len(members)} files; give it exactly one")
    member = members[0]
    if member.file_size > MAX_RATIO * max(1, member.compress_size) and (
        member.file_size > RATIO_FREE_BYTES
    ):
        raise BadFile(
            f"{member.filename} in the zip inflates to {member.file_size} bytes, more than "
            f"{MAX_RATIO} times its size (a compression bomb?)"
        )
    inner = archive.open(member)
    compressed = member.compress_size  # the member's header may lie; the check below does not
    return io.BufferedReader(_Inflated(inner, lambda: compressed, "zip"), 1 << 16)  # type: ignore[arg-type]
