"""The sample town みどり野市: reproducible, and plausible to a user who knows the national figures."""

import json
import re
import unicodedata

import pandas as pd
import pytest
from data_scripts import load_script

from kit import vocab
from kit.io import load
from kit.paths import SAMPLE_TOWN
from kit.steps.assessment import survey_items as si

KINDS = ("areas", "population", "certification", "needs_survey", "resources", "cases", "actors")
AREA_CODES = ("A01", "A02", "A03", "A04", "A05")


def _csv(name: str) -> pd.DataFrame:
    return pd.read_csv(SAMPLE_TOWN / name, encoding="utf-8-sig", dtype=str, keep_default_na=False)


def _population() -> pd.DataFrame:
    table = pd.read_csv(SAMPLE_TOWN / "population.csv", encoding="utf-8-sig")
    table["下限"] = table["年齢階級"].str.extract(r"^(\d+)", expand=False).astype(int)
    return table[table["性別"] == "計"]


def _aged(population: pd.DataFrame, year: int, floor: int, code: str | None = None) -> int:
    rows = population[(population["年"] == year) & (population["下限"] >= floor)]
    if code:
        rows = rows[rows["地区コード"] == code]
    return int(rows["人口"].sum())


def _inside(point, ring) -> bool:
    x, y = point
    crossings = 0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:]):
        if (y0 > y) != (y1 > y) and x < x0 + (y - y0) * (x1 - x0) / (y1 - y0):
            crossings += 1
    return crossings % 2 == 1


@pytest.fixture(scope="module")
def rings() -> dict[str, list]:
    features = json.loads((SAMPLE_TOWN / "areas.geojson").read_text(encoding="utf-8"))["features"]
    return {f["properties"]["地区コード"]: f["geometry"]["coordinates"][0] for f in features}


def test_regenerating_reproduces_the_committed_files(tmp_path):
    # The folder may also hold files derived elsewhere; every file the script writes must match.
    written = load_script("make_sample_town").write_sample_town(tmp_path)
    assert {f"{kind}.csv" for kind in KINDS} <= {p.name for p in written}
    for path in written:
        assert path.read_bytes() == (SAMPLE_TOWN / path.name).read_bytes(), path.name


@pytest.mark.parametrize("kind", KINDS)
def test_every_table_loads_through_the_kit_reader(kind):
    result = load(kind, SAMPLE_TOWN / f"{kind}.csv")
    assert result.ok, result.report()


def test_areas_are_the_five_named_areas():
    areas = _csv("areas.csv")
    assert list(zip(areas["地区コード"], areas["地区名"])) == [
        ("A01", "中央"), ("A02", "駅東"), ("A03", "桜台"), ("A04", "川北"), ("A05", "奥沢")]
    assert set(areas["地域特性"]) <= set(vocab.AREA_TYPES)


def test_town_size_and_ageing_match_national_ratios():
    population = _population()
    total = _aged(population, 2020, 0)
    assert 55_000 <= total <= 65_000
    assert 0.27 <= _aged(population, 2020, 65) / total <= 0.33
    for floor in (75, 85):
        assert _aged(population, 2040, floor) > _aged(population, 2020, floor)
    # Working age shrinks, as everywhere in Japan.
    working = lambda year: _aged(population, year, 15) - _aged(population, year, 65)  # noqa: E731
    assert working(2040) < working(2020)


def test_areas_differ_as_described():
    population = _population()
    share = {c: _aged(population, 2020, 65, c) / _aged(population, 2020, 0, c) for c in AREA_CODES}
    assert max(share, key=share.get) == "A05"  # 奥沢 is the oldest
    shrink = {c: _aged(population, 2040, 0, c) / _aged(population, 2020, 0, c) for c in AREA_CODES}
    assert min(shrink, key=shrink.get) == "A05"  # and shrinks most
    for floor in (75, 85):  # the 1970s new town ages fastest
        growth = {c: _aged(population, 2040, floor, c) / _aged(population, 2020, floor, c) for c in AREA_CODES}
        assert max(growth, key=growth.get) == "A03"


def test_sexes_add_up_to_the_total():
    table = pd.read_csv(SAMPLE_TOWN / "population.csv", encoding="utf-8-sig")
    wide = table.pivot_table(index=["地区コード", "年", "年齢階級"], columns="性別", values="人口")
    assert (wide["男"] + wide["女"] == wide["計"]).all()
    assert set(table["年齢階級"]) == set(vocab.AGE_BANDS)


def test_certification_rate_is_national_like_and_highest_in_okusawa():
    cert = pd.read_csv(SAMPLE_TOWN / "certification.csv", encoding="utf-8-sig")
    cert["認定者"] = cert[list(vocab.CERT_LEVELS)].sum(axis=1)
    latest = cert[cert["年"] == cert["年"].max()]
    rate = latest["認定者"].sum() / latest["第1号被保険者数"].sum()
    assert 0.15 <= rate <= 0.23
    by_area = latest.set_index("地区コード")
    assert (by_area["認定者"] / by_area["第1号被保険者数"]).idxmax() == "A05"


def test_survey_has_enough_respondents_in_every_area_and_some_blanks():
    survey = _csv("needs_survey.csv")
    counts = survey["地区コード"].value_counts()
    assert set(counts.index) == set(AREA_CODES)
    assert counts.min() >= 30
    assert survey["年齢"].astype(int).min() >= 65
    assert (survey[[i.column for i in si.SURVEY_ITEMS]] == "").any().any()


def test_survey_answers_are_codes_of_the_questionnaire():
    survey = _csv("needs_survey.csv")
    for found in si.SURVEY_ITEMS:
        answers = set(survey[found.column]) - {""}
        if found.choices:
            assert answers <= {str(code) for code, _ in found.choices}, found.column


def test_housebound_tendency_is_highest_in_okusawa():
    survey = _csv("needs_survey.csv")
    column = "問2(6)外出頻度"
    answered = survey[survey[column] != ""]
    housebound = answered[column].astype(int).isin(si.item(column).risk_codes)
    rates = housebound.groupby(answered["地区コード"]).mean()
    assert rates.idxmax() == "A05"


def test_actors_cover_every_type_with_vocabulary_terms():
    actors = _csv("actors.csv")
    kinds = actors["主体種別"].value_counts()
    assert set(kinds.index) == set(vocab.ACTOR_TYPES)
    assert kinds.min() >= 2
    assert actors["主体ID"].is_unique
    assert set(actors["業種"]) <= set(vocab.INDUSTRIES)
    assert set(actors["本業との関わり"]) <= set(vocab.BUSINESS_RELATIONS)
    assert set(actors["連携状況"]) <= set(vocab.COLLAB_STATUSES)
    for column, allowed in (("カテゴリ", vocab.ACTOR_CATEGORIES), ("対応できる生活課題", vocab.LIFE_ISSUES),
                            ("活動地区", (*AREA_CODES, vocab.WHOLE_TOWN))):
        terms = {t for cell in actors[column] for t in cell.split(";") if t}
        assert terms <= set(allowed), column


def test_contacts_are_visibly_fictional():
    actors = _csv("actors.csv")
    phones = actors["電話"][actors["電話"] != ""]
    assert phones.str.fullmatch(r"0\d{1,2}-0000-\d{4}").all()
    assert phones.is_unique  # a shared number would read as a duplicate actor
    mails = actors["メール"][actors["メール"] != ""]
    assert mails.str.endswith("@example.jp").all()


def test_gaps_show_in_okusawa_and_sakuradai():
    actors = _csv("actors.csv")
    serves = lambda code: actors["活動地区"].str.split(";").apply(  # noqa: E731
        lambda areas: code in areas or vocab.WHOLE_TOWN in areas)
    moving = actors["対応できる生活課題"].str.split(";").apply(lambda issues: "移動" in issues)
    assert (moving & serves("A05")).sum() < (moving & serves("A01")).sum()
    resources = _csv("resources.csv")
    places = resources[resources["種別"] == "通いの場"]["地区コード"].value_counts()
    population = _population()
    per_old = {c: places.get(c, 0) / _aged(population, 2020, 75, c) for c in AREA_CODES}
    assert max(per_old["A03"], per_old["A05"]) < min(per_old["A01"], per_old["A02"], per_old["A04"])


def test_resources_use_known_types_and_actors():
    resources = _csv("resources.csv")
    actors = _csv("actors.csv")
    assert set(resources["種別"]) <= set(vocab.RESOURCE_TYPES)
    linked = resources["主体ID"][resources["主体ID"] != ""]
    assert set(linked) <= set(actors["主体ID"])


def test_cases_use_only_vocabulary_terms():
    cases = _csv("cases.csv")
    assert 25 <= len(cases) and cases["事例ID"].is_unique
    assert set(cases["地区コード"]) == set(AREA_CODES)
    assert set(cases["年齢階級"]) <= set(vocab.AGE_BANDS)
    assert set(cases["性別"]) <= {"男", "女"}
    assert set(cases["世帯"]) <= set(vocab.HOUSEHOLDS)
    assert set(cases["要介護度"]) <= set(vocab.CARE_LEVELS)
    assert set(cases["緊急度"]) <= set(vocab.URGENCIES)
    tags = {t for cell in cases["生活課題"] for t in cell.split(";")}
    assert tags <= set(vocab.LIFE_ISSUES)
    kinds = {part.split(":")[0].strip() for cell in cases["本人の資源"] for part in cell.split(";")}
    assert kinds <= set(vocab.OWN_RESOURCE_KINDS)


def test_some_issues_recur_in_one_area_only():
    cases = _csv("cases.csv")
    tagged = cases.assign(課題=cases["生活課題"].str.split(";")).explode("課題")
    counts = tagged.groupby(["課題", "地区コード"]).size()
    assert counts["移動"].idxmax() == "A05" and counts["移動"]["A05"] >= 3
    assert counts["買物"].idxmax() == "A03" and counts["買物"]["A03"] >= 3


def test_answer_key_matches_the_cases():
    cases = _csv("cases.csv")
    key = _csv("cases_answer_key.csv")
    assert list(key.columns) == ["事例ID", "生活課題"]
    assert key.set_index("事例ID")["生活課題"].equals(cases.set_index("事例ID")["生活課題"])


def test_raw_notes_carry_only_fictional_contacts():
    text = (SAMPLE_TOWN / "case_notes_raw.txt").read_text(encoding="utf-8")
    plain = unicodedata.normalize("NFKC", text)  # full-width numbers are in there too
    phones = re.findall(r"0\d{1,3}[-(]?\d{4}[-)]?\d{4}", plain)
    assert len(phones) >= 8
    assert all("0000" in p for p in phones)
    mails = re.findall(r"[\w.]+@[\w.]+", plain)
    assert mails and all(m.endswith("example.jp") for m in mails)


def test_points_lie_inside_their_areas(rings):
    for _, row in _csv("resources.csv").iterrows():
        assert _inside((float(row["経度"]), float(row["緯度"])), rings[row["地区コード"]]), row["資源ID"]
    for _, row in _csv("actors.csv").iterrows():
        point = (float(row["経度"]), float(row["緯度"]))
        areas = row["活動地区"].split(";")
        home = [areas[0]] if len(areas) == 1 and areas[0] in rings else list(rings)
        assert any(_inside(point, rings[c]) for c in home), row["主体ID"]


def test_areas_do_not_overlap(rings):
    xs = [x for ring in rings.values() for x, _ in ring]
    ys = [y for ring in rings.values() for _, y in ring]
    steps = 60
    for i in range(steps + 1):
        for j in range(steps + 1):
            point = (min(xs) + (max(xs) - min(xs)) * i / steps, min(ys) + (max(ys) - min(ys)) * j / steps)
            assert sum(_inside(point, ring) for ring in rings.values()) <= 1
