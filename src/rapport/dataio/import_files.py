"""Reading uploaded tables for imports: a CSV in any common encoding, or the first sheet of an .xlsx.

Nothing here trusts the file. Its size is checked before it is read; its kind is told from its bytes,
not its name; a workbook's zip directory is checked for zip bombs before anything is unpacked; cells
are returned as values — a formula as its text, never evaluated; and every problem becomes an
ImportFileError whose message tells the user what to do.
"""

import codecs
import csv
import io
import itertools
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rapport.core.errors import InvalidInput

from .cells import CONTROL_CHARACTERS, cell_text, clean_cell, is_blank

SAMPLE_BYTES = 1024 * 1024
MAX_COLUMNS = 500
PREVIEW_ROWS = 10

# The encodings offered in the upload form; "gbk" and friends are read as GB18030, their superset.
ENCODINGS: dict[str, str | Promise] = {
    "utf-8": gettext_lazy("UTF-8 (with or without BOM)"),
    "gb18030": gettext_lazy("GBK / GB18030 (Chinese Excel)"),
    "big5": gettext_lazy("Big5 (Traditional Chinese)"),
    "utf-16": gettext_lazy("UTF-16 (Excel “Unicode text”)"),
    "windows-1252": gettext_lazy("Western European (Windows-1252)"),
}
ENCODING_ALIASES = {
    "gbk": "gb18030", "gb2312": "gb18030", "cp936": "gb18030", "936": "gb18030", "utf8": "utf-8",
    "utf-8-sig": "utf-8", "latin-1": "windows-1252", "latin1": "windows-1252", "cp1252": "windows-1252",
    "utf16": "utf-16", "big-5": "big5",
}
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the old binary .xls (and .doc) format



class ImportFileError(InvalidInput):
    """The file cannot be imported as it is; `message` says why and what to do."""

    def __init__(self, message):
        super().__init__(message, fields={"file": [message]})


def max_bytes() -> int:
    return int(getattr(settings, "IMPORT_MAX_BYTES", 200 * 1024 * 1024))


def max_unzipped_bytes() -> int:
    return int(getattr(settings, "IMPORT_MAX_UNZIPPED_BYTES", 1024 * 1024 * 1024))


def check_size(size: int) -> None:
    if size > max_bytes():
        raise ImportFileError(_("The file is %(size)s; files up to %(limit)s can be imported. Split it into "
                                "smaller files.") % {"size": size_text(size), "limit": size_text(max_bytes())})
    if size == 0:
        raise ImportFileError(_("The file is empty."))


def size_text(size: int) -> str:
    """“200 MB”, “1.5 MB”, “900 KB”."""
    if size >= 1024 * 1024:
        return _("%(size)s MB") % {"size": f"{size / (1024 * 1024):.1f}".removesuffix(".0")}
    return _("%(size)s KB") % {"size": f"{size / 1024:.1f}".removesuffix(".0")}


def normalise_encoding(name: str | None) -> str | None:
    """The codec for an encoding as a person or a program names it; None for “detect it”."""
    if not name or name.strip().lower() in {"auto", "detect", ""}:
        return None
    key = name.strip().lower().replace("_", "-")
    key = ENCODING_ALIASES.get(key, key)
    if key not in ENCODINGS:
        raise ImportFileError(_("Unknown encoding “%(name)s”. Choose one of: %(choices)s.")
                              % {"name": name, "choices": ", ".join(ENCODINGS)})
    return key


# --- telling what the file is ------------------------------------------------------------------


def file_kind(head: bytes) -> str:
    """"xlsx" or "csv", from the first bytes; refuses anything else with a message saying what it is."""
    if not head.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise ImportFileError(_("The file is empty."))
    if head.startswith(ZIP_MAGIC):
        return "xlsx"
    if head.startswith(OLE_MAGIC):
        raise ImportFileError(_("This is an old Excel (.xls) file. Open it in Excel or WPS and save it as .xlsx "
                                "or CSV, then import that."))
    return "csv"


def detect_encoding(head: bytes, *, complete: bool, chosen: str | None = None) -> str:
    """The codec that reads `head` (the file's start; `complete` when it is the whole file)."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    not_text = ImportFileError(_("This is not a text (CSV) file or an Excel workbook. Save the data as CSV or .xlsx "
                                 "and import that."))
    if head.count(b"\x00") > max(1, len(head) // 1000):
        raise not_text
    decoded = False
    for codec in [chosen] if chosen else ["utf-8", "gb18030"]:
        try:
            text = codecs.getincrementaldecoder(codec)(errors="strict").decode(head, final=complete)
        except UnicodeDecodeError:
            continue
        decoded = True
        if _looks_like_text(text):
            return codec
    if decoded:
        raise not_text
    if chosen:
        raise ImportFileError(_("The file is not %(encoding)s text. Choose another encoding, or save it from "
                                "Excel as “CSV UTF-8”.") % {"encoding": ENCODINGS[chosen]})
    raise ImportFileError(_("The file's text is neither UTF-8 nor GBK, or it is not a text file at all. Choose its "
                            "encoding, or save it from Excel as “CSV UTF-8”."))


def _looks_like_text(text: str) -> bool:
    """Random bytes may decode by chance; text has few control characters."""
    return len(CONTROL_CHARACTERS.findall(text)) <= max(3, len(text) // 50)


def check_workbook(path: str) -> None:
    """Refuse a file that is not a workbook, or that would unpack to more than we accept (a zip bomb)."""
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, EOFError) as error:
        raise ImportFileError(_("This is not a valid .xlsx workbook (the file is damaged or not a workbook). "
                                "Save it again from Excel as .xlsx or CSV.")) from error
    names = {entry.filename for entry in entries}
    if "xl/workbook.xml" not in names:
        raise ImportFileError(_("This zip file is not an Excel workbook. Save the data as .xlsx or CSV."))
    unpacked = sum(entry.file_size for entry in entries)
    suspicious = any(entry.file_size > 20 * 1024 * 1024 and entry.file_size > 200 * max(entry.compress_size, 1)
                     for entry in entries)
    if len(entries) > 10000 or unpacked > max_unzipped_bytes() or suspicious:
        raise ImportFileError(_("This workbook unpacks to far more data than it holds; it looks like a zip bomb "
                                "and was not opened."))


# --- cells ----------------------------------------------------------------------------------------


# --- tables ---------------------------------------------------------------------------------------


@dataclass
class Table:
    """The header and, lazily, the data rows: (row number as a spreadsheet shows it, cells)."""

    header: list[str]
    rows: Iterator[tuple[int, list]] = field(repr=False)


@contextmanager
def open_table(path: str, file_format: str, encoding: str = "") -> Iterator[Table]:
    """Open a stored import file; rows are cleaned cells, blank rows left out, ragged rows as they are."""
    if file_format == "xlsx":
        with _open_workbook(path) as table:
            yield table
    else:
        with open(path, "rb") as raw:
            yield _csv_table(raw, encoding or "utf-8")


def _csv_table(raw, encoding: str) -> Table:
    position = {"line": 0}
    lines = _decoded_lines(raw, encoding, position)
    try:
        first = next(lines, "")
    except UnicodeDecodeError as error:
        raise _not_in_encoding(encoding, position["line"]) from error
    delimiter = max([",", ";", "\t", "|"], key=first.count) if first.strip() else ","
    if first.count(delimiter) == 0:
        delimiter = ","
    reader = csv.reader(itertools.chain([first], lines), delimiter=delimiter)
    row_number = 1
    try:
        header_cells = next(reader, None)
    except (csv.Error, UnicodeDecodeError) as error:
        raise _unreadable(error, encoding, position["line"]) from error
    if header_cells is None:
        raise ImportFileError(_("The file is empty."))
    header = _header([clean_cell(cell) for cell in header_cells])

    def rows() -> Iterator[tuple[int, list]]:
        nonlocal row_number
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except (csv.Error, UnicodeDecodeError) as error:
                raise _unreadable(error, encoding, position["line"]) from error
            row_number += 1
            cleaned = [clean_cell(cell) for cell in cells]
            if not is_blank(cleaned):
                yield row_number, cleaned

    return Table(header=header, rows=rows())


def _decoded_lines(raw, encoding: str, position: dict) -> Iterator[str]:
    """The file's lines as text; `position["line"]` is the line being decoded, for error messages.

    Byte lines split at \n are whole lines in UTF-8, GB18030, Big5 and Windows-1252 (none uses that
    byte inside a character); UTF-16 is decoded as a stream.
    """
    if encoding == "utf-16":
        for number, line in enumerate(io.TextIOWrapper(raw, encoding="utf-16", newline=""), start=1):
            position["line"] = number
            yield line
        return
    decoder = codecs.getincrementaldecoder("utf-8-sig" if encoding == "utf-8" else encoding)(errors="strict")
    for number, line in enumerate(raw, start=1):
        position["line"] = number
        yield decoder.decode(line)
    if tail := decoder.decode(b"", final=True):
        yield tail


def _unreadable(error: Exception, encoding: str, line: int) -> ImportFileError:
    if isinstance(error, UnicodeDecodeError):
        return _not_in_encoding(encoding, line)
    if "field larger than field limit" in str(error):
        return ImportFileError(_("Line %(line)s has a cell longer than %(limit)s characters; this is not a table "
                                 "that can be imported.") % {"line": line, "limit": csv.field_size_limit()})
    return ImportFileError(_("Line %(line)s cannot be read as CSV (%(error)s). Check the file, or save it again "
                             "from Excel as CSV.") % {"line": line, "error": error})


def _not_in_encoding(encoding: str, line: int) -> ImportFileError:
    return ImportFileError(_("The file is not valid %(encoding)s text (at line %(line)s). Choose its encoding, or "
                             "save it from Excel as “CSV UTF-8”.")
                           % {"encoding": ENCODINGS.get(encoding, encoding), "line": line})


def _header(cells: list) -> list[str]:
    header = [cell_text(cell) for cell in cells]
    while header and header[-1] == "":
        header.pop()
    if not header:
        raise ImportFileError(_("The first row is empty; it should name the columns (e.g. Name, Email, Phone)."))
    if len(header) > MAX_COLUMNS:
        raise ImportFileError(_("The file has %(count)s columns; at most %(limit)s can be imported.")
                              % {"count": len(header), "limit": MAX_COLUMNS})
    return header


@contextmanager
def _open_workbook(path: str) -> Iterator[Table]:
    import openpyxl  # only imports that read workbooks pay for loading it

    check_workbook(path)
    handle = open(path, "rb")  # noqa: SIM115 - closed in the finally below; openpyxl judges a path by its extension
    try:
        # read_only streams the sheet; formulas come back as their text (data_only=False), never evaluated.
        workbook = openpyxl.load_workbook(handle, read_only=True, data_only=False, keep_links=False)
    except Exception as error:  # openpyxl raises many kinds for a broken file; all mean the same to a user
        handle.close()
        raise ImportFileError(_("This workbook cannot be read (%(error)s). Save it again from Excel as .xlsx or "
                                "CSV.") % {"error": type(error).__name__}) from error
    try:
        if not workbook.worksheets:
            raise ImportFileError(_("This workbook has no sheet with data."))
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # some programs write wrong dimensions; read what is there
        source = sheet.iter_rows(values_only=True)
        row_number = 0
        header_cells = None
        try:
            for values in source:
                row_number += 1
                cells = [clean_cell(value) for value in values]
                if not is_blank(cells):
                    header_cells = cells
                    break
        except Exception as error:
            raise _broken_sheet(row_number + 1) from error
        if header_cells is None:
            raise ImportFileError(_("The file is empty."))
        header = _header(header_cells)

        def rows() -> Iterator[tuple[int, list]]:
            nonlocal row_number
            try:
                for values in source:
                    row_number += 1
                    cells = [clean_cell(value) for value in values]
                    while cells and cells[-1] == "":
                        cells.pop()
                    if cells:
                        yield row_number, cells
            except ImportFileError:
                raise
            except Exception as error:
                raise _broken_sheet(row_number + 1) from error

        yield Table(header=header, rows=rows())
    finally:
        workbook.close()
        handle.close()


def _broken_sheet(row: int) -> ImportFileError:
    return ImportFileError(_("The workbook is damaged near row %(row)s. Save it again from Excel as .xlsx or CSV.")
                           % {"row": row})


# --- inspecting an upload ---------------------------------------------------------------------------


@dataclass
class Inspection:
    file_format: str
    encoding: str
    header: list[str]
    preview: list[tuple[int, list]]


def inspect(path: str, *, chosen_encoding: str | None = None) -> Inspection:
    """What an uploaded file is and its first rows; refuses empty, binary, broken and header-only files."""
    with open(path, "rb") as handle:
        head = handle.read(SAMPLE_BYTES)
        complete = not handle.read(1)
    file_format = file_kind(head)
    encoding = ""
    if file_format == "csv":
        encoding = detect_encoding(head, complete=complete, chosen=normalise_encoding(chosen_encoding))
    with open_table(path, file_format, encoding) as table:
        preview = []
        for number, cells in table.rows:
            preview.append((number, cells))
            if len(preview) >= PREVIEW_ROWS:
                break
    if not preview:
        raise ImportFileError(_("The file has a header row but no data rows."))
    return Inspection(file_format=file_format, encoding=encoding, header=table.header, preview=preview)


def count_rows(path: str, file_format: str, encoding: str) -> int:
    """Read the whole file once: the number of data rows, or the ImportFileError a later row would raise —
    found before anything is written."""
    with open_table(path, file_format, encoding) as table:
        return sum(1 for _row in table.rows)
