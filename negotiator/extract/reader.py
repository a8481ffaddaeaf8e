"""Turn a file's bytes into text: plain text in any common Chinese encoding, DOCX, or a PDF with
a text layer.  Every problem is an :class:`~negotiator.errors.InputError` at the path ``TEXT``
with a message a person can act on (a scanned PDF needs OCR, an encrypted one its password)."""

from __future__ import annotations

import io
import zipfile

from ..errors import InputError

__all__ = ["MAX_INPUT_BYTES", "MAX_TEXT_CHARS", "read_document"]

#: Largest file accepted (a 还款协议书 is a few pages; a 20 MB scan is not text).
MAX_INPUT_BYTES = 20 * 1024 * 1024
#: Largest text extracted from a file (about 100 pages of Chinese).
MAX_TEXT_CHARS = 200_000

_PATH = "TEXT"
_ENCODINGS = ("utf_8", "gb18030", "big5", "big5hkscs", "utf_16", "utf_32")


def _fail(problem: str) -> InputError:
    return InputError(_PATH, problem)


def _decode(raw: bytes) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            raise _fail("the file starts like UTF-16 text but is not valid UTF-16") from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(raw, cp_isolation=list(_ENCODINGS)).best()
    if best is None:
        raise _fail(
            "this is not text in a known encoding (UTF-8, GBK/GB18030, Big5, UTF-16); "
            "is it a binary file? Save it as text, DOCX or PDF"
        )
    return str(best)


def _docx(raw: bytes) -> str:
    try:
        import docx
    except ImportError:  # pragma: no cover - python-docx is a declared dependency
        raise _fail("reading DOCX needs python-docx: pip install 'negotiator[docx]'") from None
    try:
        document = docx.Document(io.BytesIO(raw))
    except Exception:
        raise _fail("the file looks like DOCX but cannot be opened (damaged?)") from None
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            cells: list[str] = []
            for cell in row.cells:
                if not cells or cells[-1] != cell.text:  # merged cells repeat
                    cells.append(cell.text)
            lines.append("  ".join(cells))
    return "\n".join(lines)


def _pdf(raw: bytes) -> str:
    import logging

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(raw))
        if reader.is_encrypted:
            try:
                opened = bool(reader.decrypt(""))
            except Exception:
                opened = False
            if not opened:
                raise _fail(
                    "the PDF is encrypted with a password; open it, print or save it "
                    "without the password, and try again"
                )
        pages = [page.extract_text() or "" for page in reader.pages]
    except InputError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError, RecursionError):
        raise _fail("the file looks like a PDF but cannot be read (damaged?)") from None
    except Exception as exc:  # pypdf raises its own dependency errors for some ciphers
        if "crypt" in type(exc).__name__.lower() or "AES" in str(exc):
            raise _fail("the PDF is encrypted in a way that cannot be opened here") from None
        raise _fail("the file looks like a PDF but cannot be read (damaged?)") from None
    text = "\n".join(pages)
    if not "".join(text.split()):
        raise _fail(
            "the PDF has no text layer (it is a scan or a photo): it needs OCR first — "
            "run it through a text recogniser, or type or paste the text"
        )
    return text


def read_document(raw: bytes) -> str:
    """The text of a document given as bytes (kind told apart by content, not by name)."""
    if len(raw) > MAX_INPUT_BYTES:
        raise _fail(f"the file is larger than {MAX_INPUT_BYTES // (1024 * 1024)} MB")
    if raw.startswith(b"%PDF"):
        text = _pdf(raw)
    elif raw.startswith(b"PK\x03\x04"):
        try:
            names = zipfile.ZipFile(io.BytesIO(raw)).namelist()
        except zipfile.BadZipFile:
            raise _fail("the file is a damaged ZIP archive, not text") from None
        if "word/document.xml" not in names:
            raise _fail("the file is a ZIP archive but not a DOCX document")
        text = _docx(raw)
    else:
        if b"\x00" in raw[:4096] and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise _fail("the file is binary, not text, DOCX or PDF")
        text = _decode(raw)
    return check_text(text)


def check_text(text: str) -> str:
    """Refuse text too long to be one agreement or message, or containing control bytes."""
    if len(text) > MAX_TEXT_CHARS:
        raise _fail(
            f"the text is longer than {MAX_TEXT_CHARS:,} characters; give the agreement or "
            "message alone"
        )
    if "\x00" in text:
        raise _fail("the text contains NUL characters; is it a binary file?")
    return text.replace("\r\n", "\n").replace("\r", "\n")
