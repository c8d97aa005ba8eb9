"""「明日から自分のまちで」: what each kind of input file is, who in a municipality
usually holds it, what to ask for and why the kit needs it; a template workbook per
kind, and the data-request memo (依頼文) an SC sends to the office holding the data.

Everything here is derived from :data:`kit.io.schema.SPECS`, so a kind added there
gets its template (headers, example row, column sheet) without a change here, and
a test fails until it also gets its guide in ``_GUIDES``.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

import pandas as pd

from kit import datasets, vocab
from kit.io import schema
from kit.pages import STEPS
from kit.paths import SAMPLE_TOWN
from kit.steps.assessment import survey_items

__all__ = ["KindGuide", "KIND_GUIDES", "CHECK_STEPS", "Memo", "template_columns", "template_xlsx", "template_filename", "column_sheet",
           "memo_docx", "memo_filename", "memo_paragraphs", "wareki"]

# The checklist's ticks per kind, in the order the work happens; 読み込んだ is read
# from the workspace (kit.datasets.is_uploaded), not ticked.
CHECK_STEPS: dict[str, str] = {"asked": "依頼した", "received": "受け取った"}


@dataclass(frozen=True)
class KindGuide:
    kind: str
    label: str          # the name an SC uses when asking for it
    what: str           # what the data is
    holder: str         # who in a municipality usually holds it
    ask: str            # what exactly to ask for, worded to stand in the memo as it is
    why: str            # what the kit does with it
    tip: str            # advice to the SC asking (not for the memo)
    pages: tuple[str, ...]                 # the steps (notebook files) that use it
    # An example row for the template when the sample town has no file of this kind.
    example: dict[str, object] = field(default_factory=dict)


_STEP_FILES = {page.package.rsplit(".", 1)[1]: page.file for page in STEPS}
_STEP1, _STEP2, _STEP3, _STEP4 = (_STEP_FILES[name] for name in ("assessment", "cases", "actors", "pitch"))

# In the order an SC would usually gather them: the areas first, since every other
# file names its area by their codes. ``ask`` is worded to stand in the memo as it is.
_GUIDES: tuple[KindGuide, ...] = (
    KindGuide(
        "areas", "日常生活圏域の一覧",
        what="介護保険事業計画で市町村が決めた日常生活圏域（多くは中学校区）の名前とコードです。",
        holder="介護保険担当課（介護保険事業計画の担当）。計画書の「日常生活圏域の設定」の章にも載っています。",
        ask="日常生活圏域の名前と番号（圏域コード）の一覧。都市部・郊外・中山間などの地域特性が分かれば、あわせて。",
        why="キットはすべての数字・事例・主体を圏域ごとに並べます。ほかのファイルの地区コードは、この一覧のコードに合わせます。",
        tip="番号がなければ A01、A02… と自分で振ってかまいません。計画書の本文から書き写すこともできます。",
        pages=(_STEP1, _STEP2, _STEP3, _STEP4),
    ),
    KindGuide(
        "area_map", "町丁字と日常生活圏域の対応表",
        what="「本町1丁目は中央圏域」のように、町丁字（町名・丁目・大字）がどの圏域に入るかを示す表です。",
        holder="介護保険担当課（圏域を決めたときの資料）、地域包括支援センターの担当区域の表。"
               "町丁字のコードは住民基本台帳を扱う市民課・住民課や情報政策の担当が持っています。",
        ask="町丁字ごとに1行の表で、町丁字コード（住民基本台帳の人口の表と同じもの）、町丁字名、その町丁字が入る日常生活圏域。",
        why="人口や認定者数は町丁字ごとにしか出てこないことが多く、この表があれば町丁字の数を圏域ごとに足し上げられます。",
        tip="一つの町丁字が二つの圏域にまたがるときは、どちらに数えるかも確かめておきます。",
        pages=(_STEP1,),
        example={"町丁字コード": "001001", "町丁字名": "本町1丁目", "地区コード": "A01", "地区名": "中央"},
    ),
    KindGuide(
        "population", "住民基本台帳の人口（圏域・町丁字別）",
        what="圏域（または町丁字）ごと・男女別・5歳階級別の人口です。実績は住民基本台帳や国勢調査、"
             "将来の人口は推計です。",
        holder="住民基本台帳の集計は市民課・住民課、または情報政策・統計の担当。将来推計は企画・総合計画の担当や、"
               "介護保険事業計画をつくる介護保険担当課。",
        ask="日常生活圏域別（なければ町丁字別）、男女別、5歳階級別（1歳ごとでも可）の人口。"
            "毎年同じ基準日（例: 9月末）で直近5年分程度。圏域別の将来推計があれば2040年まで。"
            "人数の集計表のみで、個人の一覧は不要です。",
        why="地域診断で、圏域ごとの高齢化の見通し、75歳以上・85歳以上の増え方、支え手とのバランスを示し、"
            "認定率や資源の数の分母にします。",
        tip="町丁字別でもらうときは、町丁字と圏域の対応表も用意します。国勢調査の町丁字別の表は e-Stat からだれでも取れます。",
        pages=(_STEP1, _STEP4),
    ),
    KindGuide(
        "certification", "要介護認定者数（圏域別）",
        what="圏域ごと・年ごとの、要支援1から要介護5までの認定者数と、第1号被保険者数です。",
        holder="介護保険担当課（認定の係、介護保険事業状況報告の担当）。",
        ask="第1号被保険者の要介護認定者数を、日常生活圏域別（なければ町丁字別）、要支援1〜要介護5の段階別に、"
            "毎年同じ時点（例: 3月末）で直近3〜5年分。同じ区分の第1号被保険者数も。人数の集計表のみ。",
        why="地域診断で、圏域ごとの認定率と、軽い段階（要支援1〜要介護1）の割合を比べます。",
        tip="人数の少ない区分を伏せる決まりがあれば、その扱いも確かめます。",
        pages=(_STEP1, _STEP4),
    ),
    KindGuide(
        "needs_survey", "介護予防・日常生活圏域ニーズ調査の個票データ",
        what="ニーズ調査の回答を1人1行にしたデータ（ローデータ）です。設問ごとに回答の番号が入っています。",
        holder="介護保険事業計画の担当（介護保険担当課・高齢福祉担当課）。集計を外部に委託していれば、委託先の調査会社も持っています。",
        ask="ニーズ調査の個票データ（1人1行、設問ごとの回答番号）。回答者は番号のみとし、氏名・住所・被保険者番号を除いたもの。"
            "日常生活圏域（または町丁字）、性別、年齢を含むもの。あわせて調査票、回答番号の意味が分かる表（コード表）、調査の年度。",
        why="地域診断で、運動器・転倒・閉じこもり・低栄養などのリスクの該当率を、判定方法を選んで圏域ごとに計算します。",
        tip="報告書の集計表では判定方法を切り替えられません。集計を委託していれば、委託先からの納品データに個票があります。",
        pages=(_STEP1, _STEP4),
    ),
    KindGuide(
        "resources", "地域資源の一覧",
        what="通いの場、サロン、介護予防教室、移動支援、配食、見守り、地域食堂など、地域にある活動とサービスの一覧です。",
        holder="生活支援体制整備事業の担当課と社会福祉協議会（サロン・ボランティア活動）、"
               "一般介護予防事業の担当（通いの場）、地域包括支援センターの資源マップ。",
        ask="通いの場・サロン・移動支援・配食などの一覧。名称、種別、活動している日常生活圏域（または所在地）、"
            "開催の頻度、対象、運営する団体。",
        why="地域診断で、ニーズと資源を重ね、高齢者千人あたりの資源の数を圏域ごとに比べます。主体リストとも結びつけます。",
        tip="資源マップや冊子をつくったときの元の Excel があれば、そのままもらうのが早道です。",
        pages=(_STEP1, _STEP3),
    ),
    KindGuide(
        "cases", "個別事例（地域ケア会議など）",
        what="地域ケア会議や日々の相談で出会った人の、本人の望み、困りごと、経過です。",
        holder="地域包括支援センター（地域ケア会議の記録）、ケアマネジャー、SC自身の相談記録。",
        ask="地域ケア会議などで検討した事例を、個人が特定できない形にしたもの（氏名・住所・電話番号・生年月日を除き、"
            "年齢は5歳階級）。日常生活圏域、世帯、要介護度、本人の望み、困りごと、経過。",
        why="個別事例から地域課題へ進むページで、生活課題を圏域ごとに積み上げて地域課題の文章にします。",
        tip="使い道（地域課題の整理）と保管のしかたを、会議の事務局と先に取り決めます。"
            "キットも読み込むときに名前や電話番号を伏せますが、元の段階で外してもらうのが基本です。",
        pages=(_STEP2, _STEP4),
    ),
    KindGuide(
        "actors", "多様な主体のリスト",
        what="企業・商店、NPO、社会福祉法人、協同組合、自治会、老人クラブなど、地域で活動する主体の一覧です。",
        holder="社会福祉協議会（ボランティア・NPOの登録）、商工会・商工会議所（会員の事業所）、市民活動・NPOセンター、"
               "自治会を担当する課、都道府県の主体リスト、協議体の名簿。",
        ask="地域で活動する企業・商店・NPO・団体の一覧。名称、種別、業種、活動している日常生活圏域、"
            "本業やサービスの内容、公開してよい連絡窓口。",
        why="多様な主体リストのページで地域課題と結びつけ、提案準備で声をかける相手を選びます。",
        tip="別々の名簿を集めると同じ主体が重なります。キットの「読み込みと重複」で1件にまとめられます。",
        pages=(_STEP3, _STEP4),
    ),
)

KIND_GUIDES: dict[str, KindGuide] = {guide.kind: guide for guide in _GUIDES if guide.kind in schema.SPECS}


# How each column type is filled in, for the template's column sheet.
_TYPE_TEXT: dict[str, str] = {
    schema.TEXT: "文字",
    schema.ID: "番号・記号（1行ごとに別の値）",
    schema.COUNT: "人数・件数（0以上の整数。「1,234」も可）",
    schema.NUMBER: "数値",
    schema.YEAR: "年（2025、2025年、令和7年、R7 など）",
    schema.DATE: "日付（2025/4/1、令和7年4月1日 など）",
    schema.ENUM: "下の値から1つ",
    schema.MULTI_ENUM: "下の値からいくつでも（「;」か「、」で区切る）",
    schema.AREA: "地区コード（圏域の一覧にあるコード）",
    schema.AREA_LIST: "地区コードをいくつでも（「;」で区切る）。市全体なら「全域」",
    schema.LATITUDE: "緯度（例: 36.1）",
    schema.LONGITUDE: "経度（例: 139.1）",
    schema.FLAG: "1（該当）か 0（非該当）",
    schema.AGE_BAND: "5歳階級（0-4、5-9 … 95-99、100+。「65～69歳」も可）",
}
_ITEM_NOTE = "ニーズ調査の設問: "
_CONTACT_NOTE = "個人情報です。本人が公開してよいと言った窓口だけを入れてください。"
_PERSONAL_COLUMNS = ("担当者", "電話", "メール")
# Excel widths of the explanation sheets' columns (full-width characters count two).
_COLUMN_SHEET_WIDTHS = (22, 24, 30, 44, 40)
_GUIDE_SHEET_WIDTHS = (22, 100)


def template_columns(kind: str) -> list[str]:
    """The template's headers: the kind's canonical columns, then, for the ニーズ調査,
    the questionnaire items the kit scores (the raw answers it asks for)."""
    columns = list(schema.SPECS[kind].names)
    if kind == "needs_survey":
        columns += [item.column for item in survey_items.SURVEY_ITEMS]
    return columns


def _cell(value: object) -> object:
    """A sample value as a spreadsheet cell: numbers stay numbers, lists are joined."""
    if isinstance(value, (tuple, list)):
        return ";".join(map(str, value))
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, bool):
        return int(value)
    if hasattr(value, "item"):  # numpy / pandas scalars
        value = value.item()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and re.fullmatch(r"\d+(\.\d+)?", value) and not value.startswith("0"):
        return float(value) if "." in value else int(value)
    return value


def _example_row(kind: str) -> dict[str, object]:
    """The sample town's first row of ``kind`` (read through the kit's own reader),
    or the guide's example when the sample town has no such file. Contact columns
    stay empty: a template is passed around an office."""
    if (SAMPLE_TOWN / f"{kind}.csv").is_file():
        row = datasets.sample(kind).iloc[0].to_dict()
    else:
        row = dict(KIND_GUIDES[kind].example)
    return {column: None if column in _PERSONAL_COLUMNS else _cell(row.get(column))
            for column in template_columns(kind)}


def _terms(column: schema.ColumnSpec) -> str:
    if column.type == schema.AGE_BAND:
        return "、".join(vocab.AGE_BANDS)
    if column.type == schema.FLAG:
        return "1、0（該当、非該当 も可）"
    return "、".join(column.vocab)


def column_sheet(kind: str) -> pd.DataFrame:
    """One row per template column: how to fill it in (the template's second sheet)."""
    spec = schema.SPECS[kind]
    rows = []
    for column in spec.columns:
        need = ("必須（空欄不可）" if column.nonempty else "必須（列は必要、空欄可）") if column.required else "任意"
        notes = []
        if column.unique:
            notes.append("同じ値を2回使わない")
        if column.default is not None:
            notes.append(f"列がなければ全行「{column.default}」とみなす")
        if column.name in _PERSONAL_COLUMNS:
            notes.append(_CONTACT_NOTE)
        rows.append({"列名": column.name, "必須": need, "書き方": _TYPE_TEXT.get(column.type, "文字"),
                     "使える値": _terms(column), "注意": "。".join(notes)})
    if kind == "needs_survey":
        for item in survey_items.SURVEY_ITEMS:
            codes = "、".join(f"{code}={label}" for code, label in item.choices) or f"数値（{item.unit}）"
            rows.append({"列名": item.column, "必須": "任意（リスクの判定に使う）", "書き方": "回答の番号（空欄は無回答）",
                         "使える値": codes, "注意": _ITEM_NOTE + item.question})
    return pd.DataFrame(rows, columns=["列名", "必須", "書き方", "使える値", "注意"])


def _guide_sheet(kind: str) -> pd.DataFrame:
    guide = KIND_GUIDES[kind]
    return pd.DataFrame({"項目": ["データ", "内容", "持っている部署", "依頼するときに伝えること", "依頼のこつ",
                                  "キットでの使い道", "このファイルの使い方"],
                         "説明": [guide.label, guide.what, guide.holder, guide.ask, guide.tip, guide.why,
                                  "1枚目のシートの2行目は見本のまち「みどり野市」の例です。上書きするか消して、"
                                  "1行目の列名はそのままに入力してください。列の順番は自由で、ほかの列を足してもかまいません。"]})


@lru_cache(maxsize=None)
def template_xlsx(kind: str) -> bytes:
    """The template workbook: the headers and one example row, the columns
    explained, and what this data is and whom to ask. Made once per kernel (about
    half a second each): page 01 offers the missing kinds' templates on every tab."""
    from openpyxl import load_workbook
    from openpyxl.styles import Alignment

    from kit.export import (  # the widths to_xlsx itself fits columns by
        _display_width,
        to_xlsx,
    )

    data = pd.DataFrame([_example_row(kind)], columns=template_columns(kind))
    book = load_workbook(io.BytesIO(to_xlsx({"データ": data, "列の説明": column_sheet(kind),
                                              "このデータについて": _guide_sheet(kind)})))
    # The two explanation sheets are read on paper too: wrapped text, A4 landscape,
    # one page wide. Row heights are set, as neither Excel nor LibreOffice fits them on opening.
    wrap = Alignment(wrap_text=True, vertical="top")
    for sheet, widths in zip(book.worksheets[1:], (_COLUMN_SHEET_WIDTHS, _GUIDE_SHEET_WIDTHS)):
        sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
        sheet.page_setup.orientation = "landscape"
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
        for letter, width in zip("ABCDE", widths):
            sheet.column_dimensions[letter].width = width
        for row in sheet.iter_rows():
            lines = 1
            for cell, width in zip(row, widths):
                cell.alignment = wrap
                lines = max(lines, -(-_display_width(cell.value) // (width - 1)))
            sheet.row_dimensions[row[0].row].height = 15 * lines
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def template_filename(kind: str, day: date | None = None) -> str:
    from kit.export import export_filename

    return export_filename(f"ひな型_{schema.SPECS[kind].label}", "xlsx", day or date.today())


# ------------------------------------------------------------------ the memo


def wareki(day: date) -> str:
    """``2025-04-01`` → ``令和7年4月1日`` (``令和元年`` for 2019), as official letters write dates."""
    if day < date(2019, 5, 1):
        raise ValueError("令和より前の日付は書けません。")
    year = day.year - 2018
    return f"令和{'元' if year == 1 else year}年{day.month}月{day.day}日"


@dataclass
class Memo:
    """The data-request memo as the user fills it in.

    ``name`` and ``contact`` are the user's own and are never saved in the
    workspace (a team's workspace is seen by the team and the facilitator);
    :meth:`saved` is what the page keeps."""

    organisation: str = ""       # 例: みどり野市 地域包括ケア推進課
    addressee: str = ""          # 例: 市民課 住民記録係
    kinds: tuple[str, ...] = ()
    deadline: date | None = None
    name: str = ""
    contact: str = ""
    issued: date | None = None   # the memo's date; today when None

    def saved(self) -> dict:
        return {"organisation": self.organisation, "addressee": self.addressee, "kinds": list(self.kinds),
                "deadline": self.deadline.isoformat() if self.deadline else None}

    @classmethod
    def from_saved(cls, value: dict | None) -> "Memo":
        value = value or {}
        try:
            deadline = date.fromisoformat(value.get("deadline") or "")
        except ValueError:  # none saved yet
            deadline = None
        return cls(organisation=value.get("organisation", ""), addressee=value.get("addressee", ""),
                   kinds=tuple(kind for kind in value.get("kinds", ()) if kind in KIND_GUIDES),
                   deadline=deadline)

    def problems(self, today: date | None = None) -> list[str]:
        """Why the memo cannot be made yet, in the words of the form; empty when it can."""
        needed = {"宛先の部署": self.addressee, "自分の所属": self.organisation, "自分の名前": self.name,
                  "頼むデータ": self.kinds, "提出の期限": self.deadline}
        missing = [label for label, value in needed.items() if not value]
        found = [f"まだ入っていない項目: {'、'.join(missing)}"] if missing else []
        if self.deadline and self.deadline < (self.issued or today or date.today()):
            found.append("提出の期限が依頼文の日付より前になっています。")
        return found


def memo_paragraphs(memo: Memo) -> list[tuple[str, str]]:
    """The memo as (style, text) pairs, the one wording both the page's preview and
    the .docx use. Styles: right, left, title, body, center, item, detail."""
    issued = memo.issued or date.today()
    sender = [memo.organisation.strip(), memo.name.strip()]
    lines: list[tuple[str, str]] = [("right", wareki(issued)),
                                    ("left", f"{memo.addressee.strip()}　御中"),
                                    *(("right", text) for text in sender if text),
                                    ("title", "地域づくりのためのデータのご提供について（依頼）")]
    lines.append(("body", "日頃より、高齢者の生活支援と介護予防の推進にご協力いただき、ありがとうございます。"
                          "生活支援体制整備事業において、日常生活圏域ごとの地域の姿を把握し、地域ケア会議や協議体で"
                          "地域課題を話し合う材料とするため、下記のデータのご提供をお願いいたします。"))
    lines.append(("center", "記"))
    lines.append(("item", "1　お願いしたいデータ"))
    for number, kind in enumerate(memo.kinds, 1):
        guide = KIND_GUIDES[kind]
        lines.append(("item", f"（{number}）{guide.label}"))
        lines.append(("detail", guide.ask))
    lines.append(("item", "2　形式"))
    lines.append(("detail", "CSV または Excel のファイルでお願いします。列の並びの見本（ひな型）を添えます。"
                            "お手元の様式のままでもかまいません。"))
    lines.append(("item", "3　個人情報の取扱い"))
    lines.append(("detail", "氏名・住所・電話番号・生年月日など、個人が特定できる情報は含めないでください。"
                            "いただいたデータは上記の目的にのみ使い、所属のルールに沿って保管します。"))
    if memo.deadline and memo.deadline >= issued:
        lines.append(("item", "4　期限"))
        lines.append(("detail", f"{wareki(memo.deadline)}までにいただけると助かります。"))
    lines.append(("right", "以上"))
    if memo.contact.strip():
        lines.append(("right", f"担当　{memo.name.strip()}（{memo.contact.strip()}）"))
    return lines


def memo_docx(memo: Memo) -> bytes:
    """The memo as a Word document on A4, ready to print or to edit."""
    # Imported here: only a page that writes a memo needs python-docx.
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = Mm(30)
    section.left_margin = section.right_margin = Mm(25)
    normal = document.styles["Normal"]
    normal.font.size = Pt(10.5)
    normal.font.name = "MS Mincho"
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), "ＭＳ 明朝")
    align = {"right": WD_ALIGN_PARAGRAPH.RIGHT, "center": WD_ALIGN_PARAGRAPH.CENTER,
             "title": WD_ALIGN_PARAGRAPH.CENTER}
    for style, text in memo_paragraphs(memo):
        paragraph = document.add_paragraph()
        run = paragraph.add_run(text)
        paragraph.alignment = align.get(style, WD_ALIGN_PARAGRAPH.LEFT)
        paragraph.paragraph_format.space_after = Pt(4)
        if style == "title":
            run.bold = True
            run.font.size = Pt(13)
            paragraph.paragraph_format.space_before = Pt(12)
            paragraph.paragraph_format.space_after = Pt(12)
        elif style == "body":
            paragraph.paragraph_format.first_line_indent = Pt(10.5)
        elif style == "detail":
            paragraph.paragraph_format.left_indent = Mm(10)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def memo_filename(memo: Memo) -> str:
    from kit.export import export_filename

    return export_filename(f"データ提供の依頼_{memo.addressee.strip() or '宛先未記入'}", "docx",
                           memo.issued or date.today())
