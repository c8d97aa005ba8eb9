"""``load(kind, source)``: one user file → a canonical DataFrame, or a refusal.

The file's headers are matched to the canonical columns of the kind (exact
name, ``vocab.HEADER_SYNONYMS`` or the caller's ``mapping``), every canonical
cell is parsed and checked, and every problem is reported in Japanese with the
row as Excel shows it. A file with any error is refused whole (``data`` is
None); warnings do not stop a load.

The returned frame has the kind's canonical columns in contract order (absent
optional ones all missing), then the user's other columns as normalised text.
Its index is the Excel row each record came from (name ``行``).
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
from kit.io import normalize as nz
from kit.io import schema
from kit.io.schema import ColumnSpec, KindSpec
from kit.io.bounds import check_shape
from kit.io.tables import DEFAULT_MAX_BYTES, Source, TableError, read_table
from kit.limits import table_limits

__all__ = ["KINDS", "MAX_PROBLEMS", "LoadResult", "Problem", "load"]

KINDS = schema.KINDS
# Problems kept per load; beyond this only their number is kept.
MAX_PROBLEMS = 10_000
_SHOWN_TERMS = 8
_LATITUDE = (20.0, 46.0)      # Japan, 沖ノ鳥島 to 択捉島
_LONGITUDE = (122.0, 154.0)   # Japan, 与那国島 to 南鳥島
_UNKNOWN_AGE = frozenset({"不詳", "年齢不詳"})
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
        # Age-band columns of a wide population table are summed up in notes instead.
        renamed = [f"「{header}」→{target}" for header, target in self.mapping.items()
                   if schema.header_key(header) != schema.header_key(target) and _band_of(header) is None]
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
        schema.TEXT: _text, schema.ID: _text, schema.COUNT: nz.parse_count,
        schema.NUMBER: nz.parse_number, schema.YEAR: nz.parse_year, schema.DATE: nz.parse_date,
        schema.FLAG: nz.parse_flag, schema.AGE_BAND: nz.parse_age_band,
    }[kind]


def _typed(values: np.ndarray, kind: str) -> pd.Series:
    """Canonical values as a Series of the type's dtype; missing stays missing."""
    if kind in (schema.COUNT, schema.YEAR):
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


@dataclass
class _Columns:
    found: dict[str, str]          # canonical → user header
    unmapped: list[str]
    bands: dict[str, str]          # population wide form: user header → age band
    total: str | None = None       # population wide form: the 総数 column
    unknown_age: str | None = None  # population wide form: the 年齢不詳 column


def _match_columns(spec: KindSpec, headers: list[str], mapping: Mapping[str, str | None], log: _Log) -> _Columns:
    lookup = schema.header_lookup(spec.kind)
    chosen = {schema.header_key(header): target for header, target in mapping.items()}
    for header in mapping:
        if schema.header_key(header) not in map(schema.header_key, headers):
            log.warning(None, header, "対応を指定された列がファイルにありません")
    found: dict[str, str] = {}
    unmapped: list[str] = []
    for header in headers:
        key = schema.header_key(header)
        target = chosen[key] if key in chosen else lookup.get(key)
        if target and target not in spec.names:
            log.error(None, header, f"「{target}」は{spec.label}の列ではありません（列: {_terms(spec.names)}）")
            target = None
        if not target:
            unmapped.append(header)
        elif target in found:
            # Two columns for one: the one headed exactly so wins, else the first.
            kept, dropped = found[target], header
            if key == schema.header_key(target):
                kept, dropped = header, found[target]
            log.warning(None, dropped, f"「{kept}」と同じく「{target}」に当たる列です。「{kept}」を使い、この列は使いません")
            found[target] = kept
            unmapped.append(dropped)
        else:
            found[target] = header
    columns = _Columns(found, unmapped, bands={})
    if spec.kind == "population" and "年齢階級" not in found and "人口" not in found:
        _find_wide_columns(columns)
    return columns


def _band_of(header: str) -> str | None:
    try:
        return nz.parse_age_band(header)
    except ValueError:
        return None


def _find_wide_columns(columns: _Columns) -> None:
    """Population printed one column per age band (e-Stat, 住基): take the
    band columns, and the 総数 / 年齢不詳 columns used to check their sum."""
    bands = {header: band for header in columns.unmapped if (band := _band_of(header))}
    if len(bands) < 2:
        return
    columns.bands = bands
    for header in columns.unmapped:
        label = nz.normalize_header(header)
        if label in nz.TOTAL_LABELS and columns.total is None:
            columns.total = header
        elif label in _UNKNOWN_AGE and columns.unknown_age is None:
            columns.unknown_age = header
    used = {*bands, columns.total, columns.unknown_age}
    columns.unmapped = [header for header in columns.unmapped if header not in used]


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


def _check_wide_total(counts: dict[str, np.ndarray], columns: _Columns, rows: np.ndarray, log: _Log) -> None:
    parts = [counts[header] for header in columns.bands]
    if columns.unknown_age is not None:
        parts.append(counts[columns.unknown_age])
    for position, expected in enumerate(counts[columns.total]):
        values = [part[position] for part in parts]
        if expected is None or any(value is None for value in values):
            continue
        if sum(values) != expected:
            log.error(rows[position], columns.total,
                      f"総数 {expected:,} が年齢階級の合計 {sum(values):,} と合いません（列の読み違いがないか確かめてください。総数の列を消せば照合しません）")


# ----------------------------------------------------------------- the loader


def _drop_total_rows(frame: pd.DataFrame, rows: np.ndarray, header: str, log: _Log) -> tuple[pd.DataFrame, np.ndarray]:
    """Long population files often carry 総数 and 年齢不詳 rows; they are not bands."""
    labels = _map_values(frame[header], nz.normalize_header)
    skip = np.isin(labels.astype(str), list(nz.TOTAL_LABELS | _UNKNOWN_AGE))
    if skip.any():
        where = _terms(f"{row}行目" for row in rows[skip])
        log.warning(None, header, f"年齢階級が総数・不詳の行（{where}）は5歳刻みの階級ではないので読み飛ばしました")
    return frame[~skip].reset_index(drop=True), rows[~skip]


def _to_long(frame: pd.DataFrame, columns: _Columns, parsed: dict[str, np.ndarray], rows: np.ndarray) -> tuple[pd.DataFrame, np.ndarray]:
    """Wide population (one column per band) → one row per band."""
    ordered = sorted(columns.bands, key=lambda header: vocab.AGE_BANDS.index(columns.bands[header]))
    count = len(ordered)
    long = frame.loc[np.repeat(np.arange(len(frame)), count)].reset_index(drop=True)
    long["年齢階級"] = pd.Series(np.tile([columns.bands[header] for header in ordered], len(frame)))
    long["人口"] = _typed(np.column_stack([parsed[header] for header in ordered]).ravel(), schema.COUNT)
    return long, np.repeat(rows, count)


def _display_name(source: Source, filename: str | None) -> str:
    if filename:
        return Path(filename).name
    if isinstance(source, (bytes, bytearray, memoryview)):
        return "アップロードされたファイル"
    return Path(source).name


def _parse_columns(spec: KindSpec, columns: _Columns, frame: pd.DataFrame, rows: np.ndarray,
                   known: frozenset[str] | None, log: _Log) -> dict[str, pd.Series]:
    """Every canonical column present, parsed and typed; absent columns with a
    default are filled with it (and the user told)."""
    out: dict[str, pd.Series] = {}
    for column in spec.columns:
        header = columns.found.get(column.name)
        if header is None:
            if column.default is not None:
                log.warning(None, None, f"「{column.name}」の列がないので、すべて「{column.default}」として読みました")
                out[column.name] = _typed(np.full(len(frame), column.default, dtype=object), column.type)
            continue
        values, bad = _parse_column(frame[header], _parser(column, known))
        for position, message in bad:
            log.error(rows[position], header, message)
        if column.nonempty:
            refused = {position for position, _ in bad}
            for position in np.flatnonzero(pd.isna(values.astype(object))):
                if position not in refused:
                    log.error(rows[position], header, "値がありません（この列は空にできません）")
        out[column.name] = _typed(values, column.type)
        if column.unique:
            _check_unique(out[column.name], rows, header, log)
    return out


def _parse_bands(columns: _Columns, frame: pd.DataFrame, rows: np.ndarray, log: _Log) -> dict[str, np.ndarray]:
    """Counts of the wide population columns (bands, 総数, 年齢不詳), checked."""
    counts = {}
    for header in [*columns.bands, columns.total, columns.unknown_age]:
        if header is not None:
            counts[header], bad = _parse_column(frame[header], nz.parse_count)
            for position, message in bad:
                log.error(rows[position], header, message)
    absent = [band for band in vocab.AGE_BANDS if band not in columns.bands.values()]
    if absent:
        log.warning(None, None, f"年齢階級の列が{len(vocab.AGE_BANDS)}のうち{len(columns.bands)}です（ない階級: {_terms(absent)}）")
    if columns.total is not None:
        _check_wide_total(counts, columns, rows, log)
    return counts


def _check_flags(columns: _Columns, log: _Log) -> None:
    """A survey with some ready-made flags but not all was probably misheaded."""
    present = [flag for flag in vocab.RISK_FLAGS if flag in columns.found]
    if 0 < len(present) < len(vocab.RISK_FLAGS):
        absent = [flag for flag in vocab.RISK_FLAGS if flag not in present]
        log.warning(None, None, f"リスク判定の列がそろっていません（ない列: {'、'.join(absent)}）")


def _assemble(spec: KindSpec, columns: _Columns, frame: pd.DataFrame, rows: np.ndarray,
              out: dict[str, pd.Series], counts: dict[str, np.ndarray]) -> pd.DataFrame:
    """Canonical columns in contract order (absent ones all missing), then the
    user's other columns. Built without copying the columns: they can be most
    of a large file."""
    wide_columns = ("年齢階級", "人口") if columns.bands else ()
    parts = {column.name: out.get(column.name, _typed(np.full(len(frame), None, dtype=object), column.type))
             for column in spec.columns if column.name not in wide_columns}
    for header in columns.unmapped:
        parts[f"{header}(元の列)" if header in spec.names else header] = _normalized(frame[header])
    data = pd.DataFrame(parts, copy=False)
    if columns.bands:
        data, rows = _to_long(data, columns, counts, rows)
        data = data[[*spec.names, *(name for name in data if name not in spec.names)]]
    data.index = pd.Index(rows, name="行")
    return data


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
    ``sheet``: the .xlsx sheet to read instead of the first. ``max_bytes``: larger
    files are refused unread.
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
        key = schema.header_key(cell)
        return key in lookup or key in mapped_keys or (kind == "population" and _band_of(cell) is not None)

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
    result.mapping = {header: target for target, header in columns.found.items()}
    result.mapping.update({header: "人口" for header in columns.bands})
    result.unmapped = list(columns.unmapped)
    wide_columns = ("年齢階級", "人口") if columns.bands else ()
    result.missing = [c.name for c in spec.columns if c.required and c.default is None
                      and c.name not in columns.found and c.name not in wide_columns]
    for name in result.missing:
        log.error(None, None, f"必須の列「{name}」が見つかりません（見出しは{table.header_row}行目として読みました）。"
                              "見出しを直すか、どの列がそれに当たるかを指定してください")
    frame, rows = table.frame, table.rows
    if frame.empty:
        log.error(None, None, "見出しの行だけで、データの行がありません")
        return _finish(result, log)
    if kind == "population" and "年齢階級" in columns.found:
        frame, rows = _drop_total_rows(frame, rows, columns.found["年齢階級"], log)
    result.rows_read = len(frame)

    known = None if known_areas is None else frozenset(nz.normalize_text(code) for code in known_areas)
    out = _parse_columns(spec, columns, frame, rows, known, log)
    counts = _parse_bands(columns, frame, rows, log) if columns.bands else {}
    if spec.key:
        key = [name for name in spec.key if name in out]
        _check_key(pd.DataFrame({name: out[name] for name in key}), key, rows, log)
    if kind == "needs_survey":
        _check_flags(columns, log)
    if kind == "actors" and "主体ID" in out:
        _check_actor_duplicates(frame, columns, out["主体ID"], rows, log)
    if not log.error_count:
        result.data = _assemble(spec, columns, frame, rows, out, counts)
        if columns.bands:
            result.notes.append(f"横長の表を年齢階級ごとの{len(result.data)}行に変換")
        if columns.total:
            result.notes.append(f"「{columns.total}」は年齢階級の合計と照合済み")
    return _finish(result, log)


def _finish(result: LoadResult, log: _Log) -> LoadResult:
    if log.error_count:
        result.data = None
    # Whole-file problems first, then by row; within a row, in column order.
    result.problems = sorted(log.problems, key=lambda problem: -1 if problem.row is None else problem.row)
    result.omitted = log.omitted
    return result
