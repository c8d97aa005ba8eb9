"""The questionnaire items of the 介護予防・日常生活圏域ニーズ調査 that the kit scores, as data.

Sources:

- 厚生労働省「介護予防・日常生活圏域ニーズ調査 実施の手引き」and its 調査票 (必須項目,
  第8期 edition, 2019). Item numbers ``問2(1)`` … follow that 調査票 as far as it could
  be checked offline; editions move some questions (within 問3 especially), and
  municipalities that add their own renumber, so a column is known by its whole
  header, not by its number. The 手引き's 評価 (risk judgement) is in ``NEEDS_RULES``.
- 厚生労働省「基本チェックリスト」(25 items), used for 事業対象者 judgement. Most of its
  items are answered by the ニーズ調査 items above (``checklist_no``); the ten it needs
  beyond them are asked as オプション項目 and carry a ``基本(n)`` header. They keep the
  checklist's own coding, in which the code is the point (1 = counts, 0 = does not).
  Its judgement is in ``CHECKLIST_RULES``.

Header convention (what a survey export looks like, and readable): the item number
as printed on the 調査票, then a short Japanese label, no spaces, e.g. ``問2(1)階段昇り``,
``問3(1)身長cm``, ``基本(19)電話をかける``. Empty cells are non-responses.

Scoring, written once here so every page counts the same way:

- an item "counts toward risk" when its answer code is in ``risk_codes`` (手引き) or
  ``checklist_risk_codes`` (基本チェックリスト, for the item's ``checklist_no``);
- a rule flags a respondent when at least ``at_least`` of its items count;
- ``BMI`` is a derived item, 体重kg / (身長m)², counting when below ``BMI_CUTOFF``;
- where a ニーズ調査 item answers a checklist question, 「できるけどしていない」 scores like
  the checklist's 「いいえ」, since the checklist asks whether the person does it, and
  問2(6) scores only for 「ほとんど外出しない」 (the checklist's 週1回 is 「はい」).
- IADL (問4(2)–(6)): the 手引き gives 1 point for 「できるし、している」 or
  「できるけどしていない」, and rates 5 points 高い, 4 やや低い, 3 or fewer 低い. The
  flag ``IADL低下`` is 「低い」 (two or more 「できない」); some municipalities also
  count 4 points, which would be ``at_least=1``.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "SurveyItem",
    "NeedsRule",
    "ChecklistRule",
    "BMI",
    "BMI_CUTOFF",
    "HEIGHT",
    "WEIGHT",
    "SURVEY_ITEMS",
    "NEEDS_RULES",
    "CHECKLIST_RULES",
    "item",
]


@dataclass(frozen=True)
class SurveyItem:
    """One questionnaire item: its column header, wording and coded answers."""

    column: str
    question: str
    choices: tuple[tuple[int, str], ...] = ()  # (code, label) as printed; empty = numeric answer
    risk_codes: tuple[int, ...] = ()  # codes that count toward a 手引き risk flag
    checklist_no: int | None = None  # 基本チェックリスト number this item answers
    checklist_risk_codes: tuple[int, ...] = ()  # codes that score 1 on that checklist item
    unit: str = ""  # for numeric answers


@dataclass(frozen=True)
class NeedsRule:
    """A 手引き risk flag: set when at least ``at_least`` of ``columns`` count."""

    flag: str
    columns: tuple[str, ...]
    at_least: int


@dataclass(frozen=True)
class ChecklistRule:
    """A 基本チェックリスト criterion over checklist numbers (No.12 is the BMI item)."""

    label: str
    numbers: tuple[int, ...]
    at_least: int


_CAN_DO = ((1, "できるし、している"), (2, "できるけどしていない"), (3, "できない"))
_YES_NO = ((1, "はい"), (2, "いいえ"))
# 基本チェックリスト coding: the code is the point.
_CL_YES_GOOD = ((0, "はい"), (1, "いいえ"))
_CL_YES_BAD = ((1, "はい"), (0, "いいえ"))
_INTENT = ((1, "是非参加したい"), (2, "参加してもよい"), (3, "参加したくない"), (4, "既に参加している"))

HEIGHT = "問3(1)身長cm"
WEIGHT = "問3(1)体重kg"
BMI = "BMI"  # derived from HEIGHT and WEIGHT
BMI_CUTOFF = 18.5

SURVEY_ITEMS: tuple[SurveyItem, ...] = (
    SurveyItem("問1(1)家族構成", "家族構成をお教えください",
               ((1, "1人暮らし"), (2, "夫婦2人暮らし(配偶者65歳以上)"), (3, "夫婦2人暮らし(配偶者64歳以下)"),
                (4, "息子・娘との2世帯"), (5, "その他"))),
    SurveyItem("問2(1)階段昇り", "階段を手すりや壁をつたわらずに昇っていますか", _CAN_DO, (3,), 6, (2, 3)),
    SurveyItem("問2(2)椅子立ち上がり", "椅子に座った状態から何もつかまらずに立ち上がっていますか",
               _CAN_DO, (3,), 7, (2, 3)),
    SurveyItem("問2(3)15分歩行", "15分位続けて歩いていますか", _CAN_DO, (3,), 8, (2, 3)),
    SurveyItem("問2(4)転倒経験", "過去1年間に転んだ経験がありますか",
               ((1, "何度もある"), (2, "1度ある"), (3, "ない")), (1, 2), 9, (1, 2)),
    SurveyItem("問2(5)転倒不安", "転倒に対する不安は大きいですか",
               ((1, "とても不安である"), (2, "やや不安である"), (3, "あまり不安でない"), (4, "不安でない")),
               (1, 2), 10, (1, 2)),
    SurveyItem("問2(6)外出頻度", "週に1回以上は外出していますか",
               ((1, "ほとんど外出しない"), (2, "週1回"), (3, "週2～4回"), (4, "週5回以上")), (1, 2), 16, (1,)),
    SurveyItem("問2(7)外出回数減少", "昨年と比べて外出の回数が減っていますか",
               ((1, "とても減っている"), (2, "減っている"), (3, "あまり減っていない"), (4, "減っていない")),
               (), 17, (1, 2)),
    SurveyItem(HEIGHT, "身長", unit="cm"),
    SurveyItem(WEIGHT, "体重", unit="kg"),
    SurveyItem("問3(2)固いもの", "半年前に比べて固いものが食べにくくなりましたか", _YES_NO, (1,), 13, (1,)),
    SurveyItem("問3(3)むせ", "お茶や汁物等でむせることがありますか", _YES_NO, (1,), 14, (1,)),
    SurveyItem("問3(4)口の渇き", "口の渇きが気になりますか", _YES_NO, (1,), 15, (1,)),
    SurveyItem("問3(5)体重減少", "6か月間で2～3kg以上の体重減少がありましたか", _YES_NO, (1,), 11, (1,)),
    SurveyItem("問4(1)物忘れ", "物忘れが多いと感じますか", _YES_NO, (1,)),
    SurveyItem("問4(2)バス電車で外出", "バスや電車を使って1人で外出していますか(自家用車でも可)",
               _CAN_DO, (3,), 1, (2, 3)),
    SurveyItem("問4(3)買物", "自分で食品・日用品の買物をしていますか", _CAN_DO, (3,), 2, (2, 3)),
    SurveyItem("問4(4)食事の用意", "自分で食事の用意をしていますか", _CAN_DO, (3,)),
    SurveyItem("問4(5)請求書の支払い", "自分で請求書の支払いをしていますか", _CAN_DO, (3,)),
    SurveyItem("問4(6)預貯金の出し入れ", "自分で預貯金の出し入れをしていますか", _CAN_DO, (3,), 3, (2, 3)),
    SurveyItem("問5(2)参加者として参加意向",
               "地域住民の有志によって健康づくり活動や趣味等のグループ活動を行って、"
               "いきいきした地域づくりを進めるとしたら、参加者として参加してみたいと思いますか", _INTENT),
    SurveyItem("問5(3)お世話役として参加意向",
               "その活動に企画・運営(お世話役)として参加してみたいと思いますか", _INTENT),
    SurveyItem("問7(3)気分の沈み",
               "この1か月間、気分が沈んだり、ゆううつな気持ちになったりすることがありましたか", _YES_NO, (1,)),
    SurveyItem("問7(4)興味がわかない",
               "この1か月間、どうしても物事に対して興味がわかない、あるいは心から楽しめない感じがよくありましたか",
               _YES_NO, (1,)),
    SurveyItem("基本(4)友人宅訪問", "友人の家を訪ねていますか", _CL_YES_GOOD, (), 4, (1,)),
    SurveyItem("基本(5)相談にのる", "家族や友人の相談にのっていますか", _CL_YES_GOOD, (), 5, (1,)),
    SurveyItem("基本(18)物忘れ指摘", "周りの人から「いつも同じ事を聞く」などの物忘れがあると言われますか",
               _CL_YES_BAD, (), 18, (1,)),
    SurveyItem("基本(19)電話をかける", "自分で電話番号を調べて、電話をかけることをしていますか",
               _CL_YES_GOOD, (), 19, (1,)),
    SurveyItem("基本(20)日付不明", "今日が何月何日かわからない時がありますか", _CL_YES_BAD, (), 20, (1,)),
    SurveyItem("基本(21)充実感がない", "(ここ2週間)毎日の生活に充実感がない", _CL_YES_BAD, (), 21, (1,)),
    SurveyItem("基本(22)楽しめない", "(ここ2週間)これまで楽しんでやれていたことが楽しめなくなった",
               _CL_YES_BAD, (), 22, (1,)),
    SurveyItem("基本(23)おっくう", "(ここ2週間)以前は楽にできていたことが今ではおっくうに感じられる",
               _CL_YES_BAD, (), 23, (1,)),
    SurveyItem("基本(24)役に立つと思えない", "(ここ2週間)自分が役に立つ人間だと思えない", _CL_YES_BAD, (), 24, (1,)),
    SurveyItem("基本(25)疲れた感じ", "(ここ2週間)わけもなく疲れたような感じがする", _CL_YES_BAD, (), 25, (1,)),
)

# 手引き's 評価: one rule per flag of vocab.RISK_FLAGS, in that order.
NEEDS_RULES: tuple[NeedsRule, ...] = (
    NeedsRule("運動器機能低下", ("問2(1)階段昇り", "問2(2)椅子立ち上がり", "問2(3)15分歩行",
                          "問2(4)転倒経験", "問2(5)転倒不安"), 3),
    NeedsRule("転倒リスク", ("問2(4)転倒経験",), 1),
    NeedsRule("閉じこもり傾向", ("問2(6)外出頻度",), 1),
    NeedsRule("低栄養", (BMI, "問3(5)体重減少"), 2),
    NeedsRule("口腔機能低下", ("問3(2)固いもの", "問3(3)むせ", "問3(4)口の渇き"), 2),
    NeedsRule("認知機能低下", ("問4(1)物忘れ",), 1),
    NeedsRule("うつ傾向", ("問7(3)気分の沈み", "問7(4)興味がわかない"), 1),
    NeedsRule("IADL低下", ("問4(2)バス電車で外出", "問4(3)買物", "問4(4)食事の用意",
                         "問4(5)請求書の支払い", "問4(6)預貯金の出し入れ"), 2),
)

# 基本チェックリスト: 事業対象者 when any criterion holds.
CHECKLIST_RULES: tuple[ChecklistRule, ...] = (
    ChecklistRule("複数の項目に支障", tuple(range(1, 21)), 10),
    ChecklistRule("運動機能の低下", (6, 7, 8, 9, 10), 3),
    ChecklistRule("低栄養状態", (11, 12), 2),
    ChecklistRule("口腔機能の低下", (13, 14, 15), 2),
    ChecklistRule("閉じこもり", (16,), 1),
    ChecklistRule("認知機能の低下", (18, 19, 20), 1),
    ChecklistRule("うつ病の可能性", (21, 22, 23, 24, 25), 2),
)

_BY_COLUMN = {i.column: i for i in SURVEY_ITEMS}


def item(column: str) -> SurveyItem:
    """The item whose header is ``column`` (KeyError if the kit does not know it)."""
    return _BY_COLUMN[column]
