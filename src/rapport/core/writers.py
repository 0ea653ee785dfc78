"""File writers for exports: CSV, XLSX, DOCX and vCard. They know files, not records.

A tabular writer takes column labels and rows of typed values and streams them to a binary file:
None, str, bool, int, float, Decimal, Money, date, datetime (aware ones are shown in local time),
lists (joined with commas); anything else is written as its text. Each writer returns the number
of rows (or cards) it wrote.

Spreadsheets evaluate text that starts with = + - @ (and tab or CR) as a formula, so every text
cell of a CSV or XLSX file goes through `neutralise` (OWASP "CSV injection"). Word tables and
vCards are not evaluated, so there the text stays as the user typed it.
"""

import csv
import datetime
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import BinaryIO

from django.utils import formats, timezone
from django.utils.translation import gettext as _

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# Characters XML 1.0 (XLSX, DOCX) cannot hold; they are dropped from text.
XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
VCF_CONTENT_TYPE = "text/vcard; charset=utf-8"


@dataclass(frozen=True)
class Money:
    amount: Decimal
    currency: str

    def __str__(self) -> str:
        return f"{self.amount} {self.currency}"


def neutralise(text: str) -> str:
    """Text a spreadsheet will show, never run: a leading formula character gets an apostrophe — also behind
    leading spaces or other white space, which spreadsheets trim before they look."""
    return f"'{text}" if text.startswith(FORMULA_TRIGGERS) or text.lstrip().startswith(FORMULA_TRIGGERS) else text


def plain_value(value):
    """The writer-level type of one value: aware datetimes in local time, records and lists as text."""
    if value is None or value == "":
        return None
    if isinstance(value, bool | int | float | Decimal | Money | str):
        return value
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(tzinfo=None, microsecond=0)
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, list | tuple | set | frozenset):
        return ", ".join(str(item) for item in value) or None
    return str(value)


def _yes_no(value: bool) -> str:
    return _("Yes") if value else _("No")


# --- CSV -----------------------------------------------------------------------------------------


def _csv_text(value) -> str:
    if type(value) is str:  # most cells: the fast path matters at 100,000 rows
        return neutralise(value)
    value = plain_value(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return _yes_no(value)
    if isinstance(value, Money):
        return str(value.amount)
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, str):
        return neutralise(value)
    return str(value)


def write_csv(out: BinaryIO, labels: Sequence[str], rows: Iterable[Sequence]) -> int:
    """Comma-separated UTF-8 with a byte-order mark and CRLF line ends, as Excel opens it correctly."""
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="", write_through=False)
    writer = csv.writer(text)  # the "excel" dialect: comma, double quotes, \r\n
    writer.writerow([neutralise(str(label)) for label in labels])
    count = 0
    for row in rows:
        writer.writerow([_csv_text(value) for value in row])
        count += 1
    text.flush()
    text.detach()  # leave `out` open for the caller
    return count


# --- XLSX ----------------------------------------------------------------------------------------

DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
HEADER_FILL = "FFDCE3EE"


def _sheet_title(title: str) -> str:
    cleaned = re.sub(r"[\[\]:*?/\\]", " ", title).strip()
    return cleaned[:31] or "Sheet1"


class _XlsxCells:
    """Reusable styled cells, one per column and number format.

    A write-only sheet serialises each cell as the row is appended, so a row's cells can be reused
    for the next row; creating a styled cell per value would double the time of a large export.
    """

    def __init__(self, sheet):
        from openpyxl.cell import WriteOnlyCell

        self.sheet = sheet
        self._new = WriteOnlyCell
        self._styled: dict[tuple[int, str], object] = {}

    def row(self, values: Sequence) -> list:
        return [self.value(column, value) for column, value in enumerate(values)]

    def value(self, column: int, value):
        if type(value) is str:
            return neutralise(XML_ILLEGAL.sub("", value)) if value else None
        value = plain_value(value)
        if value is None or isinstance(value, bool | int | float | Decimal):
            return value
        if isinstance(value, str):
            return neutralise(XML_ILLEGAL.sub("", value))
        if isinstance(value, Money):
            return self._with(column, value.amount, f'#,##0.00 "{value.currency}"')
        if isinstance(value, datetime.datetime):
            return self._with(column, value, DATETIME_FORMAT)
        if isinstance(value, datetime.date):
            return self._with(column, value, DATE_FORMAT)
        return neutralise(XML_ILLEGAL.sub("", str(value)))

    def _with(self, column: int, value, number_format: str):
        cell = self._styled.get((column, number_format))
        if cell is None:
            cell = self._styled[(column, number_format)] = self._new(self.sheet)
            cell.number_format = number_format
        cell.value = value
        return cell


def write_xlsx(out: BinaryIO, labels: Sequence[str], rows: Iterable[Sequence], *, title: str = "") -> int:
    """One sheet: a bold, frozen, filterable header row, then typed cells (dates, numbers, money)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    sheet = book.create_sheet(_sheet_title(title))
    sheet.freeze_panes = "A2"
    for index, label in enumerate(labels, start=1):  # widths go before the rows in the file
        sheet.column_dimensions[get_column_letter(index)].width = min(max(len(str(label)) + 4, 12), 50)
    header = []
    for label in labels:
        cell = WriteOnlyCell(sheet, value=neutralise(XML_ILLEGAL.sub("", str(label))))
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
        cell.border = Border(bottom=Side(style="thin"))
        header.append(cell)
    sheet.append(header)
    cells = _XlsxCells(sheet)
    count = 0
    for row in rows:
        sheet.append(cells.row(row))
        count += 1
    last_column = get_column_letter(max(len(labels), 1))
    sheet.auto_filter.ref = f"A1:{last_column}{count + 1}"
    book.save(out)
    return count


# --- DOCX ----------------------------------------------------------------------------------------


def display_text(value) -> str:
    """A value as a person reads it, in the active language's formats (for reports)."""
    value = plain_value(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return _yes_no(value)
    if isinstance(value, Money):
        amount = formats.number_format(value.amount, decimal_pos=2, use_l10n=True, force_grouping=True)
        return f"{amount} {value.currency}"
    if isinstance(value, int | float | Decimal):
        return formats.number_format(value, use_l10n=True, force_grouping=True)
    if isinstance(value, datetime.datetime):
        return formats.date_format(value, "SHORT_DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    return XML_ILLEGAL.sub("", value)


def write_docx(out: BinaryIO, labels: Sequence[str], rows: Iterable[Sequence], *, title: str,
               lines: Sequence[str] = ()) -> int:
    """A report: a title, a few lines about it (filters, date, author), then the rows as a table."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt
    from lxml import etree

    document = Document()
    section = document.sections[0]
    if len(labels) > 5:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
    document.styles["Normal"].font.size = Pt(9)
    document.add_heading(XML_ILLEGAL.sub("", title), level=1)
    for line in lines:
        document.add_paragraph(XML_ILLEGAL.sub("", str(line)))
    table = document.add_table(rows=1, cols=max(len(labels), 1))
    table.style = "Table Grid"
    header = table.rows[0]
    header_properties = header._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")  # the header row repeats on every page
    header_properties.append(repeat)
    for cell, label in zip(header.cells, labels, strict=False):
        cell.paragraphs[0].add_run(XML_ILLEGAL.sub("", str(label))).bold = True

    # python-docx's add_row() re-reads the table for every row; building the XML directly is
    # what makes a report of many thousand rows take seconds rather than minutes.
    tbl, tr_tag, tc_tag, p_tag, r_tag, t_tag = table._tbl, qn("w:tr"), qn("w:tc"), qn("w:p"), qn("w:r"), qn("w:t")
    jc_tag, ppr_tag, space = qn("w:jc"), qn("w:pPr"), qn("xml:space")
    count = 0
    for row in rows:
        tr = etree.SubElement(tbl, tr_tag)
        for value in row:
            paragraph = etree.SubElement(etree.SubElement(tr, tc_tag), p_tag)
            plain = plain_value(value)
            if isinstance(plain, int | float | Decimal | Money) and not isinstance(plain, bool):
                etree.SubElement(etree.SubElement(paragraph, ppr_tag), jc_tag).set(qn("w:val"), "right")
            text = display_text(plain)
            if text:
                run_text = etree.SubElement(etree.SubElement(paragraph, r_tag), t_tag)
                run_text.text = text
                run_text.set(space, "preserve")
        count += 1
    document.save(out)
    return count


# --- vCard 4.0 (RFC 6350) ------------------------------------------------------------------------


@dataclass(frozen=True)
class VCard:
    """One person's card. Phones are (type, number): type "cell" or "work", number E.164 if valid."""

    full_name: str
    family_name: str = ""
    given_name: str = ""
    organisation: tuple[str, ...] = ()  # name, then units (department)
    title: str = ""
    phones: tuple[tuple[str, str], ...] = ()
    emails: tuple[str, ...] = ()
    birthday: datetime.date | None = None
    note: str = ""
    uid: str = ""


E164 = re.compile(r"^\+[1-9]\d{1,14}$")


def vcard_escape(text: str) -> str:
    """Escape a TEXT value: backslash, comma, semicolon and line breaks (RFC 6350 3.4)."""
    return (text.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")
            .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n"))


def fold_line(line: str, limit: int = 75) -> str:
    """Fold a content line into physical lines of at most `limit` octets, never inside a character."""
    encoded = line.encode()
    if len(encoded) <= limit:
        return line + "\r\n"
    parts, current, size = [], [], 0
    for character in line:
        width = len(character.encode())
        if size + width > limit:
            parts.append("".join(current))
            current, size = [" "], 1  # a continuation line starts with one space, which counts
        current.append(character)
        size += width
    parts.append("".join(current))
    return "\r\n".join(parts) + "\r\n"


def vcard_lines(card: VCard) -> list[str]:
    """The content lines of one card, unfolded."""
    lines = ["BEGIN:VCARD", "VERSION:4.0", f"FN:{vcard_escape(card.full_name)}"]
    name = (card.family_name, card.given_name, "", "", "")
    lines.append("N:" + ";".join(vcard_escape(part) for part in name))
    if card.uid:
        lines.append(f"UID:{card.uid}")
    if any(card.organisation):
        lines.append("ORG:" + ";".join(vcard_escape(part) for part in card.organisation))
    if card.title:
        lines.append(f"TITLE:{vcard_escape(card.title)}")
    for kind, number in card.phones:
        if not number:
            continue
        if E164.match(number):
            lines.append(f"TEL;VALUE=uri;TYPE={kind}:tel:{number}")
        else:
            lines.append(f"TEL;VALUE=text;TYPE={kind}:{vcard_escape(number)}")
    for index, email in enumerate(address for address in card.emails if address):
        lines.append(f"EMAIL;PREF=1:{vcard_escape(email)}" if index == 0 else f"EMAIL:{vcard_escape(email)}")
    if card.birthday:
        lines.append(f"BDAY:{card.birthday:%Y%m%d}")
    if card.note:
        lines.append(f"NOTE:{vcard_escape(card.note)}")
    lines.append("END:VCARD")
    return lines


def write_vcf(out: BinaryIO, cards: Iterable[VCard]) -> int:
    """vCard 4.0 in UTF-8: CRLF line ends, lines folded at 75 octets, text values escaped."""
    count = 0
    buffer = []
    for card in cards:
        buffer.extend(fold_line(line) for line in vcard_lines(card))
        count += 1
        if len(buffer) > 5000:
            out.write("".join(buffer).encode())
            buffer.clear()
    out.write("".join(buffer).encode())
    return count
