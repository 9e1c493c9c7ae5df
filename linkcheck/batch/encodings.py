"""Bytes → text: the encodings a checklist may be saved in, and streams read twice."""

from __future__ import annotations

import codecs
import io

from ..errors import shown
from ..i18n import N_, Message
from .formats import InputError

# characters a line may run to without a line end: two of the longest cells (readers.py),
# which no checklist row comes near; beyond it a file (/dev/zero, a file of one endless
# line) is not read on into memory
MAX_LINE = 32 * 1024 * 1024
# bytes of a stream that cannot be read twice (a pipe, /dev/stdin, a device) copied to the
# temporary folder so that it can be: a workbook or JSON Lines longer than this comes from a
# file, and an endless pipe (or /dev/zero) stops here instead of filling the disk
MAX_SPOOL = 512 << 20


def line_too_long(limit: int) -> InputError:
    return InputError(
        N_("a line runs past {limit} characters without a line end: no checklist row is that long"),
        limit=f"{limit:,}",
    )


_NOT_FILE_ENCODINGS = {"punycode", "idna", "raw-unicode-escape", "unicode-escape", "undefined"}


def _cp936_euro(exc: UnicodeError) -> tuple[str, int]:
    """Windows' GBK (code page 936, what Chinese Excel saves a CSV in) has a byte that GBK
    and GB18030 lack: 0x80, the euro sign (欧洲进口€9.9). Any other byte that is not GBK
    stays an error."""
    if isinstance(exc, UnicodeDecodeError) and exc.object[exc.start : exc.start + 1] == b"\x80":
        return "\u20ac", exc.start + 1
    raise exc


CP936 = "linkcheck-cp936"  # the decoding errors handler of the Chinese encodings
codecs.register_error(CP936, _cp936_euro)
_CHINESE = {"gbk", "gb18030", "gb2312"}  # codecs.lookup names (cp936 is gbk)


def decode_errors(encoding: str) -> str:
    """The errors handler a file in `encoding` is decoded with: a Chinese encoding reads
    Windows' € (_cp936_euro), the others are strict."""
    try:
        return CP936 if codecs.lookup(encoding).name in _CHINESE else "strict"
    except LookupError:
        return "strict"


def detect_encoding(sample: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, or GB18030 as Chinese Excel saves it."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        if _damaged_utf8(sample):
            return "utf-8"  # read as what it is: the bad byte is an error naming it
    try:
        codecs.getincrementaldecoder("gb18030")(CP936).decode(sample, final=False)
        return "gb18030"
    except UnicodeDecodeError as exc:
        # where GB18030 fails too: most of a Chinese file read before it is one byte astray
        line = sample.count(b"\n", 0, exc.start) + 1
        raise InputError(
            N_("cannot tell the text encoding: not UTF-8, nor GB18030 (byte 0x{byte:02x} on "
               "line {line}); pass --encoding"),
            byte=sample[exc.start], line=line,
        ) from None  # fmt: skip


# how workbooks begin: a zip archive (.xlsx, .xlsm, .ods, .numbers) or an OLE compound file
# (.xls, .et): read as text they are garbage, and "cannot tell the text encoding" misleads
_WORKBOOK_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")


def _not_a_workbook(head: bytes) -> None:
    if head.startswith(_WORKBOOK_MAGIC[0]):
        raise InputError(
            N_("the input is a zip file, as an .xlsx workbook is, not text: name it .xlsx or "
               "pass --input-format xlsx")
        )  # fmt: skip
    if head.startswith(_WORKBOOK_MAGIC[1]):
        raise InputError(
            N_("the input is an old Office file (an .xls workbook?), not text: save it as "
               ".xlsx or CSV")
        )  # fmt: skip


def _damaged_utf8(sample: bytes) -> bool:
    """UTF-8 with a byte or two broken (a cut, a stray byte), not GB18030: most of its
    non-ASCII characters read as UTF-8. Chinese text in GB18030 reads as UTF-8 about one
    character in ten, so read as GB18030 such a file would be mojibake up to the bad byte
    (the fuzzer found 天猫 read as 澶╃尗 before the run stopped there)."""
    text = codecs.getincrementaldecoder("utf-8")("replace").decode(sample, final=False)
    bad = text.count("\ufffd")
    good = sum(1 for ch in text if ch > "\x7f") - bad
    return good >= 8 and good >= 4 * bad


class _Prefixed(io.RawIOBase):
    """A stream that replays bytes already read (the encoding sample) before the rest."""

    def __init__(self, head: bytes, rest) -> None:
        self._head = head
        self._rest = rest
        self._read = getattr(rest, "read1", rest.read)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self._head:
            n = min(len(buffer), len(self._head))
            buffer[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        # read1: what is there (a pipe's first rows are answered without waiting for more)
        data = self._read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def text_stream(binary, encoding: str | None) -> tuple[io.TextIOWrapper, str]:
    """Wrap a binary stream as text, detecting the encoding from its first 64 KiB."""
    head = binary.read(65536)
    if encoding is None:
        _not_a_workbook(head)
    chosen = encoding or detect_encoding(head)
    try:
        info = codecs.lookup(chosen)
    except LookupError:
        info = None
    # only text encodings: rot13, base64, zlib … are codecs too, but not ways to save a file;
    # utf-16 needs its BOM to say which byte order, and punycode is for host names
    if info is None or not info._is_text_encoding or info.name in _NOT_FILE_ENCODINGS:
        name = shown(chosen)
        what = (
            Message(N_("unknown encoding '{name}'"), name=name)
            if info is None
            else Message(N_("'{name}' is no file encoding"), name=name)
        )
        raise InputError(N_("{what}: use utf-8, utf-8-sig, gb18030, gbk or utf-16"), what=what)
    boms = {
        "utf-16": (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE),
        "utf-32": (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE),
    }
    if info.name in boms and not head.startswith(boms[info.name]):
        raise InputError(
            N_(
                "the input has no {info_name} byte-order mark, so its byte order "
                "is unknown: pass --encoding {info_name}-le or {info_name}-be"
            ),
            info_name=info.name,
        )
    raw = io.BufferedReader(_Prefixed(head, binary), buffer_size=262144)
    text = io.TextIOWrapper(raw, encoding=chosen, errors=decode_errors(chosen), newline="")
    return text, chosen


def rereadable(binary, max_line: int | None = None):
    """The stream itself if it is a file that can be read again from here, else a copy of
    it (kept in memory up to 16 MiB, then in a temporary file) of at most MAX_SPOOL bytes.
    A device (/dev/zero, /dev/stdin) is copied: it may claim to seek but reads on without
    end. With `max_line` (characters), a copy stops with line_too_long() where more than 4
    bytes a character of it come without a line end."""
    if _seekable_file(binary):
        return binary
    import tempfile

    copy = tempfile.SpooledTemporaryFile(max_size=16 << 20)  # noqa: SIM115 (returned open)
    run = 0  # bytes since the last line end (0x0A is one in every encoding accepted)
    most = 4 * max_line if max_line is not None else None
    total = 0
    while chunk := binary.read(1 << 20):
        total += len(chunk)
        if total > MAX_SPOOL:
            copy.close()
            raise InputError(
                N_(
                    "the input stream runs past {limit} bytes, the most copied from a pipe or "
                    "device to be read: save it to a file and name the file"
                ),
                limit=f"{MAX_SPOOL:,}",
            )
        if most is not None:
            first = chunk.find(b"\n")
            run = run + len(chunk) if first < 0 else len(chunk) - chunk.rfind(b"\n") - 1
            if (first < 0 and run > most) or (first >= 0 and run + first > most):
                copy.close()
                raise line_too_long(max_line)  # type: ignore[arg-type]
        copy.write(chunk)
    copy.seek(0)
    return copy


def _seekable_file(binary) -> bool:
    """Whether `binary` can be read again from here: it seeks, and is not a device or pipe
    (a stream without a descriptor, such as BytesIO, is judged by seeking alone)."""
    import os
    import stat

    try:
        if not binary.seekable():
            return False
        binary.tell()
    except (OSError, ValueError):
        return False
    try:
        mode = os.fstat(binary.fileno()).st_mode
    except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
        return True
    return stat.S_ISREG(mode)
