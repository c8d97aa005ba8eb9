"""``load(kind, source)``: one user file → a canonical DataFrame, or a refusal.

The file's headers are matched to the canonical columns of the kind (exact
name, ``vocab.HEADER_SYNONYMS`` or the caller's ``mapping``), every canonical
cell is parsed and checked, and every problem is reported in Japanese with the
row as Excel shows it. A file with any error is refused whole (``data`` is
None); warnings do not stop a load.

The returned frame has the kind's canonical columns in contract order (absent
optional ones all missing), then the user's other columns as normalised text.
Its index is the Excel row each record came from (name ``行``).

Population tables come in many real layouts, all read into the long form: one
column per age band or per single age (summed to 5-year bands), sexes in a
column or in a header spanning two rows (男 / 女 over the ages), e-Stat
downloads as they are (年齢「不詳」 kept apart, （再掲） columns left out).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from kit import vocab
from kit.io import ages, schema
from kit.io import normalize as nz
from kit.io.bounds import check_shape
from kit.io.schema import ColumnSpec, KindSpec
from kit.io.tables import DEFAULT_MAX_BYTES, Source, TableError, read_table
from kit.limits import table_limits

__all__ = ["KINDS", "MAX_PROBLEMS", "LoadResult", "Problem", "load"]

KINDS = schema.KINDS
# Problems kept per load; beyond this only their number is kept.
MAX_PROBLEMS = 10_000
_SHOWN_TERMS = 8
_LATITUDE = (20.0, 46.0)      # Japan, 沖ノ鳥島 to 択捉島
_LONGITUDE = (122.0, 154.0)   # Japan, 与那国島 to 南鳥島
# A column or row label marking a subtotal that repeats other columns.
_REPEAT = "再掲"
# The dtype pandas gives text by default (str in pandas 3, object before).
_TEXT_DTYPE = pd.Series(["text"]).dtype


@dataclass(frozen=True)
class Problem:
    severity: str            # "error" or "warning"
    file: str
    row: int | None          # Excel row number (header = 1), None for the whole file
    column: str | None       # the column as headed in the user's file
    message: str             # Japanese

    def __str__(self) -> str:
        place = self.file
        if self.row is not None:
            place += f" {self.row}行目"
        if self.column is not None:
            place += f"「{self.column}」"
        return f"{place}: {self.message}"


@dataclass
class LoadResult:
    kind: str
    file: str
    data: pd.DataFrame | None
    problems: list[Problem] = field(default_factory=list)
    mapping: dict[str, str] = field(default_factory=dict)   # user header → canonical column
    unmapped: list[str] = field(default_factory=list)       # user columns kept as they are
    missing: list[str] = field(default_factory=list)        # required columns not found
    rows_read: int = 0
    omitted: int = 0           # problems found beyond MAX_PROBLEMS, counted only
    notes: list[str] = field(default_factory=list)          # how the table was read, for summary()
    ignored: list[str] = field(default_factory=list)        # columns left out: （再掲） subtotals, …
    own_terms: dict[str, dict[str, int]] = field(default_factory=dict)  # column → own term → rows
    # population: people of unknown age (年齢「不詳」), in 総数 but in no band:
    # 地区コード, 年, 性別, 区分, 不詳 — one row per row of the file that had them.
    unknown_age: pd.DataFrame | None = None
    age_columns: list[str] = field(default_factory=list)    # population: the age columns summed into bands

    @property
    def ok(self) -> bool:
        return self.data is not None

    @property
    def errors(self) -> list[Problem]:
        return [problem for problem in self.problems if problem.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [problem for problem in self.problems if problem.severity == "warning"]

    def summary(self) -> str:
        """One Japanese line: what was read and how the columns were matched."""
        if not self.ok:
            count = len(self.errors) + self.omitted
            text = f"{self.file}: 読み込めませんでした（問題 {count}件）"
            if self.missing:
                text += f"。見つからない必須の列: {'、'.join(self.missing)}"
            return text
        parts = [f"{len(self.mapping)}列を対応づけ"]
        # Age columns of a wide population table are summed up in notes instead.
        ages = set(self.age_columns)
        renamed = [f"「{header}」→{target}" for header, target in self.mapping.items()
                   if schema.header_key(header) != schema.header_key(target) and header not in ages]
        if renamed:
            parts.append(f"読み替え: {'、'.join(renamed)}")
        if self.unmapped:
            parts.append(f"使わない列: {'、'.join(self.unmapped)}")
        parts.extend(self.notes)
        if self.warnings:
            parts.append(f"確認事項 {len(self.warnings)}件")
        return f"{self.file}: {self.rows_read}行を読み込みました（{'。'.join(parts)}）"

    def report(self, limit: int = 50) -> str:
        """The summary, then the problems (errors first), at most ``limit`` of them."""
        ordered = self.errors + self.warnings
        lines = [self.summary()]
        lines += [f"{'' if p.severity == 'error' else '［確認］'}{p}" for p in ordered[:limit]]
        hidden = len(ordered) - min(limit, len(ordered)) + self.omitted
        if hidden:
            lines.append(f"他に{hidden}件")
        return "\n".join(lines)


class _Log:
    """Problems of one load, capped at MAX_PROBLEMS."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []
        self.omitted = 0
        self.error_count = 0

    def add(self, severity: str, row: int | None, column: str | None, message: str) -> None:
        self.error_count += severity == "error"
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(Problem(severity, self.file, None if row is None else int(row), column, message))
        else:
            self.omitted += 1

    def error(self, row: int | None, column: str | None, message: str) -> None:
        self.add("error", row, column, message)

    def warning(self, row: int | None, column: str | None, message: str) -> None:
        self.add("warning", row, column, message)


# ---------------------------------------------------------------- cell parsers


def _terms(terms: Iterable[str]) -> str:
    terms = list(terms)
    shown = "、".join(terms[:_SHOWN_TERMS])
    return shown + ("…" if len(terms) > _SHOWN_TERMS else "")


def _suggestion(text: str, column: ColumnSpec) -> str:
    """「…」のことですか？ for a refused term, when a close one is cheap to find."""
    if text in column.hints:
        return f"「{column.hints[text]}」の中の項目です。"
    near = difflib.get_close_matches(text, column.vocab, n=1, cutoff=0.6)
    # 要介護6 is not a misspelt 要介護5: a different number is no suggestion.
    if near and re.sub(r"\d", "", near[0]) != re.sub(r"\d", "", text):
        return f"「{near[0]}」のことですか？"
    return ""


def _term_key(text: str) -> str:
    # Spaces, case and the marks joining a compound term do not tell terms apart:
    # 卸売業、小売業 = 卸売業,小売業 and 自治会町内会 = 自治会・町内会.
    return re.sub(r"[\s,、・･]", "", text).casefold()


def _term_parser(column: ColumnSpec) -> Callable[[str], str | None]:
    terms = {_term_key(term): term for term in column.vocab}
    terms |= {_term_key(alias): term for alias, term in vocab.VALUE_SYNONYMS.items() if term in column.vocab}

    def match(value: str) -> str | None:
        text = re.sub(r"\s", "", nz.normalize_text(value))
        if text in nz.MISSING_MARKERS or not text:
            return None
        if (term := terms.get(_term_key(text))) is None:
            if column.own_terms:
                return text
            raise ValueError(f"{nz.quote(value)}は使えない値です（{_suggestion(text, column)}使える値: {_terms(column.vocab)}）")
        return term

    return match


def _multi_parser(match: Callable[[str], str | None]) -> Callable[[str], tuple[str, ...]]:
    """Parse each term of a multi-valued cell with ``match``; report all bad ones at once."""

    def parse(value: str) -> tuple[str, ...]:
        found, refused = [], []
        for term in nz.split_multi(value):
            try:
                if (parsed := match(term)) is not None:
                    found.append(parsed)
            except ValueError as error:
                refused.append(str(error))
        if refused:
            raise ValueError("／".join(refused))
        return tuple(dict.fromkeys(found))

    return parse


def _area_parser(known: frozenset[str] | None, allow_whole: bool = False) -> Callable[[str], str | None]:
    def parse(value: str) -> str | None:
        code = nz.normalize_text(value)
        if not code or (allow_whole and code == vocab.WHOLE_TOWN) or known is None or code in known:
            return code or None
        hint = ""
        if code.isdigit():
            same = [k for k in sorted(known) if k.isdigit() and int(k) == int(code)]
            if same:
                hint = f"「{same[0]}」のことですか？ 先頭の0が消えているかもしれません。"
        raise ValueError(f"{nz.quote(value)}は地区の一覧にない地区コードです（{hint}一覧にあるコード: {_terms(sorted(known))}）")

    return parse


def _coordinate_parser(bounds: tuple[float, float], label: str) -> Callable[[str], float | None]:
    def parse(value: str) -> float | None:
        number = nz.parse_number(value)
        if number is not None and not bounds[0] <= number <= bounds[1]:
            raise ValueError(f"{nz.quote(value)}は日本の{label}の範囲（{bounds[0]:g}～{bounds[1]:g}）の外です（緯度と経度が逆かもしれません）")
        return number

    return parse


def _text(value: str) -> str | None:
    return nz.normalize_text(value) or None


def _parser(column: ColumnSpec, known: frozenset[str] | None) -> Callable[[str], object]:
    kind = column.type
    if kind in (schema.ENUM, schema.MULTI_ENUM):
        match = _term_parser(column)
        return match if kind == schema.ENUM else _multi_parser(match)
    if kind == schema.AREA:
        return _area_parser(known)
    if kind == schema.AREA_LIST:
        return _multi_parser(_area_parser(known, allow_whole=True))
    if kind == schema.LATITUDE:
        return _coordinate_parser(_LATITUDE, "緯度")
    if kind == schema.LONGITUDE:
        return _coordinate_parser(_LONGITUDE, "経度")
    return {
        schema.TEXT: _text, schema.ID: _text, schema.COUNT: nz.parse_count, schema.TALLY: nz.parse_tally,
        schema.NUMBER: nz.parse_number, schema.YEAR: nz.parse_year, schema.DATE: nz.parse_date,
        schema.FLAG: nz.parse_flag, schema.AGE_BAND: nz.parse_age_band,
    }[kind]


def _typed(values: np.ndarray, kind: str) -> pd.Series:
    """Canonical values as a Series of the type's dtype; missing stays missing."""
    if kind in (schema.COUNT, schema.TALLY, schema.YEAR):
        return pd.Series(pd.array(values, dtype="Int64"))
    if kind in (schema.NUMBER, schema.LATITUDE, schema.LONGITUDE):
        return pd.Series(pd.array(values, dtype="Float64")).astype("float64")
    if kind == schema.FLAG:
        return pd.Series(pd.array(values, dtype="boolean"))
    if kind == schema.DATE:
        return pd.to_datetime(pd.Series(values, dtype=object))
    if kind in (schema.MULTI_ENUM, schema.AREA_LIST):
        return pd.Series([() if value is None else value for value in values], dtype=object)
    return _text_series(values)


def _text_series(values: np.ndarray) -> pd.Series:
    """Text with NaN for missing, as pandas itself reads text, in pandas 2 and 3."""
    values[pd.isna(values)] = np.nan
    return pd.Series(values, dtype=_TEXT_DTYPE)


def _map_values(series: pd.Series, func: Callable[[str], object]) -> np.ndarray:
    """``func`` applied once per distinct value, as an object array aligned
    with ``series``: codes and years repeat, so this is much cheaper than
    applying ``func`` to every cell."""
    codes, uniques = pd.factorize(series, use_na_sentinel=False)
    results = np.empty(len(uniques), dtype=object)
    results[:] = [func(value if isinstance(value, str) else "") for value in np.asarray(uniques, dtype=object)]
    return results[codes]


def _normalized(raw: pd.Series) -> pd.Series:
    """A column kept as the user's text, normalised; not copied when already so
    (a survey's answer codes), since such columns can fill most of a large file."""
    if all(value == _text(value) for value in raw.dropna().unique()):
        return raw.astype(_TEXT_DTYPE).reset_index(drop=True)
    return _text_series(_map_values(raw, _text))


def _parse_column(raw: pd.Series, parse: Callable[[str], object]) -> tuple[np.ndarray, list[tuple[int, str]]]:
    """Values parsed once per distinct cell text, and (position, message) of bad cells."""
    codes, uniques = pd.factorize(raw, use_na_sentinel=False)
    values = np.empty(len(uniques), dtype=object)
    messages: dict[int, str] = {}
    for index, text in enumerate(np.asarray(uniques, dtype=object)):
        try:
            values[index] = parse(text if isinstance(text, str) else "")
        except ValueError as error:
            messages[index] = str(error)
    bad = np.flatnonzero(np.isin(codes, list(messages))) if messages else np.array([], dtype=int)
    return values[codes], [(position, messages[codes[position]]) for position in bad]


# ------------------------------------------------------------- column matching

# A user's own choice in the mapping step outranks any header the kit knows.
_CHOSEN = 1000
_SEX_ORDER = {None: 0, **{sex: i + 1 for i, sex in enumerate(vocab.SEXES)}}


@dataclass
class _Columns:
    found: dict[str, str]          # canonical → user header
    unmapped: list[str]
    ignored: list[str] = field(default_factory=list)   # （再掲） and other subtotals, left out
    # Population printed one column per age (e-Stat, 住基): header → (sex in the
    # header or None, band), and the 総数 / 年齢「不詳」 columns by sex.
    ages: dict[str, tuple[str | None, str]] = field(default_factory=dict)
    totals: dict[str | None, str] = field(default_factory=dict)
    unknown: dict[str | None, str] = field(default_factory=dict)
    singles: bool = False          # the age columns are single years


def _match_columns(spec: KindSpec, headers: list[str], mapping: Mapping[str, str | None], log: _Log) -> _Columns:
    lookup = schema.header_lookup(spec.kind)
    chosen = {schema.header_key(header): target for header, target in mapping.items()}
    for header in mapping:
        if schema.header_key(header) not in map(schema.header_key, headers):
            log.warning(None, header, "対応を指定された列がファイルにありません")
    found: dict[str, str] = {}
    ranks: dict[str, int] = {}
    unmapped: list[str] = []
    for header in headers:
        key = schema.header_key(header)
        if key in chosen:
            target, rank = chosen[key], _CHOSEN
        else:
            target, rank = schema.match_header(spec.kind, header, lookup) or (None, 0)
        if target and target not in spec.names:
            log.error(None, header, f"「{target}」は{spec.label}の列ではありません（列: {_terms(spec.names)}）")
            target = None
        if not target:
            unmapped.append(header)
        elif target in found:
            # Two columns for one: the better named one wins (the exact name, then a
            # synonym, then the finest e-Stat areas), else the first.
            kept, dropped = found[target], header
            if rank > ranks[target]:
                kept, dropped, ranks[target] = header, found[target], rank
            log.warning(None, dropped, f"「{kept}」と同じく「{target}」に当たる列です。「{kept}」を使い、この列は使いません")
            found[target] = kept
            unmapped.append(dropped)
        else:
            found[target], ranks[target] = header, rank
    columns = _Columns(found, [header for header in unmapped if _REPEAT not in header],
                       ignored=[header for header in unmapped if _REPEAT in header])
    if spec.kind == "population" and "年齢階級" not in found and "人口" not in found:
        _find_wide_columns(columns, log)
    return columns


def _is_age_header(cell: str) -> bool:
    _sex, rest = ages.split_sex(cell)
    if nz.is_unknown_age(rest):
        return True
    try:
        return nz.parse_age_span(rest) is not None
    except ValueError:
        return False


def _sex_label(sex: str | None) -> str:
    return f"{sex}の" if sex else ""


def _find_wide_columns(columns: _Columns, log: _Log) -> None:
    """Population printed one column per age (e-Stat, 住基): decide the band of
    each age column, and find the 総数 / 年齢「不詳」 columns used to check them."""
    items, totals, unknown = [], {}, {}
    for header in columns.unmapped:
        sex, rest = ages.split_sex(header)
        if rest in nz.TOTAL_LABELS:
            totals.setdefault(sex, header)
        elif nz.is_unknown_age(rest):
            unknown.setdefault(sex, header)
        else:
            try:
                span = nz.parse_age_span(rest)
            except ValueError:
                continue
            items.append(ages.AgeItem(header, sex, span, header))
    if len(items) < 2:
        return
    decision = ages.assign_bands(items)
    for header, message in decision.errors.items():
        log.error(None, header, message)
    for (sex, band), missing in decision.incomplete.items():
        log.error(None, None, f"1歳ごとの年齢の列を5歳階級にまとめるには、{_sex_label(sex)}{band}歳の年齢がそろっていません"
                              f"（ない列: {'、'.join(f'{age}歳' for age in missing)}）")
    columns.ages = {item.key: (item.sex, decision.bands[item.key]) for item in items if item.key in decision.bands}
    columns.singles = decision.singles
    columns.totals, columns.unknown = totals, unknown
    used = {*columns.ages, *totals.values(), *unknown.values()}
    columns.ignored += [header for header in columns.unmapped if header in decision.subtotals]
    columns.unmapped = [header for header in columns.unmapped if header not in used and header not in decision.subtotals]
    if "性別" in columns.found and any(sex for sex, _band in columns.ages.values()):
        log.error(None, columns.found["性別"], "性別が、この列と年齢の列の見出し（男・女）の両方にあります。"
                                             "どちらか一方にしてください")


# --------------------------------------------------------------------- checks


def _check_unique(values: pd.Series, rows: np.ndarray, header: str, log: _Log) -> None:
    repeated = values.duplicated(keep="first") & values.notna()
    if not repeated.any():
        return
    first_rows: dict[object, int] = {}
    for position in np.flatnonzero(values.isin(set(values[repeated])).to_numpy()):
        value = values.iat[position]
        if value in first_rows:
            log.error(rows[position], header, f"{nz.quote(value)}は{first_rows[value]}行目と重複しています（IDは1行に1つ）")
        else:
            first_rows[value] = rows[position]


def _check_key(frame: pd.DataFrame, key: list[str], rows: np.ndarray, log: _Log) -> None:
    complete = frame[key].notna().all(axis=1)
    keys = frame.loc[complete, key]
    repeated = keys.duplicated(keep="first")
    if not repeated.any():
        return
    positions = np.flatnonzero(complete.to_numpy())
    first_rows: dict[tuple, int] = {}
    for position, record, again in zip(positions, keys.itertuples(index=False, name=None), repeated):
        if not again:
            first_rows.setdefault(record, rows[position])
        else:
            log.error(rows[position], None, f"{'・'.join(key)}の組み合わせが{first_rows[record]}行目と同じです（同じ組み合わせは1行だけ）")


def _check_actor_duplicates(raw: pd.DataFrame, columns: _Columns, ids: pd.Series, rows: np.ndarray, log: _Log) -> None:
    """Same organisation entered twice? Same 名称 after normalisation, or same
    phone. Warnings only: the merge step decides. The phone is not repeated in
    the message, being contact data."""
    for canonical, key_of, label in (("名称", nz.normalize_name, "名称"), ("電話", nz.normalize_phone, "電話番号")):
        header = columns.found.get(canonical)
        if header is None:
            continue
        keys = _map_values(raw[header], key_of)
        first: dict[str, int] = {}
        for position, key in enumerate(keys):
            if not key:
                continue
            if key not in first:
                first[key] = position
                continue
            earlier = first[key]
            shown = f"{nz.quote(raw[header].iat[position])}は" if canonical == "名称" else ""
            log.warning(rows[position], header, f"{shown}{rows[earlier]}行目（主体ID {ids.iat[earlier]}）と{label}が同じです。同じ主体なら1行にまとめてください")


def _summed(arrays: list[pd.arrays.IntegerArray]) -> pd.arrays.IntegerArray:
    """Cell by cell sum of counts; missing when any part is missing."""
    return sum(arrays[1:], arrays[0])


def _parts_of(columns: _Columns, sex: str | None) -> tuple[list[str], list[str]]:
    """The age and 不詳 columns a 総数 of ``sex`` adds up: those of that sex, or
    all of them for a 総数 without a sex over columns with one."""
    ages_ = [header for header, (own, _band) in columns.ages.items() if own == sex]
    unknown = [header for own, header in columns.unknown.items() if own == sex]
    if sex is None and not ages_:
        ages_, unknown = list(columns.ages), list(columns.unknown.values())
    return ages_, unknown


def _check_wide_totals(counts: dict[str, np.ndarray], columns: _Columns, rows: np.ndarray, log: _Log) -> None:
    for sex, total in columns.totals.items():
        ages_, unknown = _parts_of(columns, sex)
        if not ages_:
            continue
        parts = _summed([counts[header] for header in ages_ + unknown])
        label = "年齢階級と年齢「不詳」" if unknown else "年齢階級"
        expected = counts[total]
        for position in np.flatnonzero((expected != parts).fillna(False).to_numpy(dtype=bool)):
            log.error(rows[position], total,
                      f"総数 {expected[position]:,} が{label}の合計 {parts[position]:,} と合いません"
                      "（列の読み違いがないか確かめてください。総数の列を消せば照合しません）")


# A mark as typed: half- or full-width (NFKC makes one of the other).
_FULL_WIDTH = str.maketrans({chr(code): chr(code + 0xFEE0) for code in range(0x21, 0x7F)})
_DASHES = frozenset(nz.ZERO_MARKERS | {mark.translate(_FULL_WIDTH) for mark in nz.ZERO_MARKERS})
_MARKS = frozenset(mark for marks in (nz.MISSING_MARKERS - nz.ZERO_MARKERS,) for mark in
                   marks | {m.translate(_FULL_WIDTH) for m in marks})


def _mark_counts(raw: pd.Series) -> tuple[int, int]:
    """How many cells are a dash (read as 0) and how many another mark (missing)."""
    return int(raw.isin(_DASHES).sum()), int(raw.isin(_MARKS).sum())


def _marks_note(frame: pd.DataFrame, headers: Iterable[str]) -> str | None:
    zeros = missing = 0
    for header in headers:
        z, m = _mark_counts(frame[header])
        zeros, missing = zeros + z, missing + m
    parts = []
    if zeros:
        parts.append(f"「-」{zeros:,}か所を0")
    if missing:
        parts.append(f"「***」「x」「…」など{missing:,}か所を値なし")
    return f"{'、'.join(parts)}として読みました" if parts else None


# ----------------------------------------------------------------- the loader


def _long_age_parser(frame: pd.DataFrame, rows: np.ndarray, header: str, log: _Log,
                     group_headers: list[str] = ()):
    """A long population table's age column: rows of 総数, 年齢「不詳」 and
    subtotals are skipped (and said); the rest go to their bands, single years
    summed. Returns the kept rows, the rows of unknown age, the column's parser
    and, when rows are to be summed into bands (single years, 100～104歳 …),
    the number of ages each label covers (None when nothing is to be summed).

    What is a subtotal is decided within each group of rows (``group_headers``:
    area, year, sex, 区分): a file joining the census (…, 95～99歳, 100歳以上) to a
    projection (…, 90歳以上) holds 90歳以上 as a band in the projection's years."""
    labels = [label for label in pd.unique(frame[header].dropna())]
    skip, items = {}, {}
    for label in labels:
        text = nz.normalize_header(label)
        if text in nz.TOTAL_LABELS or nz.is_unknown_age(text) or _REPEAT in text:
            skip[label] = text
            continue
        try:
            span = nz.parse_age_span(label, bare=True)
        except ValueError:
            continue    # reported at its rows by the parser
        if span is not None:
            items[label] = ages.AgeItem(label, None, span, label)
    # The set of age labels each group of rows carries; mostly one set for the whole file.
    ages_column = frame[header].where(frame[header].isin(list(items)))
    if group_headers:
        sets = ages_column.groupby([frame[h] for h in group_headers], dropna=False, sort=False).agg(
            lambda values: frozenset(values.dropna()))
        row_set = pd.MultiIndex.from_frame(frame[list(group_headers)]).map(sets) if len(sets) > 1 else None
    else:
        sets, row_set = pd.Series([frozenset(items)]), None
    decisions = {labels_: ages.assign_bands(items[label] for label in labels_) for labels_ in set(sets)}
    decision = ages.AgeDecision()
    for each in decisions.values():          # a label is a band (or an error) wherever it is not a subtotal
        decision.bands.update(each.bands)
        decision.errors.update(each.errors)
        decision.merged |= each.merged
    dropped = frame[header].isin(list(skip)).to_numpy().copy()
    if row_set is None:
        (only,) = decisions.values() if decisions else (ages.AgeDecision(),)
        dropped |= frame[header].isin(list(only.subtotals)).to_numpy()
    else:
        subtotal = {labels_: set(each.subtotals) for labels_, each in decisions.items()}
        dropped |= np.array([label in subtotal.get(labels_, ()) for label, labels_ in zip(frame[header], row_set)])
    if dropped.any():
        where = _terms(f"{row}行目" for row in rows[dropped])
        log.warning(None, header, f"年齢階級が総数・不詳・小計の行（{where}）は5歳刻みの階級ではないので読み飛ばしました")
    unknown = frame[header].map(lambda label: nz.is_unknown_age(label) if isinstance(label, str) else False)

    def parse(value: str) -> str | None:
        if value in decision.bands:
            return decision.bands[value]
        if value in decision.errors:
            raise ValueError(decision.errors[value])
        span = nz.parse_age_span(value, bare=True)    # raises for what is no age
        return None if span is None else nz.band_of_span(span, value)

    widths = ({label: (item.span[1] or item.span[0]) - item.span[0] + 1 for label, item in items.items()}
              if decision.merged else None)
    return ~dropped, unknown.to_numpy(dtype=bool), parse, widths


def _safe_tally(value: object) -> int:
    """A count for a note: 0 when it cannot be read (the row is skipped anyway)."""
    try:
        return nz.parse_tally(value) or 0
    except ValueError:
        return 0


def _sum_ages(data: pd.DataFrame, key: list[str], widths: np.ndarray, log: _Log) -> pd.DataFrame:
    """Rows of single years (one row per age), or of bands beyond 100, summed
    into their bands; ``widths``: the ages each row covers. A band lacking some
    of its ages is summed all the same, and said."""
    keys = [data[name] for name in key]
    grouped = data.groupby(keys, sort=False, dropna=False)
    first = grouped.head(1)
    counts = grouped["人口"].sum(min_count=1)
    lacking = data["人口"].isna().groupby(keys, sort=False, dropna=False).any()
    counts[lacking] = pd.NA
    ages_per_band = pd.Series(widths, index=data.index).groupby(keys, sort=False, dropna=False).sum()
    summed = first.copy()
    summed["人口"] = counts.to_numpy()
    closed = ~summed["年齢階級"].str.endswith("+").to_numpy()
    short = closed & (ages_per_band.to_numpy() < 5)
    if short.any():
        example = summed[short].iloc[0]
        log.warning(None, None, f"年齢の行を5歳階級にまとめました。{int(short.sum())}組は5歳分の行がそろっていません"
                                f"（例: {example.name}行目からの {example['地区コード']} {example['性別']} {example['年齢階級']}）。"
                                "ない年齢は0人として合計しています")
    return summed


def _to_long(data: pd.DataFrame, columns: _Columns, counts: dict[str, np.ndarray], rows: np.ndarray) -> tuple[pd.DataFrame, np.ndarray]:
    """Wide population (one column per age) → one row per sex and band."""
    pairs = sorted(set(columns.ages.values()), key=lambda pair: (_SEX_ORDER[pair[0]], ages.band_lower(pair[1])))
    headers = {pair: [header for header, value in columns.ages.items() if value == pair] for pair in pairs}
    sums = [_summed([counts[header] for header in headers[pair]]) for pair in pairs]
    values = np.column_stack([column.to_numpy(dtype="int64", na_value=0) for column in sums]).ravel()
    missing = np.column_stack([column.isna() for column in sums]).ravel()
    count = len(pairs)
    long = data.loc[np.repeat(np.arange(len(data)), count)].reset_index(drop=True)
    long["年齢階級"] = pd.Series(np.tile([band for _sex, band in pairs], len(data)), dtype=_TEXT_DTYPE)
    if any(sex for sex, _band in pairs):
        sexes = np.tile([sex for sex, _band in pairs], len(data))
        long["性別"] = long["性別"].where(pd.isna(sexes), pd.Series(sexes, dtype=object)).astype(_TEXT_DTYPE)
    long["人口"] = pd.Series(pd.arrays.IntegerArray(values, missing))
    return long, np.repeat(rows, count)


def _unknown_ages(data: pd.DataFrame, columns: _Columns, counts: dict[str, np.ndarray]) -> pd.DataFrame:
    """年齢「不詳」 by row and sex: in 総数, in no band."""
    parts = []
    for sex, header in columns.unknown.items():
        part = data[["地区コード", "地区名", "年", "性別", "区分"]].copy()
        if sex is not None:
            part["性別"] = sex
        part["不詳"] = counts[header]
        parts.append(part)
    return pd.concat(parts) if parts else data.iloc[:0]


def _unknown_note(unknown: pd.DataFrame) -> str:
    shown = unknown[unknown["不詳"].fillna(0) > 0]
    if shown.empty:
        return "年齢「不詳」の人はいません"
    # The largest row, not a sum: e-Stat tables list 全国, prefectures and
    # municipalities together, whose sum would count people several times.
    top = shown.loc[shown["不詳"].astype("float64").idxmax()]
    top = top.iloc[0] if isinstance(top, pd.DataFrame) else top
    name = top["地区名"] if isinstance(top["地区名"], str) else top["地区コード"]
    return (f"年齢「不詳」は総数に含み、どの年齢階級にも入れていません（{len(shown):,}行にあり、"
            f"最も多いのは {name} {top['性別']} {int(top['不詳']):,}人）")


def _display_name(source: Source, filename: str | None) -> str:
    if filename:
        return Path(filename).name
    if isinstance(source, (bytes, bytearray, memoryview)):
        return "アップロードされたファイル"
    return Path(source).name


def _own_terms(values: np.ndarray, rows: np.ndarray, header: str, column: ColumnSpec, log: _Log) -> dict[str, int]:
    """Terms outside the vocabulary, kept as the user's own, with their number of
    rows; a term close to one of the vocabulary gets a warning asking which."""
    known = set(column.vocab)
    counts: dict[str, int] = {}
    first: dict[str, int] = {}
    for position, cell in enumerate(values):
        for term in cell if isinstance(cell, tuple) else ((cell,) if cell else ()):
            if term not in known:
                counts[term] = counts.get(term, 0) + 1
                first.setdefault(term, position)
    for term, position in first.items():
        if hint := _suggestion(term, column):
            log.warning(rows[position], header, f"「{term}」はキットの語彙にないので独自の語として残しました（{hint}）")
    return counts


def _parse_columns(spec: KindSpec, columns: _Columns, frame: pd.DataFrame, rows: np.ndarray,
                   known: frozenset[str] | None, log: _Log, parsers: Mapping[str, Callable] | None = None,
                   own: dict[str, dict[str, int]] | None = None) -> dict[str, pd.Series]:
    """Every canonical column present, parsed and typed; absent columns with a
    default are filled with it (and the user told). ``parsers`` replaces the
    parser of some columns; ``own`` receives the user's own terms by header."""
    out: dict[str, pd.Series] = {}
    for column in spec.columns:
        header = columns.found.get(column.name)
        if header is None:
            if column.default is not None:
                # Sexes given by the age columns' headers (男／0～4歳) need no 性別 column.
                if not (column.name == "性別" and columns.ages and all(sex for sex, _ in columns.ages.values())):
                    log.warning(None, None, f"「{column.name}」の列がないので、すべて「{column.default}」として読みました")
                out[column.name] = _typed(np.full(len(frame), column.default, dtype=object), column.type)
            continue
        parse = (parsers or {}).get(column.name) or _parser(column, known)
        values, bad = _parse_column(frame[header], parse)
        for position, message in bad:
            log.error(rows[position], header, message)
        if column.nonempty:
            refused = {position for position, _ in bad}
            for position in np.flatnonzero(pd.isna(values.astype(object))):
                if position not in refused:
                    log.error(rows[position], header, "値がありません（この列は空にできません）")
        if column.own_terms and own is not None and (terms := _own_terms(values, rows, header, column, log)):
            own[header] = terms
        out[column.name] = _typed(values, column.type)
        if column.unique:
            _check_unique(out[column.name], rows, header, log)
    return out


def _parse_ages(columns: _Columns, frame: pd.DataFrame, rows: np.ndarray, log: _Log) -> dict[str, pd.arrays.IntegerArray]:
    """Counts of the wide population columns (ages, 総数, 年齢「不詳」), checked."""
    counts = {}
    for header in [*columns.ages, *columns.totals.values(), *columns.unknown.values()]:
        values, bad = _parse_column(frame[header], nz.parse_tally)
        counts[header] = pd.array(values, dtype="Int64")
        for position, message in bad:
            log.error(rows[position], header, message)
    bands = set(band for _sex, band in columns.ages.values())
    open_from = min((ages.band_lower(band) for band in bands if band.endswith("+")), default=None)
    expected = [band for band in vocab.AGE_BANDS if open_from is None or ages.band_lower(band) < open_from]
    expected += [f"{open_from}+"] if open_from is not None and open_from < ages.band_lower(vocab.AGE_BANDS[-1]) else []
    absent = [band for band in expected if band not in bands]
    if absent:
        log.warning(None, None, f"年齢階級の列が{len(expected)}のうち{len(expected) - len(absent)}です（ない階級: {_terms(absent)}）")
    _check_wide_totals(counts, columns, rows, log)
    return counts


def _check_flags(columns: _Columns, log: _Log) -> None:
    """A survey with some ready-made flags but not all was probably misheaded."""
    present = [flag for flag in vocab.RISK_FLAGS if flag in columns.found]
    if 0 < len(present) < len(vocab.RISK_FLAGS):
        absent = [flag for flag in vocab.RISK_FLAGS if flag not in present]
        log.warning(None, None, f"リスク判定の列がそろっていません（ない列: {'、'.join(absent)}）")


def _check_area_map(columns: _Columns, out: dict[str, pd.Series], rows: np.ndarray, log: _Log) -> list[str]:
    """A 町丁字 is named by code or by name (at least one column), and belongs to
    one 地区: the same 町丁字 twice is an error. Returns the missing columns."""
    keys = [name for name in ("町丁字コード", "町丁字名") if name in out]
    if not keys:
        log.error(None, None, "「町丁字コード」か「町丁字名」の列が必要です（どちらか一方でかまいません）")
        return ["町丁字コード"]
    key = keys[0]
    for position in np.flatnonzero(out[key].isna().to_numpy()):
        log.error(rows[position], columns.found[key], "値がありません（どの町丁字の行か分かりません）")
    repeated = out[key].duplicated(keep=False) & out[key].notna()
    if repeated.any():
        first: dict[str, int] = {}
        for position in np.flatnonzero(repeated.to_numpy()):
            small = out[key].iat[position]
            if small not in first:
                first[small] = position
                continue
            same = out["地区コード"].iat[position] == out["地区コード"].iat[first[small]]
            log.add("warning" if same else "error", rows[position], columns.found[key],
                    f"{nz.quote(small)}は{rows[first[small]]}行目にもあります"
                    + ("（同じ地区なので1行として扱います）" if same else "（1つの町丁字は1つの地区にだけ入ります）"))
    return []


def _assemble(spec: KindSpec, columns: _Columns, frame: pd.DataFrame, rows: np.ndarray,
              out: dict[str, pd.Series], counts: dict[str, np.ndarray]) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """Canonical columns in contract order (absent ones all missing), then the
    user's other columns; and the people of unknown age of a wide population.
    Built without copying the columns: they can be most of a large file."""
    wide_columns = ("年齢階級", "人口") if columns.ages else ()
    parts = {column.name: out.get(column.name, _typed(np.full(len(frame), None, dtype=object), column.type))
             for column in spec.columns if column.name not in wide_columns}
    for header in columns.unmapped:
        parts[f"{header}(元の列)" if header in spec.names else header] = _normalized(frame[header])
    data = pd.DataFrame(parts, copy=False)
    unknown = None
    if columns.ages:
        if columns.unknown:
            unknown = _unknown_ages(data, columns, counts)
            unknown.index = pd.Index(np.tile(rows, len(columns.unknown)), name="行")
        data, rows = _to_long(data, columns, counts, rows)
        data = data[[*spec.names, *(name for name in data if name not in spec.names)]]
    data.index = pd.Index(rows, name="行")
    return data, unknown


def load(
    kind: str,
    source: Source,
    *,
    filename: str | None = None,
    mapping: Mapping[str, str | None] | None = None,
    known_areas: Iterable[str] | None = None,
    sheet: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> LoadResult:
    """Read one user file of ``kind`` (one of ``KINDS``).

    ``source``: a path or the file's bytes (then ``filename`` names it in
    messages and gives its extension). ``mapping``: user header → canonical
    column, for headers the kit does not know (None = do not use the column).
    ``known_areas``: the 地区コード that exist; other codes are errors.
    ``sheet``: the workbook sheet to read instead of the first. ``max_bytes``:
    larger files are refused unread.
    """
    if kind not in schema.SPECS:
        raise ValueError(f"unknown kind {kind!r}; expected one of {KINDS}")
    spec = schema.SPECS[kind]
    file = _display_name(source, filename)
    log = _Log(file)
    mapping = dict(mapping or {})
    result = LoadResult(kind, file, None)
    lookup = schema.header_lookup(kind)
    mapped_keys = {schema.header_key(header) for header in mapping}

    def is_header(cell: str) -> bool:
        return (schema.header_key(cell) in mapped_keys or schema.match_header(kind, cell, lookup) is not None
                or (kind == "population" and _is_age_header(cell)))

    limits = table_limits(kind)
    try:
        table = read_table(source, filename=filename or file, is_header=is_header, sheet=sheet, max_bytes=max_bytes,
                           limits=limits)
        check_shape(table, limits)
    except TableError as error:
        log.error(None, None, error.message)
        return _finish(result, log)
    for row, message in table.notes:
        log.warning(row, None, message)
    columns = _match_columns(spec, list(table.frame.columns), mapping, log)
    if kind == "population" and "地区コード" not in columns.found and "地区名" in columns.found:
        # A 住基 table by 町丁字 often has names only: the name is the key then.
        columns.found["地区コード"] = columns.found["地区名"]
        log.warning(None, columns.found["地区名"], "地区コードの列がないので、この列の名前を地区コードとして使います")
    result.mapping = {header: target for target, header in columns.found.items()}
    result.mapping.update({header: "人口" for header in columns.ages})
    result.age_columns = list(columns.ages)
    result.unmapped = list(columns.unmapped)
    result.ignored = list(columns.ignored)
    wide_columns = ("年齢階級", "人口") if columns.ages else ()
    result.missing = [c.name for c in spec.columns if c.required and c.default is None
                      and c.name not in columns.found and c.name not in wide_columns]
    for name in result.missing:
        log.error(None, None, f"必須の列「{name}」が見つかりません（見出しは{table.header_row}行目として読みました）。"
                              "見出しを直すか、どの列がそれに当たるかを指定してください")
    frame, rows = table.frame, table.rows
    if frame.empty:
        log.error(None, None, "見出しの行だけで、データの行がありません")
        return _finish(result, log)
    parsers: dict[str, Callable] = {}
    widths = None     # population by single years (long): the ages each row covers
    if kind == "population" and "年齢階級" in columns.found:
        groups = [columns.found[name] for name in spec.key if name != "年齢階級" and name in columns.found]
        kept, unknown_rows, parsers["年齢階級"], widths = _long_age_parser(frame, rows, columns.found["年齢階級"], log,
                                                                        groups)
        if unknown_rows.any() and "人口" in columns.found:
            counts = [_safe_tally(value) for value in frame.loc[unknown_rows, columns.found["人口"]]]
            result.notes.append(f"年齢「不詳」の行（{int(unknown_rows.sum())}行、最も多い行 {max(counts):,}人）は総数に含まれ、"
                                "どの年齢階級にも入れていません")
        frame, rows = frame[kept].reset_index(drop=True), rows[kept]
        if widths is not None:
            widths = frame[columns.found["年齢階級"]].map(widths).fillna(0).to_numpy()
    result.rows_read = len(frame)

    known = None if known_areas is None else frozenset(nz.normalize_text(code) for code in known_areas)
    out = _parse_columns(spec, columns, frame, rows, known, log, parsers, result.own_terms)
    counts = _parse_ages(columns, frame, rows, log) if columns.ages else {}
    if spec.key:
        key = [name for name in spec.key if name in out]
        keyed = {name: out[name] for name in key}
        if widths is not None:   # labels share their band until summed: the label itself is the key
            keyed["年齢階級"] = _text_series(frame[columns.found["年齢階級"]].map(nz.normalize_header).to_numpy(dtype=object))
        _check_key(pd.DataFrame(keyed), key, rows, log)
    if kind == "needs_survey":
        _check_flags(columns, log)
    if kind == "actors" and "主体ID" in out:
        _check_actor_duplicates(frame, columns, out["主体ID"], rows, log)
    if kind == "area_map":
        result.missing += _check_area_map(columns, out, rows, log)
    if not log.error_count:
        result.data, result.unknown_age = _assemble(spec, columns, frame, rows, out, counts)
        _complete(result, columns, frame, spec, widths, log)
    return _finish(result, log)


def _complete(result: LoadResult, columns: _Columns, frame: pd.DataFrame, spec: KindSpec,
              widths: np.ndarray | None, log: _Log) -> None:
    """Rows of single years summed into bands, and the summary's notes on how
    the table was read."""
    notes = result.notes
    if widths is not None:
        result.data = _sum_ages(result.data, list(spec.key), widths, log)
        notes.append(f"年齢の行を5歳階級の{len(result.data)}行にまとめました")
    if columns.ages:
        notes.append(f"横長の表を年齢階級ごとの{len(result.data)}行に変換"
                     + ("（1歳ごとの列を5歳階級にまとめて）" if columns.singles else ""))
    if columns.totals:
        checked = "年齢階級と年齢「不詳」" if columns.unknown else "年齢階級"
        notes.append(f"「{'」「'.join(columns.totals.values())}」は{checked}の合計と照合済み")
    if result.unknown_age is not None:
        notes.append(_unknown_note(result.unknown_age))
    if columns.ignored:
        notes.append(f"小計（再掲など）の列は使いません: {_terms(columns.ignored)}")
    tallies = [*columns.ages, *columns.totals.values(), *columns.unknown.values(),
               *(columns.found[c.name] for c in spec.columns if c.type == schema.TALLY and c.name in columns.found)]
    if note := _marks_note(frame, tallies):
        notes.append(note)
    for header, terms in result.own_terms.items():
        listed = "、".join(f"{term}（{count}行）" for term, count in list(terms.items())[:_SHOWN_TERMS])
        more = f" ほか{len(terms) - _SHOWN_TERMS}語" if len(terms) > _SHOWN_TERMS else ""
        notes.append(f"「{header}」のキットの語彙にない語は、独自の語として残しました: {listed}{more}")


def _finish(result: LoadResult, log: _Log) -> LoadResult:
    if log.error_count:
        result.data = None
    # Whole-file problems first, then by row; within a row, in column order.
    result.problems = sorted(log.problems, key=lambda problem: -1 if problem.row is None else problem.row)
    result.omitted = log.omitted
    return result
