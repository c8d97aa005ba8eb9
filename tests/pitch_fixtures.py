"""The worked example of notebook 04 as a Pitch, built from the sample town's tables:
奥沢's mobility issue (K01), case C009, the mobile shop of こだま食品 (S004)."""

from __future__ import annotations

from dataclasses import replace

from kit import datasets
from kit.steps.cases.issues import sample_issues
from kit.steps.pitch.cross_sector import FUKUSAKI, StandardAmounts, area_count
from kit.steps.pitch.domain import (
    Pitch,
    TownTables,
    partner_from_actor,
    story_from_case,
    suggested_figures,
)

ISSUE = next(issue for issue in sample_issues() if issue.id == "K01")

TEXTS = {
    "title": "奥沢の「自分で選んで買う」を、移動販売みどり号と一緒に続ける",
    "ki": "奥沢で一人暮らしのBさん（80代後半）は、自分で選んだ物を食べて暮らしたいと願っています。"
          "でも移動販売は週1回で、米や灯油のような重い物は買えません。",
    "sho": "Bさんだけではありません。奥沢の高齢化率は市全体の1.5倍、85歳以上はこれからも増えます。",
    "ten": "こだま食品さんに、奥沢の集会所2か所で停車時間を30分に延ばしていただき、"
           "その間に老人クラブがお茶と体操の時間をつくります。",
    "ketsu": "Bさんが重い物も自分で選んで買えるようになり、停車所が週1回の集いの場になります。",
    "gain_partner": "停車中の滞在が延びて1回あたりの売上が伸びる。常連のお客様が長くお客様であり続ける。",
    "gain_elders": "重い物も含めて自分で選んで買える。週1回、人と顔を合わせる機会ができる。",
    "gain_community": "買物のためのヘルパーや送迎に頼らずに暮らせる期間が延びる。見守りの目が一つ増える。",
    "existing": "みどり号の巡回ルート、奥沢老人クラブ連合の月1回のサロン、よろず商店の灯油配達",
    "people": "停車所ごとの世話役（老人クラブ）、調整役の第2層SC",
    "things": "集会所の駐車スペース、注文票",
    "money": "試行期間のチラシ代（住民参画・官民連携推進事業）",
    "roles": "こだま食品=販売と停車の延長、老人クラブ=声かけとお茶、SC=調整と振り返り、市=広報",
    "schedule": "6月 第2層協議体で共有 → 7月から3か月、2か所で試行 → 10月 振り返り",
}


def model_pitch(team: str = "3班") -> Pitch:
    areas = datasets.sample("areas")
    names = dict(zip(areas["地区コード"], areas["地区名"]))
    cases = datasets.sample("cases")
    story = story_from_case(cases[cases["事例ID"] == "C009"].iloc[0], names)
    figures = tuple(suggested_figures(TownTables.derive(datasets.sample("population"),
                                                           datasets.sample("certification"), areas), ISSUE))
    return replace(Pitch(team=team, **TEXTS), issue=ISSUE, story=story, figures=figures,
                   partners=(partner_from_actor(datasets.sample("actors"), "S004"),),
                   cross_sector=FUKUSAKI, standard=StandardAmounts(areas=area_count(areas)))


# --- page 04 without a browser: widgets found as a user finds them ----------------------------

def widgets_in(root):
    """Every widget under ``root`` (itself included), depth first."""
    yield root
    for child in getattr(root, "children", ()):
        yield from widgets_in(child)


def find(root, kind: type | None = None, *, cls: str = "", description: str = "", placeholder: str = ""):
    """The first widget under ``root`` of ``kind`` with that CSS class, label or placeholder."""
    for widget in widgets_in(root):
        if ((kind is None or isinstance(widget, kind)) and (not cls or cls in getattr(widget, "_dom_classes", ()))
                and (not description or getattr(widget, "description", None) == description)
                and (not placeholder or getattr(widget, "placeholder", None) == placeholder)):
            return widget
    raise LookupError(f"no widget {kind} {cls!r} {description!r} {placeholder!r}")


def shown(root) -> str:
    """What the page under ``root`` shows as text: HTML and labels, options, values typed."""
    parts = []
    for widget in widgets_in(root):
        value = getattr(widget, "value", None)
        if isinstance(value, str):
            parts.append(value)
        parts += [label for label in getattr(widget, "_options_labels", ())]
    return "\n".join(parts)
