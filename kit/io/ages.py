"""Which age bands a population table's age labels go to.

Real tables label ages in many ways: 5-year bands (``65～69歳``), single years
(``65歳``, as 住民基本台帳 tables print them), an open last band (``100歳以上``,
``90歳以上``), subtotals beside the bands (``85歳以上`` next to ``85～89歳`` …),
and a sex before or after the age in a header (``男／0～4歳``, ``0～4歳(女)``).
These pure functions decide, for a whole table at once, the band each label is
counted in, the labels that are subtotals to leave out, and the labels that
cannot be used (with a Japanese sentence); the reader applies the decision.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field

from kit import vocab
from kit.io import normalize as nz

__all__ = ["AgeDecision", "AgeItem", "assign_bands", "band_lower", "split_sex"]

# Sex words a header may carry before or after an age, longest first (女性 before 女).
_SEX_WORDS = sorted({**{sex: sex for sex in vocab.SEXES},
                     **{word: sex for word, sex in vocab.VALUE_SYNONYMS.items() if sex in vocab.SEXES}}.items(),
                    key=lambda item: -len(item[0]))
_JOINERS = "/_・:-"
_TOP = int(vocab.OPEN_AGE_BANDS[-1][:-1])


def split_sex(header: object) -> tuple[str | None, str]:
    """``男／0～4歳`` → (男, 0~4歳); ``0～4歳(女)`` → (女, 0~4歳); ``総数`` → (None, 総数).
    The rest is the header normalised (NFKC, no spaces)."""
    text = nz.normalize_header(header)
    for word, sex in _SEX_WORDS:
        if text.startswith(word) and len(text) > len(word):
            return sex, text[len(word):].lstrip(_JOINERS)
    for word, sex in _SEX_WORDS:
        for before, after in (("(", ")"), ("/", ""), ("_", ""), ("・", "")):
            ending = f"{before}{word}{after}"
            if text.endswith(ending) and len(text) > len(ending):
                return sex, text[:-len(ending)]
    return None, text


def band_lower(band: str) -> int:
    """The first age of a band: ``65-69`` → 65, ``90+`` → 90."""
    return int(band.split("-")[0].rstrip("+"))


@dataclass(frozen=True)
class AgeItem:
    key: Hashable                    # a header, or a label of a long table's age column
    sex: str | None                  # from the header; None when the table has no sex there
    span: tuple[int, int | None]     # (first age, last age or None when open)
    label: str                       # as the user wrote it, for messages


@dataclass
class AgeDecision:
    bands: dict[Hashable, str] = field(default_factory=dict)      # key → band it is counted in
    subtotals: dict[Hashable, str] = field(default_factory=dict)  # key → why it is left out
    errors: dict[Hashable, str] = field(default_factory=dict)     # key → why it cannot be used
    singles: bool = False            # some bands are summed from single years
    merged: bool = False             # some band is summed from several labels (singles, 100～104歳 …)
    # (sex, band) of single years whose five ages are not all there → the ages missing.
    incomplete: dict[tuple[str | None, str], list[int]] = field(default_factory=dict)


def _ages(span: tuple[int, int | None], top: int) -> range:
    low, high = span
    return range(low, (top if high is None else high) + 1)


def _decide_group(items: list[AgeItem], decision: AgeDecision) -> None:
    """The items of one sex (or of a whole long column)."""
    singles = [item for item in items if item.span[1] is not None and item.span[0] == item.span[1]]
    five = [item for item in items if item.span[1] is not None and item.span[1] - item.span[0] == 4
            and item.span[0] % 5 == 0]
    opens = [item for item in items if item.span[1] is None]
    if five and singles:
        for item in singles:
            decision.subtotals[item.key] = "5歳階級の列があるので、1歳ごとの列は使いません"
        singles = []
        items = [item for item in items if item.key not in decision.subtotals]
    top = max((item.span[0] for item in opens), default=None)
    fine = [*five, *singles] + [item for item in opens if item.span[0] == top]
    covered = {age for item in fine for age in _ages(item.span, max(top or 0, _TOP))}
    for item in items:
        if item in fine:
            continue
        # A wider span whose ages the finer ones all cover: a subtotal (65～74歳, 85歳以上).
        if set(_ages(item.span, (top - 1) if top is not None else _TOP)) <= covered:
            decision.subtotals[item.key] = "ほかの年齢の列と重なる小計なので使いません"
            continue
        try:
            decision.bands[item.key] = nz.band_of_span(item.span, item.label)
        except ValueError as error:
            decision.errors[item.key] = str(error)
    for item in fine:
        if top is not None and top < _TOP and item.span[1] is not None and item.span[1] >= top:
            decision.errors[item.key] = (f"{nz.quote(item.label)}は「{top}歳以上」の列と年齢が重なっています"
                                         "（どちらか一方にしてください）")
            continue
        try:
            decision.bands[item.key] = nz.band_of_span(item.span, item.label)
        except ValueError as error:
            decision.errors[item.key] = str(error)
    if singles:
        decision.singles = True
        present: dict[str, set[int]] = {}
        for item in singles:
            if item.key in decision.bands:
                present.setdefault(decision.bands[item.key], set()).add(item.span[0])
        for band, ages in present.items():
            if not band.endswith("+"):
                wanted = set(range(band_lower(band), band_lower(band) + 5))
                if missing := sorted(wanted - ages):
                    decision.incomplete[(items[0].sex, band)] = missing


def assign_bands(items: Iterable[AgeItem]) -> AgeDecision:
    """Decide, sex by sex, the band of every age item of a table."""
    decision = AgeDecision()
    groups: dict[str | None, list[AgeItem]] = {}
    for item in items:
        groups.setdefault(item.sex, []).append(item)
    for group in groups.values():
        _decide_group(group, decision)
        bands = [decision.bands[item.key] for item in group if item.key in decision.bands]
        decision.merged |= len(set(bands)) < len(bands)
    return decision
