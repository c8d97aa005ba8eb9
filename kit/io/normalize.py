"""Pure functions turning one cell, as a user typed it, into a canonical value.

Each ``parse_*`` function returns ``None`` for a missing value (never 0) and
raises ``ValueError`` whose message is a Japanese sentence about the value, ready
to be prefixed with the file, row and column by the reader. Cells may arrive as
strings (CSV) or as the Python objects openpyxl gives (int, float, datetime).
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata

from kit import vocab

__all__ = [
    "MISSING_MARKERS",
    "ZERO_MARKERS",
    "TOTAL_LABELS",
    "UNKNOWN_AGE_LABELS",
    "cell_text",
    "normalize_text",
    "normalize_header",
    "normalize_name",
    "normalize_phone",
    "quote",
    "parse_number",
    "parse_count",
    "parse_tally",
    "parse_year",
    "parse_date",
    "parse_age_band",
    "parse_age_span",
    "band_of_span",
    "is_unknown_age",
    "parse_flag",
    "split_multi",
]

# Marks statistical tables print in place of a number (e-Stat: "-" none,
# "…" unknown, "x" withheld). Read as missing, never as 0 — except by
# ``parse_tally``, where a dash is the table's way of printing 0.
MISSING_MARKERS: frozenset[str] = frozenset({"-", "−", "‐", "―", "…", "...", "x", "X", "*", "***"})
# Dashes, after NFKC: e-Stat's 「-」 当該数値なし is a count of zero.
ZERO_MARKERS: frozenset[str] = frozenset({"-", "−", "‐", "―"})

# Row or column labels of a total in statistical tables (総数 of all ages, …).
TOTAL_LABELS: frozenset[str] = frozenset({"総数", "計", "合計", "総計"})
# Labels of people whose age is not known (e-Stat: 年齢「不詳」), after NFKC
# and with brackets removed.
UNKNOWN_AGE_LABELS: frozenset[str] = frozenset({"不詳", "年齢不詳", "不明", "年齢不明"})
_BRACKETS = re.compile(r"[「」『』()\[\]【】]")

# Japanese eras: first Western year of each (元年 = that year).
_ERAS: dict[str, int] = {
    "明治": 1868, "大正": 1912, "昭和": 1926, "平成": 1989, "令和": 2019,
    "M": 1868, "T": 1912, "S": 1926, "H": 1989, "R": 2019,
}
_ERA = r"(明治|大正|昭和|平成|令和|[MTSHR])\s*(元|\d{1,2})"
_YEAR_MIN, _YEAR_MAX = 1868, 2100

# Minus signs after NFKC (－ has become -); △ and ▲ are the accounting minus.
_MINUS = ("-", "−", "△", "▲")
_GROUPED = re.compile(r"\d{1,3}(,\d{3})+(\.\d*)?")
# A whole number as statistics print it (1,234 or 1234): read without NFKC, as
# most cells of a large table are.
_PLAIN_COUNT = re.compile(r"\d{1,3}(?:,\d{3})+|\d+", re.ASCII)
_EXCEL_EPOCH = dt.date(1899, 12, 30)
# Serial numbers read as dates: 1954-10-03 … 2119-01-10. Narrow on purpose, so
# that an ordinary number in a date column is reported rather than misread.
_SERIAL_RANGE = (20000, 80000)
_FLAG_VALUES: dict[str, bool] = {
    "1": True, "0": False, "該当": True, "非該当": False, "true": True, "false": False,
}
_AGE_RANGE = re.compile(r"(\d{1,3})[-~〜ー―‐](\d{1,3})")
_AGE_OPEN = re.compile(r"(\d{1,3})(?:以上|\+|[-~〜ー―‐])")
_AGE_SINGLE = re.compile(r"(?:満)?(\d{1,3})")
_SPACES = re.compile(r"\s+")
_NAME_PUNCT = re.compile(r"[\s・･.,、。\-ー‐―()「」]")
_SHOWN_MAX = 30


def cell_text(value: object) -> str:
    """The text a cell shows, for cells openpyxl returns as Python objects."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    return str(value)


def normalize_text(value: object) -> str:
    """NFKC (全角英数 → 半角, 半角カナ → 全角) and surrounding spaces removed."""
    return unicodedata.normalize("NFKC", cell_text(value)).strip()


def normalize_header(value: object) -> str:
    """A header as compared with known headers: NFKC, no spaces or line breaks."""
    return _SPACES.sub("", normalize_text(value))


def normalize_name(value: object) -> str:
    """An organisation name as compared to find duplicates: legal form,
    spaces, punctuation and letter case do not count."""
    text = normalize_text(value)
    for marker in sorted(vocab.LEGAL_ENTITY_MARKERS, key=len, reverse=True):
        text = text.replace(marker, "")
    return _NAME_PUNCT.sub("", text).casefold()


def normalize_phone(value: object) -> str:
    """Digits only, so 03-1234-5678 and (03)1234-5678 compare equal."""
    return "".join(ch for ch in normalize_text(value) if ch.isdigit())


def quote(value: object) -> str:
    """A user's value as shown in a message: 「…」, shortened when long."""
    text = cell_text(value).strip()
    if len(text) > _SHOWN_MAX:
        text = text[:_SHOWN_MAX] + "…"
    return f"「{text}」"


def _missing(text: str) -> bool:
    return text == "" or text in MISSING_MARKERS


def parse_number(value: object) -> float | None:
    """``1,234``, ``１，２３４``, ``-5``, ``△5`` → numbers; empty → None."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return None if isinstance(value, float) and math.isnan(value) else float(value)
    text = _SPACES.sub("", normalize_text(value))
    if _missing(text):
        return None
    sign = 1.0
    if text.startswith(_MINUS):
        sign, text = -1.0, text[1:]
    if "," in text:
        if not _GROUPED.fullmatch(text):
            raise ValueError(f"{quote(value)}は数として読めません（桁区切りのカンマの位置が違います）")
        text = text.replace(",", "")
    try:
        number = float(text)
    except ValueError:
        raise ValueError(f"{quote(value)}は数として読めません") from None
    if not math.isfinite(number):
        raise ValueError(f"{quote(value)}は数として読めません")
    return sign * number


def parse_count(value: object) -> int | None:
    """A number of people or cases: a whole number, 0 or more; empty → None."""
    if isinstance(value, str) and _PLAIN_COUNT.fullmatch(value):
        return int(value.replace(",", ""))
    number = parse_number(value)
    if number is None:
        return None
    if number < 0:
        raise ValueError(f"{quote(value)}は負の数です（人数・件数は0以上）")
    if not number.is_integer():
        raise ValueError(f"{quote(value)}は整数ではありません（人数・件数は整数）")
    return int(number)


def _era_year(era: str, year: str) -> int:
    number = 1 if year == "元" else int(year)
    if number < 1:
        raise ValueError
    return _ERAS[era.upper() if len(era) == 1 else era] + number - 1


def parse_year(value: object) -> int | None:
    """``2025``, ``2025年``, ``2025年度``, ``令和7年``, ``R7``, ``平成31年``,
    ``令和元年`` → the Western year; empty → None. A 年度 is named by the
    calendar year it starts in, as 令和7年度 = 2025年度."""
    text = _SPACES.sub("", normalize_text(value))
    if _missing(text):
        return None
    core = re.sub(r"(年度|年|度)$", "", text)
    year = None
    if re.fullmatch(r"\d{4}(\.0+)?", core):
        year = int(float(core))
    elif match := re.fullmatch(_ERA, core, flags=re.IGNORECASE):
        try:
            year = _era_year(*match.groups())
        except ValueError:
            year = None
    if year is None:
        raise ValueError(f"{quote(value)}は年として読めません（例: 2025、2025年度、令和7年、R7）")
    if not _YEAR_MIN <= year <= _YEAR_MAX:
        raise ValueError(f"{quote(value)}は年としてありえない値です")
    return year


def _make_date(value: object, year: int, month: int, day: int) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValueError(f"{quote(value)}は存在しない日付です") from None


def _serial_date(value: object, serial: float) -> dt.date:
    if not _SERIAL_RANGE[0] <= serial < _SERIAL_RANGE[1]:
        raise ValueError(f"{quote(value)}は日付として読めません")
    return _EXCEL_EPOCH + dt.timedelta(days=int(serial))


def parse_date(value: object) -> dt.date | None:
    """``2025-04-01``, ``2025/4/1``, ``2025年4月1日``, ``令和7年4月1日``,
    ``R7.4.1``, ``20250401``, an Excel serial number or an openpyxl
    datetime → a date; empty → None. A time of day is dropped."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _serial_date(value, float(value))
    text = _SPACES.sub(" ", normalize_text(value))
    if _missing(text):
        return None
    if match := re.fullmatch(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?)?", text):
        return _make_date(value, *map(int, match.groups()[:3]))
    if match := re.fullmatch(r"(\d{4})年(\d{1,2})月(\d{1,2})日?", text.replace(" ", "")):
        return _make_date(value, *map(int, match.groups()))
    era_date = _ERA + r"[年.\-/](\d{1,2})[月.\-/](\d{1,2})日?"
    if match := re.fullmatch(era_date, text.replace(" ", ""), flags=re.IGNORECASE):
        era, year, month, day = match.groups()
        return _make_date(value, _era_year(era, year), int(month), int(day))
    if re.fullmatch(r"\d{8}", text):
        return _make_date(value, int(text[:4]), int(text[4:6]), int(text[6:]))
    if re.fullmatch(r"\d{5}(\.\d+)?", text):
        return _serial_date(value, float(text))
    raise ValueError(f"{quote(value)}は日付として読めません（例: 2025-04-01、2025/4/1、令和7年4月1日）")


def parse_tally(value: object) -> int | None:
    """A count in a statistics table: as ``parse_count``, but a dash (e-Stat's
    「-」, 該当なし) is 0. ``***``, ``x``, ``…`` stay missing."""
    if isinstance(value, str) and _PLAIN_COUNT.fullmatch(value):
        return int(value.replace(",", ""))
    if _SPACES.sub("", normalize_text(value)) in ZERO_MARKERS:
        return 0
    return parse_count(value)


def is_unknown_age(label: object) -> bool:
    """年齢「不詳」, 不詳, 年齢不詳, …: people counted in 総数 but in no age band."""
    return _BRACKETS.sub("", _SPACES.sub("", normalize_text(label))) in UNKNOWN_AGE_LABELS


def parse_age_span(value: object, *, bare: bool = False) -> tuple[int, int | None] | None:
    """The ages a label covers: ``65～69歳`` → (65, 69), ``65歳`` → (65, 65),
    ``100歳以上`` / ``100+`` → (100, None); empty → None. A bare number (``65``)
    is an age only when ``bare`` (a column of ages, not a header). Raises
    ``ValueError`` for text that names no ages."""
    text = _SPACES.sub("", normalize_text(value))
    if _missing(text):
        return None
    core = text.replace("歳", "").replace("才", "")
    if match := _AGE_RANGE.fullmatch(core):
        low, high = int(match[1]), int(match[2])
        if low <= high:
            return low, high
    elif match := _AGE_OPEN.fullmatch(core):
        return int(match[1]), None
    elif (match := _AGE_SINGLE.fullmatch(core)) and (bare or core != text):
        return int(match[1]), int(match[1])
    raise ValueError(f"{quote(value)}は年齢として読めません（例: 65～69歳、65歳、100歳以上）")


def _groups_text() -> str:
    return "・".join(f"{start}歳以上" for start in vocab.AGE_GROUP_STARTS)


def band_of_span(span: tuple[int, int | None], label: object = None) -> str:
    """The band of ``vocab.AGE_BANDS`` / ``vocab.OPEN_AGE_BANDS`` a span is
    counted in: a single age or a 5-year band goes to its band, ages from 100 to
    ``100+``; an open band stays open if it starts where the kit's age groups
    can still be summed (85歳以上 or above). Raises ``ValueError`` for spans that
    are no 5-year band (15～64歳) or an open band cutting an age group (70歳以上)."""
    low, high = span
    shown = quote(label if label is not None else (f"{low}歳以上" if high is None else f"{low}～{high}歳"))
    top = vocab.OPEN_AGE_BANDS[-1]
    if high is None:
        if low >= int(top[:-1]):
            return top
        if f"{low}+" in vocab.OPEN_AGE_BANDS:
            return f"{low}+"
        raise ValueError(
            f"{shown}は使えない年齢階級です（キットは{_groups_text()}の人口を数えるため、"
            f"「…歳以上」の階級は{vocab.AGE_GROUP_STARTS[-1]}歳以上か、それより上の5歳刻みから始まるものにしてください）")
    if low >= int(top[:-1]):
        return top
    band = f"{low // 5 * 5}-{low // 5 * 5 + 4}"
    if low == high or (low % 5 == 0 and high == low + 4):
        return band
    first, last = vocab.AGE_BANDS[0], vocab.AGE_BANDS[-2]
    raise ValueError(f"{shown}は5歳刻みの年齢階級ではありません（例: {first}、{last}、100+）")


def parse_age_band(value: object) -> str | None:
    """``65～69歳``, ``65-69``, ``100歳以上``, ``100+``, ``90歳以上`` → a band of
    ``vocab.AGE_BANDS`` or ``vocab.OPEN_AGE_BANDS``; empty → None. A single age
    (``65歳``) is no band."""
    span = parse_age_span(value)
    if span is None:
        return None
    low, high = span
    if high is not None and low == high:
        raise ValueError(f"{quote(value)}は1歳ごとの年齢で、5歳刻みの年齢階級ではありません（例: 65～69歳）")
    if high is not None and high >= int(vocab.OPEN_AGE_BANDS[-1][:-1]):
        raise ValueError(f"{quote(value)}は使える年齢階級ではありません（100歳以上は「100歳以上」の1つにまとめます）")
    return band_of_span(span, value)


def parse_flag(value: object) -> bool | None:
    """A ready-made risk flag: 1/0, 該当/非該当 (or TRUE/FALSE); empty → None."""
    text = normalize_text(value)
    if _missing(text):
        return None
    if re.fullmatch(r"[01]\.0+", text):
        text = text[0]
    flag = _FLAG_VALUES.get(text.casefold())
    if flag is None:
        raise ValueError(f"{quote(value)}は使えない値です（使える値: 1、0、該当、非該当）")
    return flag


def split_multi(value: object) -> tuple[str, ...]:
    """The terms of a multi-valued cell, split at ``vocab.MULTI_VALUE_SEPARATORS``
    and at line breaks (Alt+Enter in an Excel cell); duplicates dropped."""
    text = normalize_text(value)
    for separator in vocab.MULTI_VALUE_SEPARATORS:
        text = text.replace(separator, "\n")
    terms = (term.strip() for term in text.splitlines())
    return tuple(dict.fromkeys(term for term in terms if term))
