"""The one tokenizer of the search index: records are indexed and queries are parsed by the same rules.

Both backends receive text that is already tokenized: space-separated tokens made only of letters
and digits, which SQLite's `unicode61` and PostgreSQL's `simple` parser each keep as one token.

- Text is NFKC-normalised, case-folded and stripped of accents ("Ｊosé" -> "jose").
- Latin (and other space-separated) words are tokens; a query word matches as a prefix.
- CJK runs become overlapping bigrams ("深圳华为" -> "深圳 圳华 华为") and a query runs them as a phrase,
  so any substring of two or more characters matches. Single characters go to a second field
  (`chars`) for one-character queries. Trigram indexes cannot do this for two-character terms.
- A phone number gives the digits of its E.164 and national forms, and its E.164 digits reversed
  behind a marker, so "the last four digits" is a prefix query on the reversed token.
- An email gives its whole address and its two halves, each with the punctuation removed.
"""

import functools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

import phonenumbers

from rapport.core.phones import to_e164

# Han (with extensions), kana, bopomofo and Hangul: scripts written without spaces between words.
_CJK_RANGES = (
    "\u2e80-\u2fdf\u3040-\u30ff\u3100-\u312f\u3130-\u318f\u31a0-\u31bf\u31f0-\u31ff\u3400-\u4dbf"
    "\u4e00-\u9fff\ua960-\ua97f\uac00-\ud7af\uf900-\ufaff\U00020000-\U0003134f"
)
_CJK = f"[{_CJK_RANGES}]"
_WORD = f"[^\\W_{_CJK_RANGES}]+"  # letters and digits that are not CJK
_EMAIL = r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+"
_PARTIAL_EMAIL = r"[\w.+'-]+@[\w.-]*"
_PHONE = r"(?<![^\W_])[+(]?\d[\d\s().-]*\d(?![^\W_])"  # not glued to a word: "12abc" is a word
_DOCUMENT_PATTERN = re.compile(f"(?P<email>{_EMAIL})|(?P<cjk>{_CJK}+)|(?P<word>{_WORD})")
_QUERY_PATTERN = re.compile(f"(?P<email>{_PARTIAL_EMAIL})|(?P<phone>{_PHONE})|(?P<cjk>{_CJK}+)|(?P<word>{_WORD})")
_NOT_ALNUM = re.compile(r"[\W_]+")
_DIGIT = re.compile(r"\d")

REVERSED_PHONE_MARK = "zr"  # a letter prefix keeps reversed digits apart from ordinary numbers
MAX_TOKEN_LENGTH = 60
MIN_PHONE_DIGITS = 4  # fewer digits are searched as ordinary words only
# A one-letter prefix matches a large part of the index and says little; it is left out of queries.
MIN_PREFIX_LENGTH = 2
MAX_QUERY_LENGTH = 200
MAX_QUERY_PARTS = 12


def normalise(text: str) -> str:
    """NFKC, case-folded, without combining accents: the form both indexing and querying work on."""
    text = unicodedata.normalize("NFKC", text).casefold().lower()  # lower() again: what PostgreSQL's lower() gives
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFC", "".join(char for char in decomposed if not unicodedata.combining(char)))


def bigrams(run: str) -> list[str]:
    """Overlapping pairs of a CJK run (none for a single character: that is in `chars`)."""
    return [run[index:index + 2] for index in range(len(run) - 1)]


def _compact(text: str) -> str:
    return _NOT_ALNUM.sub("", text)[:MAX_TOKEN_LENGTH]


def email_tokens(address: str) -> list[str]:
    """The whole address and its local part and domain, each as one token without punctuation."""
    local, _, domain = address.partition("@")
    return [token for token in dict.fromkeys((_compact(address), _compact(local), _compact(domain))) if token]


@functools.lru_cache(maxsize=512)
def _trunk_prefix(country_code: int) -> str:
    region = phonenumbers.region_code_for_country_code(country_code)
    metadata = phonenumbers.PhoneMetadata.metadata_for_region(region) if region else None
    return (metadata.national_prefix or "") if metadata else ""


def _split_e164(e164: str) -> tuple[int, str] | None:
    digits = e164[1:]
    for length in (1, 2, 3):
        code = int(digits[:length])
        if code in phonenumbers.COUNTRY_CODE_TO_REGION_CODE:
            return code, digits[length:]
    return None


def phone_tokens(phone: str) -> list[str]:
    """Digit tokens for one number: E.164, national with and without trunk prefix, and reversed E.164."""
    phone = (phone or "").strip()
    if not phone:
        return []
    e164 = phone if re.fullmatch(r"\+\d{6,15}", phone) else to_e164(phone)
    if e164 is None:  # not a valid number: its digits, so it is still found as typed
        digits = "".join(_DIGIT.findall(phone))
        return [digits, REVERSED_PHONE_MARK + digits[::-1]] if len(digits) >= MIN_PHONE_DIGITS else []
    tokens = [e164[1:]]
    if split := _split_e164(e164):
        country_code, national = split
        tokens.append(national)
        if trunk := _trunk_prefix(country_code):
            tokens.append(trunk + national)
    tokens.append(REVERSED_PHONE_MARK + e164[1:][::-1])
    return list(dict.fromkeys(tokens))


@dataclass(frozen=True)
class Document:
    """What the index stores for one record: the tokens, and the CJK characters on their own."""

    tokens: str
    chars: str


def _text_tokens(text: str, chars: dict[str, None]) -> tuple[str, ...]:
    tokens, text_chars = _tokens_of(text)
    chars.update(dict.fromkeys(text_chars))
    return tokens


@functools.lru_cache(maxsize=4096)
def _tokens_of(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The tokens and the CJK characters of one text. Remembered, as records share many of their texts:
    account names, titles, departments, cities."""
    tokens: list[str] = []
    chars: dict[str, None] = {}
    for match in _DOCUMENT_PATTERN.finditer(normalise(text)):
        kind, value = match.lastgroup, match.group()
        if kind == "email":
            words = [word[:MAX_TOKEN_LENGTH] for word in re.findall(_WORD, value)]
            tokens.extend(dict.fromkeys([*email_tokens(value), *words]))
        elif kind == "cjk":
            tokens.extend(bigrams(value))
            chars.update(dict.fromkeys(value))
        else:
            tokens.append(value[:MAX_TOKEN_LENGTH])
    return tuple(tokens), tuple(chars)


def document(*, title: str, texts: Iterable[str] = (), phones: Iterable[str] = ()) -> Document:
    """The index document of a record.

    The title is written twice: the cheapest portable way to rank a match in the name above a match
    in, say, the street, under both bm25 and ts_rank.
    """
    chars: dict[str, None] = {}
    title_tokens = _text_tokens(title, chars)
    tokens = [*title_tokens, *title_tokens]
    for text in texts:
        if text:
            tokens.extend(_text_tokens(str(text), chars))
    for phone in phones:
        tokens.extend(phone_tokens(phone))
    return Document(tokens=" ".join(tokens), chars=" ".join(chars))


def type_token(type_name: str) -> str:
    """The scope token of every record of a type ("zycontact"), in the index of both backends."""
    return f"zy{type_name}"


def holder_tokens(type_name: str, owner_ids: Iterable[int], team_ids: Iterable[int]) -> list[str]:
    """Who may find a record, as tokens of the index: "zcontacto12" for owner 12, "zcontactt3" for team 3.
    The entries store them (`holders`) and a user's scope asks for them."""
    return [*(f"z{type_name}o{int(pk)}" for pk in owner_ids), *(f"z{type_name}t{int(pk)}" for pk in team_ids)]


# --- queries ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    """One token; with `prefix`, any token starting with it."""

    text: str
    prefix: bool = False


@dataclass(frozen=True)
class Phrase:
    """Tokens in a row: the bigrams of a CJK run."""

    terms: tuple[str, ...]


@dataclass(frozen=True)
class Char:
    """A single CJK character, looked up in the `chars` field."""

    text: str


@dataclass(frozen=True)
class AnyOf:
    options: tuple

    def __post_init__(self):
        assert self.options, "AnyOf needs at least one option"


@dataclass(frozen=True)
class AllOf:
    parts: tuple


@dataclass(frozen=True)
class Query:
    """A parsed query: every part must match. `chars` parts search the single-character field."""

    tokens: tuple  # Term | Phrase | AnyOf | AllOf
    chars: tuple[Char, ...]

    def __bool__(self) -> bool:
        return bool(self.tokens or self.chars)


def _word_terms(text: str) -> list[Term]:
    return [Term(word[:MAX_TOKEN_LENGTH], prefix=True) for word in re.findall(_WORD, text)
            if len(word) >= MIN_PREFIX_LENGTH]


def _all_of(terms: list) -> object:
    if not terms:
        return None
    return terms[0] if len(terms) == 1 else AllOf(tuple(terms))


def _email_part(value: str):
    options: list = []
    if whole := _compact(value):
        options.append(Term(whole, prefix=True))
    words = _word_terms(value)
    if len(words) > 1:
        options.append(AllOf(tuple(words)))
    return AnyOf(tuple(options)) if len(options) > 1 else (options[0] if options else None)


def _phone_part(value: str):
    digits = "".join(_DIGIT.findall(value))
    words = _word_terms(value)
    if len(digits) < MIN_PHONE_DIGITS:
        return _all_of(words)
    options: list = []
    if (e164 := to_e164(value)) is not None:
        options.append(Term(e164[1:]))
    options.append(Term(digits, prefix=True))
    options.append(Term(REVERSED_PHONE_MARK + digits[::-1], prefix=True))
    # "2024 05" may be two numbers in a text, not one phone number; a whole valid number is a phone
    # (and its groups as word prefixes, "150:* & 1659:*", would make PostgreSQL merge every number
    # in the index beginning with them: 25 ms a type for "150 1659 2603").
    if len(words) > 1 and e164 is None:
        options.append(AllOf(tuple(words)))
    return AnyOf(tuple(dict.fromkeys(options)))


def parse_query(text: str) -> Query:
    """What a user typed, as index terms: words as prefixes, CJK as bigram phrases, phones, emails."""
    tokens: list = []
    chars: list[Char] = []
    for match in _QUERY_PATTERN.finditer(normalise(text[:MAX_QUERY_LENGTH])):
        kind, value = match.lastgroup, match.group()
        if kind == "email":
            part = _email_part(value)
        elif kind == "phone":
            part = _phone_part(value)
        elif kind == "cjk":
            if len(value) == 1:
                chars.append(Char(value))
                continue
            grams = bigrams(value)
            part = Phrase(tuple(grams)) if len(grams) > 1 else Term(grams[0])
        elif len(value) >= MIN_PREFIX_LENGTH:
            part = Term(value[:MAX_TOKEN_LENGTH], prefix=True)
        else:
            continue
        if part is not None:
            tokens.append(part)
    tokens = list(dict.fromkeys(tokens))[:MAX_QUERY_PARTS]
    return Query(tokens=tuple(tokens), chars=tuple(dict.fromkeys(chars))[:MAX_QUERY_PARTS])
