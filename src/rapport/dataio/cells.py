"""Reading one cell of an imported file: cleaned as the file gives it, then read as the value its field takes —
numbers and dates in the formats the importer chose, yes and no, choices by code or label in any
language, lists. The one place that knows how a spreadsheet's cells become values.
"""

import datetime
import functools
import re
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from rapport.core.parsing import parse_yes_no
from rapport.core.writers import FORMULA_TRIGGERS

TEXT, INTEGER, DECIMAL, DATE, BOOL, CHOICE, LIST = "text", "integer", "decimal", "date", "bool", "choice", "list"
DATE_FORMATS = {
    "YYYY-MM-DD": "%Y-%m-%d", "YYYY/MM/DD": "%Y/%m/%d", "DD/MM/YYYY": "%d/%m/%Y", "MM/DD/YYYY": "%m/%d/%Y",
    "DD.MM.YYYY": "%d.%m.%Y", "YYYY年MM月DD日": "%Y年%m月%d日", "YYYY.MM.DD": "%Y.%m.%d",
}
# Thousands separator, decimal mark.
NUMBER_FORMATS = {"1,234.56": (",", "."), "1.234,56": (".", ","), "1 234,56": (" ", ",")}
LIST_SEPARATORS = re.compile(r"[,，;；、|]")
NUMBER_NOISE = re.compile(r"[\s\u00a0\u202f'’¥￥$€£]|元$|RMB|CNY|USD|EUR", re.IGNORECASE)
HEADER_NOISE = re.compile(r"[\s_\-.:：*（）()/#\[\]【】]+")
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class CellError(ValueError):
    pass


def clean_cell(value):
    """A cell as the importer sees it: text without control characters and outer spaces; numbers and
    dates from a workbook as they are.

    A leading apostrophe that a spreadsheet export put before = + - @ (see core.writers.neutralise) is
    dropped, so a file exported by Rapport — or the rejected rows of an import — imports as it was.
    """
    if value is None:
        return ""
    if isinstance(value, str):
        text = CONTROL_CHARACTERS.sub("", value).strip() if not value.isprintable() else value.strip()
        if text.startswith("'") and text[1:2] and text[1:2] in FORMULA_TRIGGERS:
            text = text[1:]
        return text
    if isinstance(value, bool | int | float | datetime.date | datetime.time):
        return value
    return clean_cell(str(getattr(value, "text", value)))  # e.g. an array formula: its text


def cell_text(value) -> str:
    """A cell as text, as a person would type it: 138001380000, not 138001380000.0."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat(sep=" ")
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return str(value)


def is_blank(cells: list) -> bool:
    return cells.count("") == len(cells)


def read_cell(kind: str, cell, *, date_format: str, number_format: str, choices: tuple = ()):
    """The value of a (non-blank) cell for a field of `kind`; CellError says why it is not one."""
    if kind == TEXT:
        return cell_text(cell)
    if kind == INTEGER:
        number = parse_number(cell, number_format)
        if number != number.to_integral_value():
            raise CellError(_("Enter a whole number, not “%(value)s”.") % {"value": cell_text(cell)})
        return int(number)
    if kind == DECIMAL:
        return parse_number(cell, number_format)
    if kind == DATE:
        return parse_date(cell, date_format)
    if kind == BOOL:
        return parse_bool(cell)
    if kind == CHOICE:
        return parse_choice(cell, choices)
    if kind == LIST:
        return [item.strip() for item in LIST_SEPARATORS.split(cell_text(cell)) if item.strip()]
    return cell_text(cell)


def parse_number(cell, number_format: str) -> Decimal:
    if isinstance(cell, bool):
        raise CellError(_("Enter a number, not “%(value)s”.") % {"value": cell_text(cell)})
    if isinstance(cell, int | float | Decimal):
        number = Decimal(str(cell))
    else:
        thousands, mark = NUMBER_FORMATS[number_format]
        text = NUMBER_NOISE.sub("", str(cell))
        if thousands != " ":
            text = text.replace(thousands, "")
        text = text.replace(mark, ".")
        if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", text):
            raise CellError(_("Enter a number written as %(format)s, not “%(value)s”.")
                            % {"format": number_format, "value": cell})
        try:
            number = Decimal(text)
        except InvalidOperation as error:
            raise CellError(_("Enter a number, not “%(value)s”.") % {"value": cell}) from error
    if not number.is_finite():
        raise CellError(_("Enter a number, not “%(value)s”.") % {"value": cell_text(cell)})
    return number


def parse_date(cell, date_format: str) -> datetime.date:
    if isinstance(cell, datetime.datetime):
        return cell.date()
    if isinstance(cell, datetime.date):
        return cell
    if isinstance(cell, int | float) and not isinstance(cell, bool) and 1 <= cell < 2958466:
        # A workbook date cell without a date format: Excel's day number.
        return datetime.date(1899, 12, 30) + datetime.timedelta(days=int(cell))
    text = str(cell).strip()
    text = re.split(r"[ T]\d{1,2}:\d{2}", text)[0].strip()  # "2024-01-05 00:00:00" from a spreadsheet
    for pattern in (DATE_FORMATS[date_format], "%Y-%m-%d"):
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise CellError(_("Enter a date written as %(format)s, not “%(value)s”.") % {"format": date_format, "value": cell})


def parse_bool(cell) -> bool:
    answer = parse_yes_no(cell if isinstance(cell, bool) else cell_text(cell))
    if answer is not None:
        return answer
    raise CellError(_("Enter yes or no, not “%(value)s”.") % {"value": cell_text(cell)})


def parse_choice(cell, choices: tuple[tuple[str, Any], ...]) -> str:
    code = _choice_lookup(choices).get(normalise_label(cell_text(cell)))
    if code is None:
        options = ", ".join(str(label) for _code, label in choices)
        raise CellError(_("Choose one of: %(choices)s — not “%(value)s”.")
                        % {"choices": options, "value": cell_text(cell)})
    return code


@functools.lru_cache(maxsize=64)
def _choice_lookup(choices: tuple[tuple[str, Any], ...]) -> dict[str, str]:
    """Each choice's code and its label in every language, normalised -> the code."""
    lookup = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for code, label in choices:
                lookup.setdefault(normalise_label(str(label)), code)
    for code, _label in choices:
        lookup[normalise_label(code)] = code
    return lookup


def normalise_label(text: str) -> str:
    return HEADER_NOISE.sub("", unicodedata.normalize("NFKC", str(text)).lower())


