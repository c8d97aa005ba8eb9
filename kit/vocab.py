"""Domain vocabularies of the kit, kept as data in one place.

Every list a user picks from, every value a reader accepts and every header
synonym lives here, so that a notebook, a reader and an export never spell a
term differently. Sources are named beside each vocabulary (seed documents in
``shared/seeds`` and ``shared/DATA_SPEC.md``).
"""

from __future__ import annotations

__all__ = [
    "AGE_BANDS",
    "AGE_GROUP_STARTS",
    "ACTOR_CATEGORIES",
    "ACTOR_TYPES",
    "AREA_TYPES",
    "BUSINESS_RELATIONS",
    "CARE_LEVELS",
    "CERT_LEVELS",
    "COLLAB_STATUSES",
    "CROSS_SECTOR_FIELDS",
    "E_STAT_AREA_DIMENSION",
    "E_STAT_AREA_WORDS",
    "ENGAGEMENT_FORMS",
    "GUIDEBOOK_ITEMS",
    "HEADER_SYNONYMS",
    "SMALL_AREA_CODE_HEADERS",
    "SMALL_AREA_NAME_HEADERS",
    "HOUSEHOLDS",
    "INDUSTRIES",
    "KINSHIP_TERMS",
    "LEGAL_ENTITY_MARKERS",
    "LIFE_ISSUE_KEYWORDS",
    "LIFE_ISSUES",
    "LIGHT_CERT_LEVELS",
    "MULTI_VALUE_SEPARATORS",
    "NAME_HONORIFICS",
    "OPEN_AGE_BANDS",
    "OWN_RESOURCE_KINDS",
    "PERSON_ROLE_TERMS",
    "PLACE_WORDS",
    "POPULATION_KINDS",
    "RESOURCE_TYPES",
    "RISK_FLAGS",
    "SEXES",
    "VALUE_SYNONYMS",
    "STORY_PARTS",
    "THREE_WAY_GAINS",
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

# Legal-form words that one organisation may carry or drop between lists
# ((株)ABC商店 / 株式会社ABC商店 / ABC商店); removed before comparing 名称 to find
# duplicate actors. Written as after NFKC (（株） and ㈱ both become (株)).
LEGAL_ENTITY_MARKERS: tuple[str, ...] = (
    "株式会社", "有限会社", "合同会社", "合資会社", "合名会社",
    "特定非営利活動法人", "NPO法人", "一般社団法人", "公益社団法人", "一般財団法人",
    "公益財団法人", "社会福祉法人", "社会医療法人", "医療法人", "学校法人",
    "(株)", "(有)", "(同)", "(特非)", "(一社)", "(公社)", "(一財)", "(公財)",
    "(福)", "(社福)", "(医)", "(学)",
)

# 業種: the 20 大分類 of 日本標準産業分類 (as listed in seed 004, 図表 2-4), written
# as the readers give them after NFKC (，→ , and （）→ ()).
INDUSTRIES: tuple[str, ...] = (
    "農業,林業", "漁業", "鉱業,採石業,砂利採取業", "建設業", "製造業", "電気・ガス・熱供給・水道業",
    "情報通信業", "運輸業,郵便業", "卸売業,小売業", "金融業,保険業", "不動産業,物品賃貸業",
    "学術研究,専門・技術サービス業", "宿泊業,飲食サービス業", "生活関連サービス業,娯楽業",
    "教育,学習支援業", "医療,福祉", "複合サービス事業", "サービス業(他に分類されないもの)",
    "公務(他に分類されるものを除く)", "分類不能の産業",
)

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

# Other spellings of a term that official tables and survey exports use, read as
# the term wherever the term itself is allowed (e-Stat writes 男性 and 総数).
# Numeric codes (1 = 男, 2 = 女) are not read: files disagree on them.
VALUE_SYNONYMS: dict[str, str] = {
    "男性": "男", "女性": "女", "総数": "計", "合計": "計", "男女計": "計",
    "買い物": "買物",
}

# 区分 of population rows.
POPULATION_KINDS: tuple[str, ...] = ("実績", "推計")

# 年齢階級: 5-year bands as the census prints them, the last one open.
AGE_BANDS: tuple[str, ...] = tuple(f"{a}-{a + 4}" for a in range(0, 100, 5)) + ("100+",)
# Lower bounds of the open age groups the kit computes (kit.reference.GROUPS:
# 65歳以上, 75歳以上, 85歳以上). A file's last band may be open earlier than 100
# (IPSS ends at 90歳以上, 住基 tables often at 85歳以上) as long as it does not cut
# one of these groups.
AGE_GROUP_STARTS: tuple[int, ...] = (65, 75, 85)
OPEN_AGE_BANDS: tuple[str, ...] = tuple(f"{a}+" for a in range(AGE_GROUP_STARTS[-1], 101, 5))

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
# Headers of a 町丁字 (small area) as 住民基本台帳 tables and e-Stat's small-area
# census tables print them.
SMALL_AREA_CODE_HEADERS: tuple[str, ...] = (
    "町丁字コード", "町丁・字コード", "町丁・字等コード", "町丁コード", "町字コード", "小地域コード",
    "KEY_CODE",
)
SMALL_AREA_NAME_HEADERS: tuple[str, ...] = (
    "町丁字名", "町丁字", "町丁・字", "町丁・字等", "町丁・字等名", "町丁名", "町丁目", "町名", "町字",
    "町字名", "大字・町名", "小地域名",
)

HEADER_SYNONYMS: dict[str | None, dict[str, str]] = {
    None: {
        "圏域": "地区名", "日常生活圏域": "地区名", "地区": "地区名", "圏域名": "地区名",
        "日常生活圏域名": "地区名",
        "圏域コード": "地区コード", "日常生活圏域コード": "地区コード", "地区ID": "地区コード",
        "電話番号": "電話", "TEL": "電話", "Tel": "電話", "tel": "電話",
        "E-mail": "メール", "e-mail": "メール", "Email": "メール", "email": "メール",
        "メールアドレス": "メール", "Eメール": "メール",
        "年度": "年",
        # e-Stat database downloads: 時間軸（年次） holds 「2020年」, 男女 holds 総数/男/女.
        "時間軸（年次）": "年", "時間軸（年度次）": "年", "男女": "性別", "男女別": "性別",
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
    # A population table by 町丁字: its rows are the areas.
    # e-Stat names its age dimension 年齢（5歳階級） or 年齢（各歳）, and the
    # count column by the 表章項目 with its unit (人口【人】).
    "population": {"人数": "人口", "年齢": "年齢階級", "年齢（5歳階級）": "年齢階級", "年齢（各歳）": "年齢階級",
                   "年齢各歳": "年齢階級", "人口【人】": "人口", "人口（人）": "人口",
                   **dict.fromkeys(SMALL_AREA_CODE_HEADERS, "地区コード"),
                   **dict.fromkeys(SMALL_AREA_NAME_HEADERS, "地区名")},
    "area_map": {**dict.fromkeys(SMALL_AREA_CODE_HEADERS, "町丁字コード"),
                 **dict.fromkeys(SMALL_AREA_NAME_HEADERS, "町丁字名")},
}

# Words of e-Stat's area dimensions (「全国，都道府県，市区町村（2000年市区町村含む） コード」,
# 「町丁・字等 コード」), from the coarsest areas to the finest: when a file has
# several area columns, the finest names its rows. A word may be part of the
# dimension's name; 「地域」 alone is a dimension too (the word is in too many
# other headers to be looked for inside them).
E_STAT_AREA_WORDS: tuple[tuple[str, ...], ...] = (
    ("全国",), ("都道府県",), ("市区町村", "市町村"), ("町丁", "小地域"),
)
E_STAT_AREA_DIMENSION = "地域"

# 起承転結 of a pitch (seed 000, サービスづくりの起承転結): what each part carries.
STORY_PARTS: dict[str, str] = {
    "起": "一人の物語",
    "承": "地域の姿と数字",
    "転": "提案",
    "結": "変わること",
}

# 三方よし (seed 000, 官民連携のポイント): the three parties a proposal must serve, with
# the kinds of gain the seed lists for each.
THREE_WAY_GAINS: dict[str, tuple[str, ...]] = {
    "民間事業者": ("高齢のお客様が長く顧客であり続ける", "広がる高齢者市場に届くサービスができる",
               "安心・安全な環境づくりでリスクが減る", "住民からの信頼", "人手（高齢スタッフ）"),
    "高齢者": ("心身が弱っても使い慣れた店やサービスを使い続けられる",
             "困りごとをサービスで解決できる", "経験や技能を活かして地域に貢献し続けられる"),
    "地域社会": ("専門職がより重い人の支援に力を注げる", "自立して暮らせる期間が延び、制度が持続する",
               "高齢者の消費で地域経済が活気づく"),
}

# What a proposal to start a service must settle (seed 002, 多様な主体との事業立ち上げガイドブック).
GUIDEBOOK_ITEMS: tuple[str, ...] = (
    "解決を目指す地域課題", "活用できる既存事業・取組", "準備するリソース（ヒト・モノ・カネ）",
    "役割分担", "立ち上げまでのスケジュール",
)

# Sectors whose spending would rise if a service stopped (seed 004, クロスセクター効果).
CROSS_SECTOR_FIELDS: tuple[str, ...] = ("医療", "福祉", "商業", "教育", "観光", "財政", "その他")

# --- people in case notes (kit.masking hides their names) ---------------------------
# Words after a name that make it a person's name (seed-free, common usage).
NAME_HONORIFICS: tuple[str, ...] = ("さん", "さま", "様", "氏", "くん", "君", "ちゃん", "先生")

# Family words: "長男の太郎" names a person right after them.
KINSHIP_TERMS: tuple[str, ...] = (
    "長男", "次男", "三男", "長女", "次女", "三女", "息子", "娘", "妻", "夫", "主人", "家内",
    "嫁", "婿", "孫", "ひ孫", "曾孫", "兄", "姉", "弟", "妹", "父", "母", "義父", "義母",
    "義兄", "義姉", "義弟", "義妹", "甥", "姪", "叔父", "叔母", "伯父", "伯母", "祖父", "祖母",
    "いとこ", "内縁の妻", "内縁の夫", "子", "親",
)

# Roles and generic people: "ヘルパーさん", "民生委員の佐藤" — the word itself is no name.
PERSON_ROLE_TERMS: tuple[str, ...] = (
    "民生委員", "児童委員", "ケアマネ", "ケアマネジャー", "ケアマネージャー", "ヘルパー",
    "主治医", "医師", "看護師", "保健師", "薬剤師", "理学療法士", "作業療法士", "社会福祉士",
    "担当", "担当者", "職員", "包括", "SC", "コーディネーター", "自治会長", "町内会長", "会長",
    "世話人", "管理人", "大家", "隣", "近所", "隣人", "友人", "知人", "本人", "店主", "店員",
    "運転手", "ドライバー", "スタッフ", "ボランティア", "社長", "住職", "客", "皆", "みな",
    "奥", "おばあ", "おじい", "ばあ", "じい", "おば", "おじ", "おかあ", "おとう", "おねえ",
    "おにい", "お母", "お父", "お姉", "お兄", "お嬢", "坊",
)

# Places named after the word before them: in 川北の公民館 or 坂下のスーパー that word is
# a place, though surnames are written the same way (kit.masking keeps it).
PLACE_WORDS: tuple[str, ...] = (
    "公民館", "集会所", "会館", "センター", "スーパー", "店", "商店", "商店街", "駅", "バス停", "停留所",
    "公園", "病院", "診療所", "医院", "薬局", "団地", "地区", "地域", "自治会", "町内会", "学校", "小学校",
    "中学校", "保育園", "幼稚園", "神社", "寺", "お寺", "郵便局", "銀行", "交番", "交差点", "坂", "橋",
    "川", "山", "方面", "あたり", "辺り", "周辺", "近く", "住民", "集落", "地元", "施設", "ホーム",
)

# Words in a case note that point to a 生活課題 (kit.steps.cases.tagging suggests the tag, the user
# confirms it). Verbs are given as the tokenizer's base form (歩ける for 歩けない);
# words of two or more characters also match inside longer words (ゴミ出し).
LIFE_ISSUE_KEYWORDS: dict[str, tuple[str, ...]] = {
    "掃除": ("掃除", "片付け", "片づけ", "ゴミ", "ごみ", "清掃", "整理整頓", "掃除機"),
    "洗濯": ("洗濯", "洗濯物", "物干し", "布団干し", "アイロン"),
    "調理": ("調理", "料理", "炊事", "自炊", "台所", "献立"),
    "買物": ("買物", "買い物", "スーパー", "商店", "移動販売", "品物", "宅配", "生協", "買える"),
    "見守り": ("見守り", "見守る", "安否", "見回り", "声かけ", "声掛け", "訪問", "倒れる", "緊急",
             "連絡手段", "安心", "後見", "一人で家", "一人になる"),
    "移動": ("移動", "外出", "バス", "タクシー", "運転", "免許", "送迎", "坂", "歩く", "歩ける",
           "交通", "デマンド", "乗り合い", "乗り換え", "停留所", "バス停", "電車", "移送", "足がない"),
    "住まい": ("住まい", "住宅", "住み続ける", "今の家", "自宅で過ごす", "段差", "階段", "エレベーター",
            "手すり", "空き家", "雨漏り", "修繕", "団地", "雪", "玄関", "庭"),
    "居場所": ("居場所", "閉じこもり", "こもりがち", "引きこもり", "孤立", "話し相手", "話す機会",
            "会話", "サロン", "茶話会", "集い", "仲間", "寂しい", "さびしい", "出かける場所",
            "通いの場", "知り合い", "人と話す", "人と関わる"),
    "食事": ("食事", "配食", "弁当", "食べる", "食べ物", "栄養", "体重", "食欲", "会食", "食堂"),
    "健康": ("健康", "体操", "運動", "体力", "フレイル", "筋力", "転倒", "転ぶ", "膝", "腰", "痛み",
           "痛める", "リハビリ", "介護予防", "眠れる", "睡眠", "頭痛", "手術", "酒"),
    "医療": ("医療", "通院", "病院", "受診", "服薬", "薬", "主治医", "診療所", "医師", "入院", "退院",
           "かかりつけ", "持病"),
    "介護": ("介護", "認知症", "デイサービス", "介護者", "要介護", "老老介護", "障害", "世話をする"),
    "学び": ("学び", "学ぶ", "講座", "勉強", "スマホ", "パソコン", "本", "図書館", "読書", "習い事",
           "使い方"),
    "文化・芸術": ("文化", "芸術", "歌う", "カラオケ", "合唱", "音楽", "絵", "書道", "手芸", "俳句",
               "短歌", "写真", "演奏", "伴奏"),
    "多世代交流": ("多世代", "世代間", "孫", "子育て", "学校", "児童", "若い世代", "おもちゃ", "親子"),
    "スポーツ・レクリエーション": ("スポーツ", "レクリエーション", "ジム", "フィットネス", "ゲートボール",
                          "グラウンドゴルフ", "散歩", "ウォーキング", "旅行", "釣り", "園芸"),
    "まちづくり": ("まちづくり", "町づくり", "自治会", "町内会", "商店会", "商店街", "空き店舗", "祭り"),
    "ボランティア・地域活動": ("ボランティア", "地域活動", "役割", "役に立つ", "出番", "手伝い", "手伝う",
                      "当番", "担い手", "運営"),
    "就労": ("就労", "仕事", "働く", "勤務", "復職", "シルバー人材", "収入", "経験を生かす"),
    "後継者": ("後継者", "跡継ぎ", "継ぐ", "受け継ぐ", "後継ぎ"),
    "防災・防犯": ("防災", "防犯", "避難", "災害", "地震", "大雨", "台風", "詐欺", "不審", "火事", "火災",
              "停電"),
    "農地": ("農地", "畑", "田んぼ", "農業", "耕作", "米作り"),
    "環境保全": ("環境保全", "里山", "清掃活動", "美化", "花壇", "獣害", "草取り", "草刈り", "庭木"),
}
