"""Derive the kit's national reference tables from the public source files.

Reads the files listed in ``shared/data-public/SOURCES.md`` (never copied into the
repository) and writes compact derivatives to ``data/reference``:

- ``municipalities.csv``: one row per current municipality (1,741), with the 2020
  census totals and the IPSS 2018 projections for 2025–2045.
- ``national_age_bands.csv``: the nation by 5-year age band, 2020 census (by sex)
  and IPSS 2018 projections 2020–2045 (both sexes).
- ``census2020_age_bands.csv``: every current municipality and every ward of a
  政令指定都市, by sex and 5-year band, with 総数 and 年齢不詳 (one row per area × sex).
- ``ipss2018_age_bands.csv``: the IPSS 2018 projections by 5-year band (last band
  90+) for 2020–2045, both sexes (one row per municipality × year).
- ``municipalities.topojson`` and ``prefectures.topojson``: the simplified
  boundaries with properties reduced to codes (and prefecture names).
- ``ATTRIBUTION.md``: the credits each source requires, and what each file holds.

Run ``python data/make_reference.py [--source DIR] [--out DIR]``; the output is
deterministic, so a test can regenerate it and compare byte for byte.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pandas as pd

__all__ = [
    "CENSUS_FILE",
    "PROJECTION_FILE",
    "MUNICIPAL_TOPOLOGY_FILE",
    "PREFECTURE_TOPOLOGY_FILE",
    "CENSUS_AGE_BANDS",
    "PROJECTION_AGE_BANDS",
    "PROJECTION_YEARS",
    "ATTRIBUTION",
    "read_census",
    "current_municipalities",
    "read_projection",
    "municipality_table",
    "national_age_bands",
    "designated_wards",
    "census_age_bands",
    "projection_age_bands",
    "municipal_topology",
    "prefecture_topology",
    "write_reference",
]

REPO = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = REPO.parent / "shared" / "data-public"
DEFAULT_OUT = REPO / "data" / "reference"

CENSUS_FILE = "census2020_table2-7-1_age5_by_municipality.csv"
PROJECTION_FILE = "ipss2018_projection_age5_by_municipality.json"
MUNICIPAL_TOPOLOGY_FILE = "municipalities_2021_designated_city_s0010.topojson.json"
PREFECTURE_TOPOLOGY_FILE = "prefectures_s0010.topojson.json"
# Written files read by kit.reference.
CENSUS_AGE_BANDS = "census2020_age_bands.csv"
PROJECTION_AGE_BANDS = "ipss2018_age_bands.csv"

# Years of the IPSS record's 7 values, and the ones the reference table keeps.
_IPSS_YEARS = (2015, 2020, 2025, 2030, 2035, 2040, 2045)
PROJECTION_YEARS = (2025, 2030, 2035, 2040, 2045)
# IPSS band order after the total (SOURCES.md, file 2): 0-4 … 85-89, then 90+.
_IPSS_BANDS = tuple(f"{a}-{a + 4}" for a in range(0, 90, 5)) + ("90+",)
# Census band headers and the kit's labels for them (vocab.AGE_BANDS spelling).
_CENSUS_BANDS = {f"{a}～{a + 4}歳": f"{a}-{a + 4}" for a in range(0, 100, 5)} | {"100歳以上": "100+"}
_CENSUS_SEXES = {"総数": "計", "男": "男", "女": "女"}
# 那珂川町 became 那珂川市 on 2018-10-01, after the IPSS codes were fixed.
_RENAMED_CODES = {"40305": "40231"}
_AGE_GROUPS = ("65歳以上", "75歳以上", "85歳以上")
# 種別 of the rows of census2020_age_bands.csv.
MUNICIPALITY, DESIGNATED_CITY, WARD = "市区町村", "政令市", "政令市の区"
_SEX_ORDER = {"計": 0, "男": 1, "女": 2}
_CSV = {"index": False, "encoding": "utf-8-sig", "lineterminator": "\n"}


def _to_int(column: pd.Series) -> pd.Series:
    # e-Stat prints thousands separators and "-" for zero.
    return column.str.replace(",", "", regex=False).replace("-", "0").astype("int64")


def read_census(path: Path) -> pd.DataFrame:
    """Census table 2-7-1 as a flat frame: 地域コード, 地域名, 性別 and integer counts."""
    raw = pd.read_csv(path, skiprows=10, dtype=str, encoding="utf-8-sig")
    code_col, name_col = raw.columns[8], raw.columns[9]
    counts = ["総数", *_CENSUS_BANDS, "年齢「不詳」", "（再掲）65歳以上", "（再掲）75歳以上", "（再掲）85歳以上"]
    table = pd.DataFrame({
        "地域コード": raw[code_col],
        "地域名": raw[name_col],
        "性別": raw["男女"].map(_CENSUS_SEXES),
    })
    for col in counts:
        table[col.removeprefix("（再掲）")] = _to_int(raw[col])
    return table


def current_municipalities(census: pd.DataFrame) -> pd.DataFrame:
    """The 1,741 current municipalities (both sexes), with prefecture code and name.

    Drops the nation, prefectures, wards of designated cities, 13100 特別区部 and
    the former municipalities of 2000 (named 「（旧：…）」, some with letter codes).
    """
    both = census[census["性別"] == "計"]
    code, name = both["地域コード"], both["地域名"]
    prefectures = both[code.str.fullmatch(r"\d{2}000") & (code != "00000")]
    pref_names = dict(zip(prefectures["地域コード"].str[:2], prefectures["地域名"]))
    keep = (
        code.str.fullmatch(r"\d{5}")
        & ~code.str.endswith("000")
        & (code != "13100")
        & ~name.str.contains("旧：", regex=False)
        & ~name.str.contains(r"市.+区$")
    )
    municipalities = both[keep].copy()
    municipalities.insert(1, "都道府県コード", municipalities["地域コード"].str[:2])
    municipalities.insert(2, "都道府県", municipalities["都道府県コード"].map(pref_names))
    return municipalities.reset_index(drop=True)


def designated_wards(census: pd.DataFrame, municipalities: pd.DataFrame) -> pd.DataFrame:
    """The 175 wards of the 政令指定都市 (both sexes), each with its city's code and name.

    A ward is a 5-digit area that is neither the nation, a prefecture, 13100 特別区部,
    a former municipality nor a current municipality; its city is the municipality of
    the same prefecture whose name begins the ward's (札幌市 → 札幌市中央区).
    """
    both = census[census["性別"] == "計"]
    code, name = both["地域コード"], both["地域名"]
    wards = both[
        code.str.fullmatch(r"\d{5}")
        & ~code.str.endswith("000")
        & (code != "13100")
        & ~name.str.contains("旧：", regex=False)
        & ~code.isin(municipalities["地域コード"])
    ]
    cities = []
    for ward_code, ward_name in zip(wards["地域コード"], wards["地域名"]):
        same_prefecture = municipalities[municipalities["都道府県コード"] == ward_code[:2]]
        (city,) = [(c, n) for c, n in zip(same_prefecture["地域コード"], same_prefecture["地域名"])
                   if ward_name.startswith(n) and ward_name.endswith("区") and len(ward_name) > len(n)]
        cities.append(city)
    return pd.DataFrame({
        "地域コード": wards["地域コード"].to_numpy(),
        "政令市コード": [c for c, _ in cities],
        "政令市": [n for _, n in cities],
    })


def _band_header(band: str) -> str:
    """A kit band label as the census heads it: 0-4 → 0～4歳, 90+ → 90歳以上."""
    return f"{band[:-1]}歳以上" if band.endswith("+") else "{}～{}歳".format(*band.split("-"))


def census_age_bands(census: pd.DataFrame) -> pd.DataFrame:
    """Every current municipality and 政令市 ward, by sex (計/男/女) and 5-year band.

    One row per area × sex: 総数, the bands 0～4歳 … 100歳以上, and 年齢不詳 (the
    people the census could not place in a band; bands + 年齢不詳 = 総数). Wards
    name their city in 政令市コード / 政令市; cities that have wards are 種別 政令市.
    """
    municipalities = current_municipalities(census)
    wards = designated_wards(census, municipalities)
    prefectures = municipalities.drop_duplicates("都道府県コード").set_index("都道府県コード")["都道府県"]
    kind = municipalities["地域コード"].isin(wards["政令市コード"]).map({True: DESIGNATED_CITY, False: MUNICIPALITY})
    areas = pd.concat([
        pd.DataFrame({"地域コード": municipalities["地域コード"], "種別": kind}),
        wards.assign(種別=WARD),
    ], ignore_index=True)
    rows = census.merge(areas, on="地域コード", validate="many_to_one")
    rows = rows.sort_values(["地域コード", "性別"], key=lambda c: c.map(_SEX_ORDER) if c.name == "性別" else c)
    return pd.DataFrame({
        "市区町村コード": rows["地域コード"],
        "都道府県": rows["地域コード"].str[:2].map(prefectures),
        "市区町村名": rows["地域名"],
        "種別": rows["種別"],
        "政令市コード": rows["政令市コード"],
        "政令市": rows["政令市"],
        "年": 2020,
        "区分": "実績",
        "性別": rows["性別"],
        "総数": rows["総数"],
        **{header: rows[header] for header in _CENSUS_BANDS},
        "年齢不詳": rows["年齢「不詳」"],
    }).reset_index(drop=True)


def projection_age_bands(census: pd.DataFrame, projection: pd.DataFrame) -> pd.DataFrame:
    """IPSS 2018 by 5-year band (0～4歳 … 85～89歳, 90歳以上), both sexes, 2020–2045:
    one row per projected municipality × year, named as the census names it today."""
    municipalities = current_municipalities(census).set_index("地域コード")
    wide = (projection[projection["年"] >= 2020]
            .pivot(index=["市区町村コード", "年"], columns="年齢階級", values="人口")[list(_IPSS_BANDS)]
            .sort_index())
    codes = wide.index.get_level_values("市区町村コード")
    return pd.DataFrame({
        "市区町村コード": codes,
        "都道府県": municipalities.loc[codes, "都道府県"].to_numpy(),
        "市区町村名": municipalities.loc[codes, "地域名"].to_numpy(),
        "年": wide.index.get_level_values("年"),
        "区分": "推計",
        "総数": wide.sum(axis=1).to_numpy(),
        **{_band_header(band): wide[band].to_numpy() for band in _IPSS_BANDS},
    })


def read_projection(path: Path) -> pd.DataFrame:
    """IPSS 2018 projections, long form: 市区町村コード, 年, 年齢階級, 人口 (both sexes)."""
    records = json.loads(path.read_text(encoding="utf-8"))
    rows = []
    for record in records:
        code = f"{record['Code']:05d}"
        code = _RENAMED_CODES.get(code, code)
        # The first series is the total; the bands follow in _IPSS_BANDS order.
        for band, series in zip(_IPSS_BANDS, record["PopulationList"][1:], strict=True):
            for year, value in zip(_IPSS_YEARS, series["Population"], strict=True):
                rows.append((code, year, band, value))
    return pd.DataFrame(rows, columns=["市区町村コード", "年", "年齢階級", "人口"])


def _projection_groups(projection: pd.DataFrame) -> pd.DataFrame:
    """総数 / 65+ / 75+ / 85+ per municipality and year (90+ counts in 85+)."""
    lower_age = projection["年齢階級"].str.extract(r"^(\d+)", expand=False).astype(int)
    groups = {"総数": 0, "65歳以上": 65, "75歳以上": 75, "85歳以上": 85}
    parts = {
        label: projection[lower_age >= floor].groupby(["市区町村コード", "年"])["人口"].sum()
        for label, floor in groups.items()
    }
    return pd.DataFrame(parts)


def municipality_table(census: pd.DataFrame, projection: pd.DataFrame) -> pd.DataFrame:
    """One row per current municipality: census 2020 and projections, wide.

    Projected columns are blank where IPSS gives no figure (Fukushima's 59
    municipalities, projected only as a prefecture in 2018).
    """
    municipalities = current_municipalities(census)
    table = pd.DataFrame({
        "市区町村コード": municipalities["地域コード"],
        "都道府県コード": municipalities["都道府県コード"],
        "都道府県": municipalities["都道府県"],
        "市区町村名": municipalities["地域名"],
        "総数_2020": municipalities["総数"],
        "年齢不詳_2020": municipalities["年齢「不詳」"],
        **{f"{g}_2020": municipalities[g] for g in _AGE_GROUPS},
    })
    groups = _projection_groups(projection)
    for year in PROJECTION_YEARS:
        of_year = groups.xs(year, level="年")
        for label in ("総数", *_AGE_GROUPS):
            table[f"{label}_{year}"] = table["市区町村コード"].map(of_year[label]).astype("Int64")
    return table


def national_age_bands(census: pd.DataFrame, projection: pd.DataFrame) -> pd.DataFrame:
    """The nation by 5-year band: census 2020 by sex (known ages), IPSS 2020–2045.

    IPSS's last band is 90+, and its sums leave out Fukushima (see SOURCES.md).
    """
    nation = census[census["地域コード"] == "00000"]
    actual = nation.melt(id_vars="性別", value_vars=list(_CENSUS_BANDS), var_name="年齢階級", value_name="人口")
    actual["年齢階級"] = actual["年齢階級"].map(_CENSUS_BANDS)
    actual = actual.assign(年=2020, 区分="実績", 出典="国勢調査2020")
    projected = (
        projection[projection["年"] >= 2020]
        .groupby(["年", "年齢階級"], sort=False)["人口"].sum()
        .reset_index()
        .assign(性別="計", 区分="推計", 出典="社人研2018推計(福島県を除く)")
    )
    columns = ["年", "性別", "年齢階級", "人口", "区分", "出典"]
    return pd.concat([actual[columns], projected[columns]], ignore_index=True)


def _topology_with(topology: dict, name: str, properties: list[dict]) -> dict:
    (geometries,) = [obj["geometries"] for obj in topology["objects"].values()]
    reduced = [
        {"type": g["type"], "arcs": g["arcs"], "properties": props}
        for g, props in zip(geometries, properties, strict=True)
    ]
    return {
        "type": "Topology",
        "transform": topology["transform"],
        "objects": {name: {"type": "GeometryCollection", "geometries": reduced}},
        "arcs": topology["arcs"],
    }


def municipal_topology(topology: dict) -> dict:
    """Municipal boundaries with only the 5-digit code kept (null for 所属未定地)."""
    (obj,) = topology["objects"].values()
    props = [{"市区町村コード": g["properties"]["N03_007"]} for g in obj["geometries"]]
    return _topology_with(topology, "municipalities", props)


def prefecture_topology(topology: dict, census: pd.DataFrame) -> dict:
    """Prefecture outlines with the JIS code added (the source carries names only)."""
    both = census[census["性別"] == "計"]
    prefectures = both[both["地域コード"].str.fullmatch(r"\d{2}000") & (both["地域コード"] != "00000")]
    codes = dict(zip(prefectures["地域名"], prefectures["地域コード"].str[:2]))
    (obj,) = topology["objects"].values()
    props = [
        {"都道府県コード": codes[g["properties"]["N03_001"]], "都道府県": g["properties"]["N03_001"]}
        for g in obj["geometries"]
    ]
    return _topology_with(topology, "prefectures", props)


def _write_json(data: dict, path: Path) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")


ATTRIBUTION = """\
# 出典と加工について (data/reference)

このフォルダのファイルは、下記の公開データを加工して作成したものです。元のファイルはリポジトリに
含めていません (`data/make_reference.py` が `shared/data-public` から作り直します)。
国・各機関がこの加工結果を保証・推奨しているものではありません。

## 出典表示

### 人口 2020年 (municipalities.csv の *_2020 列、national_age_bands.csv の実績、census2020_age_bands.csv)

出典：政府統計の総合窓口(e-Stat)（https://www.e-stat.go.jp/）、総務省統計局『令和2年国勢調査 人口等基本集計』表2-7-1

上記を加工して作成 (市区町村と政令指定都市の区の抽出、区が属する政令市の付記、数値の桁区切りと「-」の0への置き換え、
65歳以上・75歳以上・85歳以上の再掲値の転記、全国の5歳階級の集計)。
e-Stat の利用規約 (政府標準利用規約 第2.0版、CC BY 4.0 互換) に従います。
CSV の入手元：近藤恵介 (Keisuke Kondo) 氏のリポジトリ keisukekondokk/female-population-japan (MIT License, © 2024 Keisuke Kondo)。

### 将来推計人口 2020〜2045年 (municipalities.csv の *_2025〜*_2045 列、national_age_bands.csv の推計、ipss2018_age_bands.csv)

国立社会保障・人口問題研究所『日本の地域別将来推計人口（平成30(2018)年推計）』（aiseed.dev／統計メモ帳 による JSON 化データ, CC BY 4.0）を加工して作成

(municipalities.csv は年齢階級を合算し90歳以上は85歳以上に含める、ipss2018_age_bands.csv は5歳階級の表に組み替えて
市区町村名を2020年国勢調査の名称にそろえる、2015年の値を除く、那珂川町 40305 を那珂川市 40231 に読み替え)。
JSON 化データ：aiseed.dev（統計メモ帳）。福島県の市町村は平成30年推計に市町村別の数値がないため空欄です。
令和5(2023)年推計ではありません。介護保険事業計画 (第9・10期) で使われるのは令和5年推計です。

### 境界 (municipalities.topojson、prefectures.topojson)

出典：国土数値情報（行政区域データ）（国土交通省）（https://nlftp.mlit.go.jp/ksj/）をもとにスマートニュース メディア研究所が加工したデータ（https://github.com/smartnews-smri/japan-topography）を利用

上記を加工して作成 (属性を市区町村コードに絞り、都道府県には都道府県コードを追加)。2021年1月1日時点、
1%に単純化、政令市は区を合わせて1つの市。

## ファイル

| ファイル | 内容 |
|---|---|
| municipalities.csv | 現在の市区町村 1,741 (政令市は1市として数え、区・特別区部・2000年時点の旧市町村は除く)。市区町村コード (5桁)、都道府県コード (2桁)、都道府県、市区町村名、2020年の総数・年齢不詳・65歳以上・75歳以上・85歳以上、2025〜2045年の推計の総数・65歳以上・75歳以上・85歳以上。列名は「区分_年」(例: 75歳以上_2040) |
| national_age_bands.csv | 全国の5歳階級別人口。2020年国勢調査 (男/女/計、年齢不詳を除く) と社人研2018年推計 2020〜2045年 (計、最終階級は90+、福島県を除く) |
| municipalities.topojson | 市区町村の境界。オブジェクト名 municipalities、属性 市区町村コード (所属未定地は null) |
| prefectures.topojson | 都道府県の境界。オブジェクト名 prefectures、属性 都道府県コード・都道府県 |
| census2020_age_bands.csv | 2020年国勢調査の男女・5歳階級別人口。現在の市区町村 1,741 と政令指定都市の区 175 について、性別 (計/男/女) ごとに1行。総数、0～4歳 … 95～99歳・100歳以上、年齢不詳 (どの階級にも入らない人。階級の合計 + 年齢不詳 = 総数)。種別は 市区町村・政令市・政令市の区。区の行には属する市を 政令市コード・政令市 に記載。区分は実績 |
| ipss2018_age_bands.csv | 社人研2018年推計の5歳階級別人口 (男女計)。推計のある 1,682 市区町村 (福島県の59市町村はなし) について、2020〜2045年の5年ごとに1行。総数、0～4歳 … 85～89歳、90歳以上 (最終階級)。区分は推計 |

2020年の割合 (高齢化率など) は、国勢調査と同じく年齢不詳を除いた人口 (総数 − 年齢不詳) を分母にします。
都道府県・全国の値は市区町村の行を合計して得られます (推計は福島県を除く)。
推計の人口には年齢の分からない人も含まれます (2020年の推計値は国勢調査の総数に近い)。年齢不詳を除いた2020年の
国勢調査と比べると、その分だけ推計が多く見えます。

CSV は UTF-8 (BOM 付き) です。Excel でダブルクリックして開くと、市区町村コードの先頭の 0 が消えます (01100 → 1100)。
コードを使うときは「データ」→「テキストまたは CSV から」で、その列を文字列として読み込んでください。

## 確認が必要なこと

この環境はオフラインのため、e-Stat・国土数値情報・社人研の利用条件は公開前にあらためてウェブで確認してください
(`shared/data-public/SOURCES.md` の Open items)。
"""


def _read_json(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def write_reference(source: Path = DEFAULT_SOURCE, out: Path = DEFAULT_OUT) -> list[Path]:
    """Derive every reference file from ``source`` into ``out``; return the paths written."""
    source, out = Path(source), Path(out)
    out.mkdir(parents=True, exist_ok=True)
    census = read_census(source / CENSUS_FILE)
    projection = read_projection(source / PROJECTION_FILE)
    paths = [out / name for name in (
        "municipalities.csv", "national_age_bands.csv", "municipalities.topojson", "prefectures.topojson",
        "ATTRIBUTION.md", CENSUS_AGE_BANDS, PROJECTION_AGE_BANDS)]
    municipality_table(census, projection).to_csv(paths[0], **_CSV)
    national_age_bands(census, projection).to_csv(paths[1], **_CSV)
    _write_json(municipal_topology(_read_json(source / MUNICIPAL_TOPOLOGY_FILE)), paths[2])
    _write_json(prefecture_topology(_read_json(source / PREFECTURE_TOPOLOGY_FILE), census), paths[3])
    paths[4].write_text(ATTRIBUTION, encoding="utf-8")
    census_age_bands(census).to_csv(paths[5], **_CSV)
    projection_age_bands(census, projection).to_csv(paths[6], **_CSV)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE, help="folder of the public source files")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="folder to write into")
    args = parser.parse_args()
    for path in write_reference(args.source, args.out):
        print(f"{path}  {path.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
