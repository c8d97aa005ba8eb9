"""The pitch: one regional issue, its evidence, one person's story and a partner,
told as 起承転結, with what each of the three parties gains (三方よし) and the
skeleton a proposal must settle (seed 002, 事業立ち上げガイドブック).

A :class:`Pitch` is plain data, what both exports (slides, one-page summary)
read; :mod:`kit.steps.pitch.model` saves it field by field in the workspace.
:func:`check` turns what is missing or weak into pointed prompts in Japanese.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

import pandas as pd

from kit.masking import KINDS, NAME, PLACEHOLDERS, MaskResult, mask_text
from kit.reference import GROUPS
from kit.steps.actors import domain as actors
from kit.steps.assessment import domain as assessment
from kit.steps.cases.issues import RegionalIssue
from kit.steps.pitch.cross_sector import CrossSector, StandardAmounts
from kit.vocab import (
    GUIDEBOOK_ITEMS,
    LEGAL_ENTITY_MARKERS,
    POPULATION_KINDS,
    STORY_PARTS,
    THREE_WAY_GAINS,
    WHOLE_TOWN,
)

__all__ = [
    "RUBRIC",
    "RUBRIC_LEVELS",
    "TEXT_FIELDS",
    "Figure",
    "Partner",
    "Pitch",
    "Prompt",
    "Story",
    "TownTables",
    "check",
    "mask_keeping",
    "masked",
    "partner_from_actor",
    "partner_names",
    "partner_options",
    "rank_cases",
    "review_summary",
    "story_from_case",
    "suggested_figures",
]

_PARTIES = tuple(THREE_WAY_GAINS)            # 民間事業者, 高齢者, 地域社会
_PARTS = tuple(STORY_PARTS)                  # 起, 承, 転, 結

# Free-text fields of the canvas: name → (section, label, placeholder).
TEXT_FIELDS: dict[str, tuple[str, str, str]] = {
    "title": ("表紙", "提案のタイトル", "例: 奥沢の「買物に行ける」をスーパーと一緒に守る"),
    "ki": ("起承転結", f"起 — {STORY_PARTS['起']}",
           "例: 奥沢で一人暮らしのAさん（80代）は、バスの減便で週1回の買物に行けなくなった。"),
    "sho": ("起承転結", f"承 — {STORY_PARTS['承']}",
            "例: Aさんだけではない。奥沢の75歳以上は2040年まで増え続け、閉じこもり傾向の人は市内で最も多い。"),
    "ten": ("起承転結", f"転 — {STORY_PARTS['転']}",
            "例: ○○スーパーの移動販売を、奥沢の集会所2か所に週1回止めてもらう。"),
    "ketsu": ("起承転結", f"結 — {STORY_PARTS['結']}",
              "例: Aさんが自分で選んで買える。集会所が週1回の顔を合わせる場になる。"),
    "gain_partner": ("三方よし", f"{_PARTIES[0]}（連携先）が得るもの", "例: " + "、".join(THREE_WAY_GAINS[_PARTIES[0]][:2])),
    "gain_elders": ("三方よし", f"{_PARTIES[1]}が得るもの", "例: " + "、".join(THREE_WAY_GAINS[_PARTIES[1]][:2])),
    "gain_community": ("三方よし", f"{_PARTIES[2]}・市町村が得るもの", "例: " + "、".join(THREE_WAY_GAINS[_PARTIES[2]][:2])),
    "goal": ("立ち上げの骨組み", GUIDEBOOK_ITEMS[0], "空欄なら選んだ地域課題の文を使います"),
    "existing": ("立ち上げの骨組み", GUIDEBOOK_ITEMS[1], "例: ○○スーパーの既存の移動販売ルート、社協のサロン"),
    "people": ("立ち上げの骨組み", "準備するリソース — ヒト", "例: 販売員1名、集会所の鍵を開ける自治会役員"),
    "things": ("立ち上げの骨組み", "準備するリソース — モノ", "例: 移動販売車、集会所の駐車スペース"),
    "money": ("立ち上げの骨組み", "準備するリソース — カネ", "例: 車両の改装費は住民参画・官民連携推進事業で試行期間のみ補助"),
    "roles": ("立ち上げの骨組み", GUIDEBOOK_ITEMS[3], "例: スーパー=販売、自治会=場所と声かけ、SC=調整、市=広報"),
    "schedule": ("立ち上げの骨組み", GUIDEBOOK_ITEMS[4], "例: 6月 協議体で共有 → 7月 試行（2か所） → 10月 振り返り"),
}

# Words that show a partner's gain is about its business, not only goodwill
# (seed 000: 官民連携では民間事業者の目線に立つ).
_BUSINESS_WORDS = ("顧客", "お客", "客", "売上", "市場", "来店", "利用", "信頼", "人手", "スタッフ",
                   "採用", "販路", "集客", "宣伝", "広報", "認知", "ブランド", "リスク", "収益", "本業")
_GOODWILL_WORDS = ("社会貢献", "地域貢献", "CSR", "ボランティア")
_TIME_CUE = re.compile(r"\d|[月年週日春夏秋冬旬期]")


@dataclass(frozen=True)
class Figure:
    """A number that shows the size of the need, with where it came from.

    ``town_value`` (the whole town, the nation, or an earlier year) makes it
    comparable on the chart; the labels name the two bars."""

    label: str
    value: float
    unit: str = ""
    source: str = ""
    town_value: float | None = None
    town_label: str = "市全体"
    value_label: str = "対象地区"

    def text(self) -> str:
        compare = ""
        if self.town_value is not None:
            compare = f"（{self.town_label} {_number(self.town_value)}{self.unit}）"
        return f"{self.label}: {_number(self.value)}{self.unit}{compare}"


def _number(value: float) -> str:
    """1234.0 → 1,234; 28.25 → 28.3: whole numbers without a trailing .0."""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


@dataclass(frozen=True)
class Story:
    """One person's story, de-identified: a profile built from coded fields, and
    free text only after masking."""

    case_id: str = ""
    profile: str = ""
    wish: str = ""
    trouble: str = ""

    def text(self) -> str:
        parts = [self.profile]
        if self.wish:
            parts.append(f"望み: {self.wish}")
        if self.trouble:
            parts.append(f"困りごと: {self.trouble}")
        return " ／ ".join(part for part in parts if part)


@dataclass(frozen=True)
class Partner:
    """An actor the proposal is made to. Contact data (担当者, 電話, メール) never enters a pitch."""

    name: str
    actor_id: str = ""
    kind: str = ""
    offer: str = ""      # 本業・サービス内容 / できること
    values: str = ""     # 価値を感じていること (from the open interview)


@dataclass(frozen=True)
class Prompt:
    section: str
    text: str


@dataclass(frozen=True)
class Pitch:
    team: str = ""
    issue: RegionalIssue | None = None
    figures: tuple[Figure, ...] = ()
    story: Story | None = None
    partners: tuple[Partner, ...] = ()
    cross_sector: CrossSector | None = None
    standard: StandardAmounts | None = None
    title: str = ""
    ki: str = ""
    sho: str = ""
    ten: str = ""
    ketsu: str = ""
    gain_partner: str = ""
    gain_elders: str = ""
    gain_community: str = ""
    goal: str = ""
    existing: str = ""
    people: str = ""
    things: str = ""
    money: str = ""
    roles: str = ""
    schedule: str = ""

    @property
    def goal_text(self) -> str:
        """解決を目指す地域課題: as written, else the chosen issue's statement."""
        return self.goal.strip() or (self.issue.statement if self.issue else "")

    @property
    def title_text(self) -> str:
        return self.title.strip() or self.goal_text or "地域づくりの提案"

    def parts(self) -> list[tuple[str, str, str]]:
        """(起, its role, text) for the four parts of the story."""
        return [(part, STORY_PARTS[part], getattr(self, name))
                for part, name in zip(_PARTS, ("ki", "sho", "ten", "ketsu"))]

    def gains(self) -> list[tuple[str, str]]:
        return [(TEXT_FIELDS[name][1], getattr(self, name))
                for name in ("gain_partner", "gain_elders", "gain_community")]

    def skeleton(self) -> list[tuple[str, str]]:
        """The guidebook's five items; resources join ヒト・モノ・カネ in one entry."""
        resources = "\n".join(f"{label}: {text}" for label, text in
                              (("ヒト", self.people), ("モノ", self.things), ("カネ", self.money)) if text.strip())
        texts = (self.goal_text, self.existing, resources, self.roles, self.schedule)
        return list(zip(GUIDEBOOK_ITEMS, texts))


# --- ingredients -----------------------------------------------------------------------

def rank_cases(cases: pd.DataFrame, issue: RegionalIssue | None) -> pd.DataFrame:
    """Cases in the order a team should look at them for ``issue``: the issue's own
    cases first, then by how many of its life issues they share, then those in its areas."""
    if issue is None or cases.empty:
        return cases
    own = cases["事例ID"].isin(issue.case_ids)
    shared = cases["生活課題"].map(lambda cell: len(set(actors.terms(cell)) & set(issue.life_issues)))
    in_area = cases["地区コード"].isin(issue.areas) if issue.areas else pd.Series(True, index=cases.index)
    order = own.astype(int) * 100 + shared * 10 + in_area.astype(int)
    ranked = cases.assign(_order=order).sort_values("_order", ascending=False, kind="stable")
    return ranked.drop(columns="_order")


def story_from_case(case: pd.Series, area_names: dict[str, str]) -> Story:
    """A story from one case: the profile from coded fields, 本人の望み and 困りごと
    only as masked (names, phones, addresses and birth dates replaced)."""
    area = actors.text(case.get("地区コード"))
    band = actors.text(case.get("年齢階級"))
    profile = "・".join(part for part in (
        area_names.get(area, area), band and f"{band}歳", actors.text(case.get("性別")),
        actors.text(case.get("世帯")), actors.text(case.get("要介護度"))) if part)
    tags = actors.terms(case.get("生活課題"))
    if tags:
        profile += f"（生活課題: {'・'.join(tags)}）"
    return Story(case_id=actors.text(case.get("事例ID")), profile=profile,
                 wish=mask_text(actors.text(case.get("本人の望み"))).text,
                 trouble=mask_text(actors.text(case.get("困りごと"))).text)


_REASON_SHOWN = 60  # characters of the team's reason a partner's label shows


def partner_options(table: pd.DataFrame, issue: RegionalIssue | None, area_names: dict[str, str],
                    chosen: Sequence = ()) -> list[tuple[str, str]]:
    """(label, 主体ID) of every actor, once: first those the team chose in 03 for
    ``issue`` (``chosen``: :class:`kit.steps.actors.model.ChosenPartner`; all of
    them when no issue is chosen), with the team's reason; then the issue's
    candidates in the order of :func:`kit.steps.actors.domain.match_issues`, with
    why they match; then the others by name."""
    table = actors.normalise(table)

    def label(row, note: str = "") -> str:
        return f"{actors.text(row.名称)}（{actors.text(row.主体種別) or '種別未記入'}）" + (f"— {note}" if note else "")

    rows = {row.主体ID: row for row in table.itertuples(index=False)}
    first: dict[str, str] = {}
    for pick in chosen:
        if pick.actor_id in rows and pick.actor_id not in first and (issue is None or pick.issue_id == issue.id):
            reason = pick.reason if len(pick.reason) <= _REASON_SHOWN else pick.reason[:_REASON_SHOWN] + "…"
            first[pick.actor_id] = label(rows[pick.actor_id], f"チームが選んだ連携先: {reason or '理由未記入'}")
    matches = actors.match_issues([issue], table, area_names) if issue else pd.DataFrame(columns=["主体ID"])
    for row in matches.itertuples(index=False):
        first.setdefault(row.主体ID, label(row, f"候補: {'・'.join(row.一致した生活課題)}"))
    rest = table[~table["主体ID"].isin(first)].sort_values("名称", kind="stable")
    return ([(text, actor_id) for actor_id, text in first.items()]
            + [(label(row), row.主体ID) for row in rest.itertuples(index=False)])


def partner_from_actor(table: pd.DataFrame, actor_id: str) -> Partner:
    """The partner card of one actor; contact names and numbers quoted in its free
    text are replaced (:func:`kit.steps.actors.domain.mask_contacts`)."""
    table = actors.normalise(table)
    row = table[table["主体ID"] == actor_id]
    if row.empty:
        raise KeyError(f"主体ID「{actor_id}」は多様な主体リストにありません。")
    safe, _ = actors.mask_contacts(row, table, ["本業・サービス内容", "できること・やりたいこと",
                                                "価値を感じていること"])
    actor = safe.iloc[0]
    offer = "。".join(t for t in (actors.text(actor["本業・サービス内容"]),
                                  actors.text(actor["できること・やりたいこと"])) if t)
    return Partner(name=actors.text(actor["名称"]), actor_id=actor_id, kind=actors.text(actor["主体種別"]),
                   offer=offer, values=actors.text(actor["価値を感じていること"]))


@dataclass(frozen=True)
class TownTables:
    """The 地域診断 tables (:mod:`kit.steps.assessment.domain`) figures are suggested from, derived
    once per page: deriving them at every issue chosen took a tenth of a second."""
    population: pd.DataFrame       # population_table, indexed by (地区コード, 年, 年齢区分)
    now: int                       # its last actual year
    last: int                      # its last year, projected or not
    certification: pd.DataFrame    # certification_table of the latest year; empty without data
    names: dict[str, str]          # 地区コード → 地区名, the town included

    @classmethod
    def derive(cls, population: pd.DataFrame, certification: pd.DataFrame, areas: pd.DataFrame) -> TownTables:
        """Raises KeyError or ValueError for tables the assessment cannot read."""
        table = assessment.population_table(population, areas)
        counted = table.loc[table["区分"] == POPULATION_KINDS[0], "年"]
        if counted.empty:
            raise ValueError("人口のデータに実績の年がありません")
        now = int(counted.max())
        cert = (assessment.certification_table(certification, population, areas, int(certification["年"].max()))
                if not certification.empty else pd.DataFrame())
        return cls(table.set_index(["地区コード", "年", "年齢区分"]), now, int(table["年"].max()), cert,
                   assessment.area_names(areas))


def suggested_figures(town: TownTables, issue: RegionalIssue | None) -> list[Figure]:
    """Figures of 地域診断 for the issue's areas, each with a comparison: 高齢化率
    against the town, 85歳以上 in the last projected year against the last actual
    one, 認定率 against the town. The town when the issue names no area."""
    table, names, now, last = town.population, town.names, town.now, town.last
    codes = [code for code in (issue.areas if issue and issue.areas else ()) if code in names] or [WHOLE_TOWN]

    def value(code: str, year: int, group: str, column: str) -> float:
        key = (code, year, group)
        return float(table.at[key, column]) if key in table.index else math.nan

    figures = []
    for code in codes:
        name = names[code] if code != WHOLE_TOWN else "市全体"
        if code != WHOLE_TOWN:
            figures.append(Figure(f"{name}の高齢化率（{now}年）", round(value(code, now, GROUPS[1], "割合"), 1), "%",
                                  f"地域診断（人口 {now}年 実績）", round(value(WHOLE_TOWN, now, GROUPS[1], "割合"), 1)))
        if last > now:
            figures.append(Figure(f"{name}の85歳以上人口（{last}年）", value(code, last, GROUPS[3], "人口"), "人",
                                  f"地域診断（人口 {last}年 推計）", value(code, now, GROUPS[3], "人口"),
                                  town_label=f"{now}年", value_label=f"{last}年"))
    if not town.certification.empty:
        year = int(town.certification["年"].iloc[0])
        rates = town.certification.set_index("地区コード")["認定率"]
        for code in codes:
            if code != WHOLE_TOWN and code in rates.index:
                figures.append(Figure(f"{names[code]}の要介護認定率（{year}年）", round(float(rates[code]), 1), "%",
                                      f"地域診断（要介護認定 {year}年）", round(float(rates[WHOLE_TOWN]), 1)))
    return [figure for figure in figures if math.isfinite(figure.value)]


# --- personal data ---------------------------------------------------------------------

def mask_keeping(text: str, keep: tuple[str, ...]) -> MaskResult:
    """``text`` masked, except names that are part of a partner's name in ``keep``
    (a team writes 「みどりスーパーさん」) and お客様, which the masker takes for a
    name before 様."""
    pieces, found, position = [], [], 0
    for item in mask_text(text).found:
        kept = item.original.endswith("お客") or any(item.original in name for name in keep)
        if item.kind == NAME and kept:
            continue
        pieces += [text[position:item.start], PLACEHOLDERS[item.kind]]
        found.append(item)
        position = item.end
    return MaskResult("".join(pieces) + text[position:], tuple(found))


def partner_names(pitch: Pitch) -> tuple[str, ...]:
    return tuple(p.name for p in pitch.partners if p.name)


def _mask(text: str, keep: tuple[str, ...]) -> tuple[str, list[str]]:
    """:func:`mask_keeping`, with the kinds of what was masked."""
    result = mask_keeping(text, keep)
    return result.text, [item.kind for item in result.found]


def masked(pitch: Pitch) -> tuple[Pitch, dict[str, int]]:
    """The pitch with personal data replaced in every free text, and how many of
    each kind were replaced; what the exports are made from."""
    keep = partner_names(pitch)
    found: list[str] = []

    def clean(text: str) -> str:
        out, kinds = _mask(text, keep)
        found.extend(kinds)
        return out

    changes = {name: clean(getattr(pitch, name)) for name in TEXT_FIELDS}
    if pitch.story is not None:
        story = pitch.story
        changes["story"] = replace(story, wish=clean(story.wish), trouble=clean(story.trouble))
    changes["partners"] = tuple(replace(p, offer=clean(p.offer), values=clean(p.values))
                                for p in pitch.partners)
    changes["figures"] = tuple(replace(f, label=clean(f.label), source=clean(f.source))
                               for f in pitch.figures)
    if pitch.issue is not None:
        changes["issue"] = replace(pitch.issue, statement=clean(pitch.issue.statement),
                                   evidence=clean(pitch.issue.evidence))
    counts = {kind: found.count(kind) for kind in KINDS if kind in found}
    return replace(pitch, **changes), counts


# --- completeness ----------------------------------------------------------------------

def _blank(text: str) -> bool:
    return not text or not text.strip()


def _name_forms(name: str) -> set[str]:
    """How a team may write a partner's name: 有限会社こだま食品(移動販売みどり号) is
    also こだま食品 or 移動販売みどり号."""
    forms = {name}
    for marker in LEGAL_ENTITY_MARKERS:
        name = name.replace(marker, " ")
    forms |= set(re.split(r"[()（）\s]+", name))
    return {form for form in forms if len(form) >= 2}


def _partner_gain_prompts(pitch: Pitch) -> list[str]:
    if _blank(pitch.gain_partner):
        hint = next((f"（{p.name}は「{p.values}」に価値を感じています）" for p in pitch.partners if p.values), "")
        return ["連携先が得るものがまだ書かれていません。相手の本業にとっての得を書きましょう。" + hint]
    text = pitch.gain_partner
    if any(word in text for word in _GOODWILL_WORDS) and not any(word in text for word in _BUSINESS_WORDS):
        return ["連携先が得るものが「社会貢献」だけになっています。お客様が通い続ける、新しい市場、"
                "住民からの信頼、人手など、本業にとっての得を書きましょう。"]
    return []


def check(pitch: Pitch) -> list[Prompt]:
    """What is missing or weak, as prompts a team can act on; empty when complete."""
    prompts: list[Prompt] = []

    def need(section: str, text: str) -> None:
        prompts.append(Prompt(section, text))

    if _blank(pitch.goal_text):
        need("材料", "解決を目指す地域課題がまだ決まっていません。課題を選ぶか、自分で書きましょう。")
    if not pitch.figures:
        need("材料", "需要の大きさを示す数字がありません。地域診断から、対象地区の数字を1つ以上入れましょう。")
    for figure in pitch.figures:
        if _blank(figure.source):
            need("材料", f"数字「{figure.label}」の出典が書かれていません。聞かれたときに答えられるようにしましょう。")
    if pitch.story is None and _blank(pitch.ki):
        need("材料", "一人の物語がありません。個別事例を1つ選ぶか、起 に一人の暮らしを書きましょう。")
    if not pitch.partners:
        need("材料", "連携先がまだ選ばれていません。多様な主体リストから、提案する相手を選びましょう。")
    for part, role, text in pitch.parts():
        if _blank(text):
            need("起承転結", f"{part}（{role}）がまだ書かれていません。")
    if pitch.partners and not _blank(pitch.ten) and not any(
            form in pitch.ten for p in pitch.partners for form in _name_forms(p.name)):
        need("起承転結", "転（提案）に連携先の名前が出てきません。誰に何をお願いするのかを書きましょう。")
    for text in _partner_gain_prompts(pitch):
        need("三方よし", text)
    if _blank(pitch.gain_elders):
        need("三方よし", "高齢者が得るものがまだ書かれていません。")
    if _blank(pitch.gain_community):
        need("三方よし", "地域社会・市町村が得るものがまだ書かれていません。")
    if _blank(pitch.existing):
        need("立ち上げの骨組み", "活用できる既存事業・取組がまだ書かれていません。ゼロから作らずに済むものはありませんか。")
    for label, text in (("ヒト", pitch.people), ("モノ", pitch.things), ("カネ", pitch.money)):
        if _blank(text):
            need("立ち上げの骨組み", f"準備するリソースの「{label}」がまだ書かれていません。")
    if _blank(pitch.roles):
        need("立ち上げの骨組み", "役割分担がまだ書かれていません。誰が何をするのかを書きましょう。")
    if _blank(pitch.schedule):
        need("立ち上げの骨組み", "立ち上げまでのスケジュールがまだ書かれていません。最初の一歩はいつ、何をしますか。")
    elif not _TIME_CUE.search(pitch.schedule):
        need("立ち上げの骨組み", "スケジュールに時期が書かれていません。「6月に試行」のように、いつ何をするかを書きましょう。")
    return prompts


# --- peer review -----------------------------------------------------------------------

# What teams ask of each other's pitch, each scored 1–4.
RUBRIC: tuple[tuple[str, str], ...] = (
    ("issue", "課題がはっきりしているか"),
    ("evidence", "数字と一人の物語が裏づけているか"),
    ("partner_gain", "連携先にとっての得が見えるか"),
    ("first_step", "最初の一歩が実行できそうか"),
)
RUBRIC_LEVELS: dict[int, str] = {1: "まだ", 2: "もう少し", 3: "よい", 4: "とてもよい"}


def review_summary(reviews: dict | None) -> pd.DataFrame:
    """Average score per rubric question over the reviews a team received."""
    reviews = reviews or {}
    rows = [{"観点": question, "平均": (sum(r["scores"][key] for r in reviews.values()) / len(reviews)
                                      if reviews else float("nan")), "件数": len(reviews)}
            for key, question in RUBRIC]
    return pd.DataFrame(rows, columns=["観点", "平均", "件数"])
