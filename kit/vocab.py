"""Domain vocabularies of the kit, kept as data in one place.

Every list a user picks from, every value a reader accepts and every header
synonym lives here, so that a notebook, a reader and an export never spell a
term differently. Sources are named beside each vocabulary (seed documents in
``shared/seeds`` and ``shared/DATA_SPEC.md``).
"""

from __future__ import annotations

__all__ = [
    "AGE_BANDS",
    "ACTOR_CATEGORIES",
    "ACTOR_TYPES",
    "AREA_TYPES",
    "BUSINESS_RELATIONS",
    "CARE_LEVELS",
    "CERT_LEVELS",
    "COLLAB_STATUSES",
    "ENGAGEMENT_FORMS",
    "HEADER_SYNONYMS",
    "HOUSEHOLDS",
    "LIFE_ISSUES",
    "LIGHT_CERT_LEVELS",
    "MULTI_VALUE_SEPARATORS",
    "OWN_RESOURCE_KINDS",
    "POPULATION_KINDS",
    "RESOURCE_TYPES",
    "RISK_FLAGS",
    "SEXES",
    "TSUDOREBA_APPROACHES",
    "TSUDOREBA_STATES",
    "URGENCIES",
    "WHOLE_TOWN",
]

# 生活課題: the list of seed 002 (生活支援共創プラットフォーム, 図2), in its order.
LIFE_ISSUES: tuple[str, ...] = (
    "掃除", "洗濯", "調理", "買物", "見守り", "移動", "住まい", "居場所", "食事",
    "健康", "医療", "介護", "学び", "文化・芸術", "多世代交流",
    "スポーツ・レクリエーション", "まちづくり", "ボランティア・地域活動", "就労",
    "後継者", "防災・防犯", "農地", "環境保全",
)

# 本人の資源 (seed 000, 「してあげる資源と本人の資源」): what the person already has.
OWN_RESOURCE_KINDS: tuple[str, ...] = ("場所", "道具", "環境・役割", "人")

# 主体種別 (DATA_SPEC, actors).
ACTOR_TYPES: tuple[str, ...] = (
    "民間企業", "NPO法人", "社会福祉法人", "協同組合", "農村RMO", "ボランティア団体",
    "自治会・町内会", "老人クラブ", "医療機関", "大学・研究機関", "行政", "その他",
)

# カテゴリ: the 8 categories of 埼玉県's プラチナ・サポート・ショップ with their
# sub-items (seed 002, 事例① プラチナ・サポート・ショップ).
ACTOR_CATEGORIES: dict[str, tuple[str, ...]] = {
    "買物": ("配送", "買物サポート", "買物代行", "移動販売", "割引サービス"),
    "宅配・デリバリー": ("弁当配達", "料理デリバリー(出前)", "食品・食材宅配", "日用品配達",
                      "薬・介護用品配達", "クリーニング(宅配)"),
    "送迎サービス": ("理容・美容(送迎)", "フィットネス・ジム(送迎)", "温泉・銭湯(送迎)",
                   "整体・マッサージ(送迎)", "個別移送サービス", "交通機関サービス"),
    "出張サービス": ("家事代行・掃除・片付け", "出張料理", "屋外作業・力仕事",
                   "整体・マッサージ(出張)", "理容・美容(出張)", "ペット"),
    "運動・憩いの場": ("フィットネス・ジム(運動)", "温泉・銭湯(憩いの場)",
                    "カフェ・ファーストフード", "飲食店", "イートインスペース"),
    "設備・施設・場所貸し": ("車イス対応(バリアフリー)", "多目的トイレ", "休憩スペース",
                        "駐車場", "貸しスペース"),
    "学び・趣味": ("講座・教室・イベント", "習い事", "映画館", "カラオケ店", "麻雀・将棋・囲碁",
                 "ゲームセンター", "旅行・レジャー", "パソコン・スマホ教室"),
    "生活サービス": ("防犯・見守り", "金融・保険", "住宅・リフォーム", "パソコン・スマートフォン",
                   "理容・美容", "メガネ・補聴器", "クリーニング", "福祉車両・シニアカー",
                   "成年後見・相続・終活等", "認知症サポート企業"),
}

# 本業との関わり (DATA_SPEC, actors).
BUSINESS_RELATIONS: tuple[str, ...] = ("本業の延長", "顧客接点の活用", "社会貢献(CSR)")

# 取組形態 (seed 004's three kinds of corporate engagement).
ENGAGEMENT_FORMS: tuple[str, ...] = ("本業として展開", "既存事業への波及を期待", "投資的な活動")

# 連携状況 (DATA_SPEC, actors), in the order a partnership advances.
COLLAB_STATUSES: tuple[str, ...] = ("未接触", "接触済", "協議中", "連携中")

# ツドレバ frame (seed 000, 沖縄県): 3 取組区分 × 4 状態像.
TSUDOREBA_APPROACHES: tuple[str, ...] = (
    "通い慣れた店舗を利用し続ける",
    "生活を支える選択肢を増やす",
    "高齢者が役割をもって活動し続ける",
)
TSUDOREBA_STATES: tuple[str, ...] = ("健康", "プレフレイル", "フレイル", "要介護")

# 地域特性 of an area (DATA_SPEC, areas).
AREA_TYPES: tuple[str, ...] = ("都市部", "郊外", "中山間", "島しょ")

# Pseudo area code meaning "the whole municipality" in 活動地区.
WHOLE_TOWN = "全域"

# 世帯 (DATA_SPEC, cases).
HOUSEHOLDS: tuple[str, ...] = ("独居", "高齢夫婦", "同居", "その他")

# 要介護認定 levels as counted in certification files.
CERT_LEVELS: tuple[str, ...] = (
    "要支援1", "要支援2", "要介護1", "要介護2", "要介護3", "要介護4", "要介護5",
)
# 軽度認定: the levels whose growth the 総合事業 is meant to slow (seed 000).
LIGHT_CERT_LEVELS: tuple[str, ...] = CERT_LEVELS[:3]

# 要介護度 of a person in a case.
CARE_LEVELS: tuple[str, ...] = ("自立", "事業対象者", *CERT_LEVELS)

# 緊急度 of a case or an issue.
URGENCIES: tuple[str, ...] = ("高", "中", "低")

# 性別 in population and survey files; 計 only in population totals.
SEXES: tuple[str, ...] = ("男", "女", "計")

# 区分 of population rows.
POPULATION_KINDS: tuple[str, ...] = ("実績", "推計")

# 年齢階級: 5-year bands as the census prints them, the last one open.
AGE_BANDS: tuple[str, ...] = tuple(f"{a}-{a + 4}" for a in range(0, 100, 5)) + ("100+",)

# 地域資源 kinds offered in forms; files may carry others (kept as written).
RESOURCE_TYPES: tuple[str, ...] = (
    "通いの場", "サロン", "介護予防教室", "移動支援", "配食", "買物支援", "見守り",
    "地域食堂", "生活支援(有償ボランティア)", "認知症カフェ", "その他",
)

# ニーズ調査 risk flags (DATA_SPEC, needs_survey), in the order reports show them.
RISK_FLAGS: tuple[str, ...] = (
    "運動器機能低下", "転倒リスク", "閉じこもり傾向", "低栄養",
    "口腔機能低下", "認知機能低下", "うつ傾向", "IADL低下",
)

# Separators of multi-valued cells (DATA_SPEC, common rules). ``，`` becomes ``,``
# under NFKC; ``・`` is not one, since it joins words inside terms (文化・芸術).
MULTI_VALUE_SEPARATORS: tuple[str, ...] = (";", "、", ",", "/")

# Header synonyms → canonical header. The key None holds synonyms valid in every
# kind; a kind's own table wins over it (``種別`` is canonical for resources but
# a synonym of ``主体種別`` for actors). Matching is done after NFKC and with
# spaces removed, so ``Ｅ－ｍａｉｌ`` and ``E-mail`` are one synonym.
HEADER_SYNONYMS: dict[str | None, dict[str, str]] = {
    None: {
        "圏域": "地区名", "日常生活圏域": "地区名", "地区": "地区名", "圏域名": "地区名",
        "日常生活圏域名": "地区名",
        "圏域コード": "地区コード", "日常生活圏域コード": "地区コード", "地区ID": "地区コード",
        "電話番号": "電話", "TEL": "電話", "Tel": "電話", "tel": "電話",
        "E-mail": "メール", "e-mail": "メール", "Email": "メール", "email": "メール",
        "メールアドレス": "メール", "Eメール": "メール",
        "年度": "年",
    },
    "actors": {
        "団体名": "名称", "事業者名": "名称", "企業名": "名称", "法人名": "名称",
        "種別": "主体種別", "法人格": "主体種別",
        "担当": "担当者", "担当者名": "担当者",
        "生活課題": "対応できる生活課題",
    },
    "resources": {"資源名": "名称", "活動名": "名称"},
    "cases": {"ID": "事例ID", "要介護状態区分": "要介護度", "課題": "生活課題"},
    "needs_survey": {"ID": "回答者ID", "回答者番号": "回答者ID"},
    "population": {"人数": "人口", "年齢": "年齢階級"},
}
