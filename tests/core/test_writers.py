"""The file writers, read back with the libraries people's tools use: csv, openpyxl, python-docx, vCard lines."""

import csv
import datetime
import io
import zoneinfo
from decimal import Decimal

import docx
import openpyxl
import pytest
from django.utils import timezone

from rapport.core.writers import (
    Money,
    VCard,
    fold_line,
    neutralise,
    write_csv,
    write_docx,
    write_vcf,
    write_xlsx,
)

LABELS = ["Name", "Born", "Employees", "Revenue", "Consent", "Updated", "Note"]
UPDATED = datetime.datetime(2024, 3, 1, 8, 30, tzinfo=datetime.UTC)
ROWS = [
    ["张伟", datetime.date(1980, 2, 29), 120, Money(Decimal("1234567.50"), "CNY"), True, UPDATED,
     'say "hi", then\nleave'],
    ["Acme; Ltd", None, None, None, False, None, ""],
]
FORMULAS = ["=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx",
            " =1+1", "  -2+3", "\u00a0=cmd|' /C calc'!A0", "\n@SUM(A1)", " \t+1"]


def written(writer, *args, **kwargs) -> bytes:
    out = io.BytesIO()
    writer(out, *args, **kwargs)
    return out.getvalue()


def test_csv_is_utf8_with_bom_and_crlf_and_reads_back_as_excel_would():
    data = written(write_csv, LABELS, ROWS)
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert rows[0] == LABELS
    assert rows[1] == ["张伟", "1980-02-29", "120", "1234567.50", "Yes", "2024-03-01 08:30:00", 'say "hi", then\nleave']
    assert rows[2] == ["Acme; Ltd", "", "", "", "No", "", ""]


def test_aware_times_are_written_in_local_time():
    with timezone.override(zoneinfo.ZoneInfo("Asia/Shanghai")):
        data = written(write_csv, ["Updated"], [[UPDATED]])
        sheet = openpyxl.load_workbook(io.BytesIO(written(write_xlsx, ["Updated"], [[UPDATED]]))).active
    assert data.decode("utf-8-sig").splitlines()[1] == "2024-03-01 16:30:00"
    assert sheet["A2"].value == datetime.datetime(2024, 3, 1, 16, 30)


def test_xlsx_cells_are_typed_and_the_header_is_styled_frozen_and_filterable():
    book = openpyxl.load_workbook(io.BytesIO(written(write_xlsx, LABELS, ROWS, title="Accounts: all")))
    sheet = book.active
    assert sheet.title == "Accounts  all"
    assert [cell.value for cell in sheet[1]] == LABELS
    assert all(cell.font.b for cell in sheet[1]) and sheet["A1"].fill.fgColor.rgb == "FFDCE3EE"
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:G3"
    name, born, employees, revenue, consent, updated, note = sheet[2]
    assert name.value == "张伟" and name.data_type == "s"
    assert born.is_date and born.value.date() == datetime.date(1980, 2, 29) and born.number_format == "yyyy-mm-dd"
    assert employees.value == 120 and employees.data_type == "n"
    assert revenue.value == 1234567.5 and revenue.data_type == "n" and revenue.number_format == '#,##0.00 "CNY"'
    assert consent.value is True
    assert updated.is_date and updated.value == datetime.datetime(2024, 3, 1, 8, 30)
    assert note.value == 'say "hi", then\nleave'
    assert [cell.value for cell in sheet[3]] == ["Acme; Ltd", None, None, None, False, None, None]


def test_two_date_columns_in_one_row_keep_their_own_values():
    first, second = datetime.date(2020, 1, 1), datetime.date(2021, 6, 30)
    data = written(write_xlsx, ["A", "B"], [[first, second], [second, first]])
    rows = openpyxl.load_workbook(io.BytesIO(data)).active.iter_rows(min_row=2)
    assert [(a.value.date(), b.value.date()) for a, b in rows] == [(first, second), (second, first)]


@pytest.mark.parametrize("text", FORMULAS)
def test_spreadsheet_writers_neutralise_formula_text(text):
    assert neutralise(text) == "'" + text
    csv_cell = list(csv.reader(io.StringIO(written(write_csv, [text], [[text]]).decode("utf-8-sig"), newline="")))
    assert csv_cell == [["'" + text], ["'" + text]]
    sheet = openpyxl.load_workbook(io.BytesIO(written(write_xlsx, [text], [[text]]))).active
    for cell in (sheet["A1"], sheet["A2"]):
        assert cell.data_type == "s" and cell.value == "'" + text


def test_numbers_are_not_neutralised_and_ordinary_text_is_left_alone():
    sheet = openpyxl.load_workbook(io.BytesIO(written(write_xlsx, ["n", "t"], [[Decimal("-5.5"), "a=b"]]))).active
    assert sheet["A2"].value == -5.5 and sheet["B2"].value == "a=b"
    assert neutralise("Ordinary, text") == "Ordinary, text"


def test_characters_xml_cannot_hold_are_dropped_not_a_crash():
    sheet = openpyxl.load_workbook(io.BytesIO(written(write_xlsx, ["x"], [["bell\x07 here"]]))).active
    assert sheet["A2"].value == "bell here"
    document = docx.Document(io.BytesIO(written(write_docx, ["x"], [["bell\x07 here"]], title="T")))
    assert document.tables[0].rows[1].cells[0].text == "bell here"


def test_docx_is_a_report_with_title_lines_and_a_table():
    data = written(write_docx, LABELS, ROWS, title="Accounts",
                   lines=["Filters: industry is Retail", "Exported on 1 March 2024 by Mia Manager"])
    document = docx.Document(io.BytesIO(data))
    paragraphs = [paragraph.text for paragraph in document.paragraphs]
    assert paragraphs[:3] == ["Accounts", "Filters: industry is Retail", "Exported on 1 March 2024 by Mia Manager"]
    assert document.paragraphs[0].style.name == "Heading 1"
    table = document.tables[0]
    assert [cell.text for cell in table.rows[0].cells] == LABELS
    assert all(run.bold for cell in table.rows[0].cells for run in cell.paragraphs[0].runs)
    assert table.rows[0]._tr.trPr.xpath("./w:tblHeader")  # the header repeats on every page
    first = [cell.text for cell in table.rows[1].cells]
    assert first[:5] == ["张伟", "02/29/1980", "120", "1,234,567.50 CNY", "Yes"]
    assert [cell.text for cell in table.rows[2].cells] == ["Acme; Ltd", "", "", "", "No", "", ""]
    assert len(table.rows) == 3
    assert document.sections[0].page_width > document.sections[0].page_height  # many columns: landscape


def unfold(data: bytes) -> list[str]:
    text = data.decode()
    assert "\n" not in text.replace("\r\n", "")  # every line ends in CRLF
    return text.replace("\r\n ", "").split("\r\n")[:-1]


def test_vcard_has_the_properties_escaped_and_phones_as_tel_uris():
    card = VCard(full_name="Zhang, Wei; Jr.", family_name="Zhang", given_name="Wei",
                 organisation=("Acme\\Asia", "Sales"), title="CEO",
                 phones=(("cell", "+8613800138000"), ("work", "ext. 12")), emails=("wei@acme.example", ""),
                 birthday=datetime.date(1980, 2, 29), note="Line one\nline two")
    lines = unfold(written(write_vcf, [card]))
    assert lines == [
        "BEGIN:VCARD", "VERSION:4.0", "FN:Zhang\\, Wei\\; Jr.", "N:Zhang;Wei;;;", "ORG:Acme\\\\Asia;Sales", "TITLE:CEO",
        "TEL;VALUE=uri;TYPE=cell:tel:+8613800138000", "TEL;VALUE=text;TYPE=work:ext. 12",
        "EMAIL;PREF=1:wei@acme.example", "BDAY:19800229", "NOTE:Line one\\nline two", "END:VCARD",
    ]


def test_vcard_lines_fold_at_75_octets_without_splitting_a_character():
    long_name = "张伟" * 40  # 240 octets in UTF-8
    data = written(write_vcf, [VCard(full_name=long_name)])
    physical = data.split(b"\r\n")[:-1]
    assert all(len(line) <= 75 for line in physical)
    assert any(line.startswith(b" ") for line in physical)
    for line in physical:
        line.decode()  # no character is cut in two
    assert f"FN:{long_name}" in unfold(data)
    assert fold_line("A" * 75) == "A" * 75 + "\r\n"
    assert fold_line("A" * 76) == "A" * 75 + "\r\n A\r\n"


def test_several_cards_follow_each_other():
    data = written(write_vcf, [VCard(full_name="A"), VCard(full_name="B")])
    lines = unfold(data)
    assert lines.count("BEGIN:VCARD") == 2 and lines.count("END:VCARD") == 2
    assert [line for line in lines if line.startswith("FN:")] == ["FN:A", "FN:B"]
