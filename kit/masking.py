"""Hide personal data in case notes while keeping what the notes say about care.

Case notes from 地域ケア会議 or daily matching work must be de-identified before
the kit stores or exports them (DATA_SPEC, cases). :func:`mask_text` finds names,
phone numbers, e-mail addresses, street addresses and birth dates, replaces each
with a placeholder, and returns the list of what it replaced, so that a page can
show the user what will be hidden *before* anything is saved.

Names are found by rules where something marks them as names: an honorific after
them (田中さん), a family or role word before them (長男の太郎, 民生委員の佐藤), a
surname followed by a given name as the tokenizer (janome) knows them (山田花子),
a given name left after a masked surname (〇〇 健太), a romanised name (Hanako
Yamada). A Japanese NER model and its dictionary (:mod:`kit.masking_ner`) add the
names nothing marks (佐藤は断った, ジョン・ロルフ), and every name found hides its
later mentions (田中花子さん … 田中が … 花子さんは). Organisation and place names
stay: the actor list needs them, and the care content must survive.

Where the engine runs (the model costs ≈0.5 GiB, so never once per page kernel):

- Under ``python -m kit serve`` one masking worker per server holds the model
  (:mod:`kit.masking_worker`); kernels find it through ``KIT_MASKING_WORKER`` and
  send it their texts. If it cannot be reached, :class:`MaskingUnavailable` is
  raised: nothing falls back to weaker masking.
- Anywhere else (scripts, tests, ``python -m kit mask``, a notebook in Jupyter)
  the engine runs in the calling process, loaded once on first use. A JupyterHub
  deployment should start a worker too (docs/deploy).
"""

from __future__ import annotations

import os
import re
import sys
from collections import Counter
from dataclasses import dataclass

import pandas as pd

from kit.tokens import Token, tokenize
from kit.vocab import KINSHIP_TERMS, NAME_HONORIFICS, PERSON_ROLE_TERMS

__all__ = ["NAME", "PHONE", "EMAIL", "ADDRESS", "BIRTH", "INSURED", "MYNUMBER", "KINDS", "PLACEHOLDERS",
           "TOKEN_ENV", "WORKER_ENV", "Masked", "MaskResult", "MaskingUnavailable", "find_all", "local_finds",
           "mask_text", "mask_table", "summary", "main"]

NAME, PHONE, EMAIL, ADDRESS, BIRTH = "氏名", "電話番号", "メールアドレス", "住所", "生年月日"
INSURED, MYNUMBER = "被保険者番号", "マイナンバー"
# In the order overlapping finds are preferred: an e-mail's digits are no phone number,
# a number after 被保険者番号 is that number even when it starts with 0.
KINDS: tuple[str, ...] = (EMAIL, MYNUMBER, INSURED, PHONE, BIRTH, ADDRESS, NAME)
PLACEHOLDERS: dict[str, str] = {
    NAME: "〇〇", PHONE: "〈電話番号〉", EMAIL: "〈メール〉", ADDRESS: "〈住所〉", BIRTH: "〈生年月日〉",
    INSURED: "〈被保険者番号〉", MYNUMBER: "〈マイナンバー〉",
}
# Set by ``python -m kit serve`` for its kernels: where the masking worker listens
# (``unix:/path`` or ``tcp:127.0.0.1:port``) and the secret it asks for.
WORKER_ENV = "KIT_MASKING_WORKER"
TOKEN_ENV = "KIT_MASKING_TOKEN"


class MaskingUnavailable(RuntimeError):
    """The masking engine cannot be reached. Whoever saves free text must then
    store nothing and tell the user (``message`` is Japanese, for the page):
    falling back silently to weaker masking would keep names at rest."""

    message = "個人情報を伏せる仕組みが今は使えないため、保存していません。しばらくしてからもう一度試してください。"

    def __init__(self, detail: str = "") -> None:
        super().__init__(detail or self.message)


@dataclass(frozen=True)
class Masked:
    """One piece of personal data: its kind and where it was in the original text."""
    kind: str
    original: str
    start: int
    end: int


@dataclass(frozen=True)
class MaskResult:
    text: str
    found: tuple[Masked, ...]

    def counts(self) -> dict[str, int]:
        """How many of each kind were masked, in :data:`KINDS` order."""
        counted = Counter(item.kind for item in self.found)
        return {kind: counted[kind] for kind in KINDS if counted[kind]}


# --- character classes (both widths: notes are typed on phones and in Excel) ------------
_KANJI = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff々〆ヵヶ"
_KATAKANA = "\u30a1-\u30fa\u30fc\uff66-\uff9f"
_HIRAGANA = "\u3041-\u3096"
_D = "[0-9０-９]"
_DASH = "[-－‐−‑–—ー―]"
_NUM = f"(?:{_D}{{1,4}}|[〇一二三四五六七八九十]{{1,3}})"

_EMAIL = re.compile(
    r"[A-Za-z0-9Ａ-Ｚａ-ｚ０-９._%+\-＿．－＋]+[@＠][A-Za-z0-9Ａ-Ｚａ-ｚ０-９\-－]+"
    r"(?:[.．][A-Za-z0-9Ａ-Ｚａ-ｚ０-９\-－]+)+")

# A run of digits, separators and brackets that starts like a Japanese number
# (0… or +81); kept only when it holds 10 or 11 digits (see _phones).
_PHONE = re.compile(
    rf"(?<![0-9０-９])(?:[+＋]\s?[8８][1１]\s?{_DASH}?\s?)?(?:[(（][0０]{_D}{{0,4}}[)）]|[0０]{_D}{{0,4}})"
    rf"(?:(?:{_DASH}|[ 　.．]|[()（）])?{_D}{{1,4}}){{1,3}}(?![0-9０-９])")

_ERA_YEAR = rf"(?:明治|大正|昭和|平成|令和)\s*(?:元|{_NUM})\s*年"
_WEST_YEAR = r"(?:[1１][89８９]|[2２][0０])[0-9０-９]{2}\s*年"
_YEAR = f"(?:{_ERA_YEAR}|{_WEST_YEAR})"
_DATE = re.compile(
    rf"(?:(?:[MTSHRＭＴＳＨＲ]|明治|大正|昭和|平成|令和)\s*)?{_D}{{1,4}}[./／．]{_D}{{1,2}}[./／．]{_D}{{1,2}}"
    rf"|{_YEAR}(?:\s*[（(]{_YEAR}[）)])?(?:\s*{_NUM}\s*月(?:\s*{_NUM}\s*日)?)?"
    rf"|{_NUM}\s*月\s*{_NUM}\s*日")
_BIRTH_AFTER = re.compile(r"\s*(?:生まれ|産まれ|生(?![活徒産命涯前協]))")
_BIRTH_BEFORE = re.compile(r"(?:生年月日|誕生日|生年|生まれ)\s*[:：は、]?\s*$")

# Numbers that identify a person: 介護保険の被保険者番号 (10 digits) and the マイナンバー
# (12 digits, also written 4-4-4). A count or an amount is none (1234567890円, 人, 件).
_UNITS = "(?![0-9０-９]|\\s*(?:円|人|件|個|回|歳|才|年|名|枚|本|台|世帯|%|％|万|億|kg|km|g|m))"
_DIGIT_RUN = f"(?<![0-9０-９\\-－.．]){{}}{_UNITS}"
_MYNUMBER = re.compile(_DIGIT_RUN.format(f"{_D}{{4}}[ 　\\-－]?{_D}{{4}}[ 　\\-－]?{_D}{{4}}"))
_INSURED = re.compile(_DIGIT_RUN.format(f"{_D}{{10}}"))
_INSURED_BEFORE = re.compile(r"(?:被保険者番号|被保険者証|保険者番号|被保番|保険証(?:の番号)?)\s*[:：は、]?\s*(?:No\.?|番号)?\s*$")
# Two words made only of Japanese syllables, as names are romanised (Hanako Yamada,
# YAMADA Hanako, hanako yamada); English words rarely are (home care, day service).
_ROMAJI = re.compile(r"(?:(?:ky|gy|sh|sy|ch|ts|ty|ny|hy|by|py|my|ry|[kgsztdnhbpmyrwfjv])?[aiueo]h?"
                     r"|n(?![aiueoy])|[kstpgdbm](?=[kstpgdbm])|t(?=ch))+", re.IGNORECASE)
_ROMAN_PAIR = re.compile(r"(?<![A-Za-z])([A-Za-z]{3,12})(?:[ 　]+|・)([A-Za-z]{3,12})(?![A-Za-z])")
_NOT_ROMAJI = frozenset({"home", "name", "made", "take", "same", "game", "note", "data", "zone", "more",
                         "sure", "one", "none", "make", "time", "type", "safe", "site", "bike", "mode"})
_GIVEN_AFTER = re.compile(f"〇〇[ 　]?([{_KANJI}]{{1,3}}|[{_HIRAGANA}{_KATAKANA}]{{2,4}})(?=[^{_KANJI}]|$)")

_ROOM = "(?:号室|号)"
_ADDRESS = re.compile(
    # 〒123-4567
    rf"〒\s*{_D}{{3}}{_DASH}?{_D}{{4}}|"
    # 3丁目12番5号, 二丁目5番地, 1丁目2-3, 2丁目3番地の2
    rf"{_NUM}\s*丁目(?:\s*{_NUM}\s*(?:番地?(?:\s*の?\s*{_NUM}\s*{_ROOM}?)?|{_DASH}\s*{_NUM}"
    rf"(?:\s*{_DASH}\s*{_NUM})?{_ROOM}?|{_ROOM}))?"
    # 5番地, 3番地の2, 12番5号
    rf"|(?<![0-9０-９]){_NUM}\s*番地(?:\s*の?\s*{_NUM}\s*{_ROOM}?)?|(?<![0-9０-９]){_NUM}\s*番\s*{_NUM}\s*号"
    # 3-12-5 (a 0 first is a phone number, four digits first a date)
    rf"|(?<![0-9０-９\-－.．])[1-9１-９]{_D}{{0,2}}"
    rf"{_DASH}{_D}{{1,4}}{_DASH}{_D}{{1,4}}(?:{_DASH}{_D}{{1,4}})?(?![0-9０-９]|{_DASH}{_D})"
    # 4号棟 of a housing estate
    rf"|(?<![第0-9０-９]){_D}{{1,3}}号棟"
    # 203号室, 102号 (two digits or more; 第2号被保険者 and 国道246号 are no address)
    rf"|(?<![第道0-9０-９]){_D}{{2,4}}(?:号室|号(?![線機車被館]))")

# An honorific, but not the words that merely contain one (様子, 氏名, さんぽ).
_HONORIFIC = re.compile("|".join(
    re.escape(word) + {"様": "(?![子々式相態])", "氏": "(?![名子神族])", "さん": "(?!ぽ)",
                       "君": "(?![主臨])"}.get(word, "")
    for word in sorted(NAME_HONORIFICS, key=len, reverse=True)))
_NAME_CHARS = re.compile(f"[{_KANJI}{_KATAKANA}]+$")
_HIRAGANA_RUN = re.compile(f"[{_HIRAGANA}]{{1,7}}$")
_PARTICLES = "のとはがにもをへやで"
_PEOPLE_WORDS = frozenset(KINSHIP_TERMS) | frozenset(PERSON_ROLE_TERMS)
# Role words end like this (看護師, 職員, 介護福祉士, 会長, 担当者): no name does.
_ROLE_ENDINGS = "師員士長者"
# Given names commonly end with these; with a family word before them (妻の和子)
# a two- or three-kanji word ending so is taken for a name, unless it is one of
# the ordinary words below.
_GIVEN_NAME_ENDINGS = "子郎男夫雄美江枝代恵香奈乃介助吉蔵平治次司也彦太一二三造輔哉"
_NOT_GIVEN_NAMES = frozenset({
    "息子", "様子", "調子", "椅子", "菓子", "帽子", "双子", "弟子", "親子", "団子", "障子",
    "女子", "男子", "扇子", "冊子", "利子", "丈夫", "工夫", "世代", "時代", "交代", "年代",
    "現代", "政治", "退治", "唯一", "統一", "知恵", "長男", "次男", "三男", "長女", "次女",
})
_KANJI_RUN = re.compile(f"[{_KANJI}]{{2,3}}(?![{_KANJI}])")
_JAPANESE = re.compile(f"[{_KANJI}{_KATAKANA}{_HIRAGANA}]")
# Lines masked per request: a long file streams through, the model works in batches.
_LINES_PER_BATCH = 200
_NAME_SEPARATORS = {"の", "・", "、", "：", ":", "(", "（", "「", " ", "　"}


def _is_person_word(word: str) -> bool:
    """True for a family or role word (長男, ヘルパー, 自治会長), which is no name."""
    return (word in _PEOPLE_WORDS or word[-1] in _ROLE_ENDINGS
            or any(word.endswith(term) for term in _PEOPLE_WORDS if len(term) >= 2))


def _strip_people_prefix(word: str) -> str:
    """長男太郎 → 太郎: drop family and role words written straight before a name."""
    changed = True
    while changed:
        changed = False
        for term in sorted(_PEOPLE_WORDS, key=len, reverse=True):
            if word.startswith(term) and len(word) > len(term):
                word, changed = word[len(term):], True
                break
    return word


def _name_before(text: str, end: int) -> tuple[int, int] | None:
    """The name ending at ``end`` (where an honorific starts), or None."""
    run = _NAME_CHARS.search(text[max(0, end - 10):end])
    # よし子, かず江: kana before one kanji. Not お隣さん or なじみのお客さん: a family or
    # role word there makes no name (子 excepted, the commonest ending of given names).
    if run and len(run.group()) == 1 and (run.group() == "子" or run.group() not in _PEOPLE_WORDS):
        kana = _hiragana_name(text, end - 1)
        if kana and text[kana[0]:end - 1] not in ("お", "ご"):
            return kana[0], end
    if run:
        word = run.group()
        tokens = tokenize(word)
        persons = 0
        while persons < len(tokens) and tokens[len(tokens) - 1 - persons].person:
            persons += 1
        if persons and persons < len(tokens):  # 隣家佐藤 → 佐藤
            word = "".join(token.surface for token in tokens[len(tokens) - persons:])
        else:
            word = _strip_people_prefix(word)
            if _is_person_word(word):
                return None
        return end - len(word), end
    return _hiragana_name(text, end, minimum=2)


def _hiragana_name(text: str, end: int, minimum: int = 1) -> tuple[int, int] | None:
    """A name written in hiragana that ends at ``end`` (ゆい, みよこ), or None."""
    run = _HIRAGANA_RUN.search(text[max(0, end - 7):end])
    if not run or run.start() == 0 and end - 7 > 0 and len(run.group()) == 7:
        return None  # no kana, or a long kana stretch: no telling where a name starts
    word = run.group()
    before = text[end - len(word) - 1] if end - len(word) > 0 else ""
    if len(word) > 1 and word[0] in _PARTICLES and before and not re.match(f"[{_HIRAGANA}]", before):
        word = word[1:]  # 孫のゆい → ゆい
    if len(word) < minimum or word in _PEOPLE_WORDS or word[-1] in _PARTICLES:
        return None
    return end - len(word), end


def _with_surname(text: str, start: int) -> int:
    """Where a name starting at ``start`` really starts: 野沢 千代子 is written with a
    space, and the surname before it (as the tokenizer knows surnames) belongs to it."""
    if start < 2 or text[start - 1] not in " 　":
        return start
    run = _NAME_CHARS.search(text[max(0, start - 6):start - 1])
    tokens = tokenize(run.group()) if run else []
    if len(tokens) == 1 and tokens[0].surname:
        return start - 1 - len(run.group())
    return start


def _honorific_names(text: str) -> list[tuple[int, int]]:
    spans = []
    for match in _HONORIFIC.finditer(text):
        span = _name_before(text, match.start())
        if span:
            spans.append((_with_surname(text, span[0]), span[1]))
    return spans


def _person_run(tokens: list[Token], index: int) -> int:
    """Index after the run of name tokens starting at ``index`` (山田 花子, 斎藤 キヨ).
    A short katakana word after a surname is a given name (キヨ, タケ); a longer one
    is a place or a shop (桜台センター)."""
    end = index
    while end < len(tokens) and (tokens[end].person or (
            end > index and tokens[end - 1].surname
            and re.fullmatch(f"[{_KATAKANA}]{{1,2}}", tokens[end].surface))):
        end += 1
    return end


def _context_names(text: str, tokens: list[Token]) -> list[tuple[int, int]]:
    """Names after a family or role word (長男の太郎, 民生委員の佐藤) and full names."""
    spans = []
    for i, token in enumerate(tokens):
        if token.surname:
            end = _person_run(tokens, i)
            if end - i >= 2:  # surname + given name: a person wherever it stands
                spans.append((token.start, tokens[end - 1].end))
        family = any(text.endswith(term, 0, token.end) for term in KINSHIP_TERMS)
        if not (family or any(text.endswith(term, 0, token.end) for term in PERSON_ROLE_TERMS)):
            continue
        j = i + 1
        if j < len(tokens) and tokens[j].surface in _NAME_SEPARATORS:
            j += 1
        if j >= len(tokens):
            continue
        if tokens[j].person:
            spans.append((tokens[j].start, tokens[_person_run(tokens, j) - 1].end))
        elif family:
            run = _KANJI_RUN.match(text, tokens[j].start)
            if run and run.group()[-1] in _GIVEN_NAME_ENDINGS and run.group() not in _NOT_GIVEN_NAMES:
                spans.append(run.span())
    return spans


def _phones(text: str) -> list[tuple[int, int]]:
    spans = []
    for match in _PHONE.finditer(text):
        digits = sum(char.isdigit() for char in match.group())
        international = match.group().lstrip("(（").startswith(("+", "＋"))
        if digits in ((11, 12) if international else (10, 11)):
            spans.append(match.span())
    return spans


def _birth_dates(text: str) -> list[tuple[int, int]]:
    return [match.span() for match in _DATE.finditer(text)
            if _BIRTH_AFTER.match(text, match.end()) or _BIRTH_BEFORE.search(text[:match.start()])]


def _numbers(text: str) -> list[tuple[str, int, int]]:
    finds = [(MYNUMBER, *match.span()) for match in _MYNUMBER.finditer(text)]
    for match in _INSURED.finditer(text):
        # A bare ten digits starting with 0 is a phone number; after 被保険者番号 it is that number.
        if match.group()[0] not in "0０" or _INSURED_BEFORE.search(text, 0, match.start()):
            finds.append((INSURED, *match.span()))
    return finds


def _romanised_names(text: str) -> list[tuple[int, int]]:
    return [match.span() for match in _ROMAN_PAIR.finditer(text)
            if all(_ROMAJI.fullmatch(word) and word.lower() not in _NOT_ROMAJI for word in match.groups())]


def _given_after(text: str, names: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """A given name written after a masked surname: 〇〇 健太 (masked before), 田中 健太."""
    spans = [(match.start(1), match.end(1)) for match in _GIVEN_AFTER.finditer(text)]
    for _start, end in names:
        run = re.match(f"[ 　]?([{_KANJI}]{{1,3}})(?![{_KANJI}])", text[end:])
        if not run:
            continue
        word = run.group(1)
        tokens = tokenize(word)
        given = (len(tokens) == 1 and tokens[0].person) or (
            word[-1] in _GIVEN_NAME_ENDINGS and word not in _NOT_GIVEN_NAMES and len(word) > 1)
        if given and not _is_person_word(word) and not _HONORIFIC.match(word):
            spans.append((end + run.start(1), end + run.end(1)))
    return [(start, end) for start, end in spans if not _HONORIFIC.match(text, start)]


def _rule_finds(text: str) -> list[tuple[str, int, int]]:
    finds = [(EMAIL, *match.span()) for match in _EMAIL.finditer(text)]
    finds += _numbers(text)
    finds += [(PHONE, *span) for span in _phones(text)]
    finds += [(BIRTH, *span) for span in _birth_dates(text)]
    finds += [(ADDRESS, *match.span()) for match in _ADDRESS.finditer(text)]
    finds += [(NAME, *span) for span in _romanised_names(text)]
    if _JAPANESE.search(text):
        names = _honorific_names(text) + _context_names(text, tokenize(text))
        finds += [(NAME, start, end) for start, end in names if end > start]
    return finds


def _merged_names(finds: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """One mask for touching or overlapping name finds (田中 + 花子 → 〇〇, not 〇〇〇〇)."""
    names = sorted((start, end) for kind, start, end in finds if kind == NAME)
    merged: list[list[int]] = []
    for start, end in names:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [f for f in finds if f[0] != NAME] + [(NAME, start, end) for start, end in merged]


def local_finds(texts: list[str]) -> list[list[tuple[str, int, int]]]:
    """What to mask in each text, ``(kind, start, end)``, computed in this process
    (the model is loaded on first use). Raises :class:`MaskingUnavailable` when the
    model is not installed: masking with the rules alone would miss most names."""
    japanese = [text for text in texts if _JAPANESE.search(text)]
    try:
        from kit import masking_ner

        analysed = dict(zip(japanese, masking_ner.analyse(japanese))) if japanese else {}
    except (ImportError, OSError) as error:
        raise MaskingUnavailable(f"masking model unavailable: {error}") from error
    out = []
    for text in texts:
        finds = _rule_finds(text)
        if text in analysed:
            known = [(start, end) for kind, start, end in finds if kind == NAME]
            finds += [(NAME, *span) for span in masking_ner.person_spans(text, *analysed[text], known=known)]
        finds += [(NAME, *span) for span in _given_after(text, [(s, e) for k, s, e in finds if k == NAME])]
        out.append(_without_overlaps(_merged_names(finds)))
    return out


def find_all(texts: list[str]) -> list[list[tuple[str, int, int]]]:
    """What to mask in each text, by the engine this process is meant to use: the
    server's worker when ``KIT_MASKING_WORKER`` is set (a page under ``python -m kit
    serve``), else this process. Raises :class:`MaskingUnavailable`."""
    address = os.environ.get(WORKER_ENV)
    if address:
        from kit.masking_worker import request

        return request(address, os.environ.get(TOKEN_ENV, ""), texts)
    return local_finds(texts)


def _without_overlaps(finds: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """Keep the preferred find where two overlap: the earlier kind in KINDS, then the longer."""
    ranked = sorted(set(finds), key=lambda f: (KINDS.index(f[0]), -(f[2] - f[1]), f[1]))
    kept: list[tuple[str, int, int]] = []
    for kind, start, end in ranked:
        if all(end <= other_start or start >= other_end for _, other_start, other_end in kept):
            kept.append((kind, start, end))
    return sorted(kept, key=lambda f: f[1])


def _result(text: str, finds: list[tuple[str, int, int]]) -> MaskResult:
    pieces, found, position = [], [], 0
    for kind, start, end in finds:
        pieces += [text[position:start], PLACEHOLDERS[kind]]
        found.append(Masked(kind, text[start:end], start, end))
        position = end
    pieces.append(text[position:])
    return MaskResult("".join(pieces), tuple(found))


def mask_text(text: str) -> MaskResult:
    """``text`` with its personal data replaced by placeholders, and what was replaced.

    The placeholders keep the sentence readable (長男の〇〇が〈電話番号〉に…), so the
    care content of a note stays usable after masking. Raises
    :class:`MaskingUnavailable` when the masking engine cannot be reached."""
    if not isinstance(text, str) or not text:
        return MaskResult("" if not isinstance(text, str) else text, ())
    return _result(text, find_all([text])[0])


def mask_table(table: pd.DataFrame, columns: tuple[str, ...] | list[str],
               id_column: str | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Mask the free-text ``columns`` of ``table``.

    Returns the masked copy and a report with one row per masked item (行 as Excel
    shows it, the row's ID, 列, 種類, 元の文字列). The report holds the originals, so
    it is for showing on screen only, never for saving. A table from ``kit.io`` is
    indexed by its Excel rows (index name 行); others count from row 2."""
    masked = table.copy()
    rows = []
    excel_rows = list(table.index) if table.index.name == "行" else list(range(2, len(table) + 2))
    present = [c for c in columns if c in table.columns]
    texts = sorted({v for c in present for v in table[c] if isinstance(v, str) and v})
    results = {text: _result(text, finds) for text, finds in zip(texts, find_all(texts))}  # one batch
    for column in present:
        values = []
        for position, value in enumerate(table[column]):
            if not isinstance(value, str) or not value:
                values.append(value)
                continue
            result = results[value]
            values.append(result.text)
            for item in result.found:
                rows.append({"行": excel_rows[position],
                             "ID": table[id_column].iloc[position] if id_column else "",
                             "列": column, "種類": item.kind, "元の文字列": item.original})
        masked[column] = pd.Series(values, index=table.index, dtype=table[column].dtype)
    report = pd.DataFrame(rows, columns=["行", "ID", "列", "種類", "元の文字列"])
    return masked, report


def summary(counts: dict[str, int]) -> str:
    """One Japanese line saying what was masked, without repeating any of it."""
    if not counts:
        return "個人情報は見つかりませんでした。"
    return "伏せた個人情報: " + "、".join(f"{kind} {count}件" for kind, count in counts.items())


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp932"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValueError("入力の文字コードを読み取れません。UTF-8 か Shift_JIS で保存してください。")


def main(stdin=None, stdout=None, stderr=None) -> int:
    """``python -m kit mask``: text on stdin, the masked text on stdout (UTF-8), a
    one-line summary on stderr. Line by line, so a long file streams through."""
    stdin = stdin or sys.stdin.buffer
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    for stream in (stdout, stderr):
        # A console that cannot show a character must not turn masking into a crash.
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")
    try:
        text = _decode(stdin.read())
    except ValueError as error:
        print(f"エラー: {error}", file=stderr)
        return 1
    counts: Counter = Counter()
    lines = text.splitlines(keepends=True)
    for first in range(0, len(lines), _LINES_PER_BATCH):
        batch = lines[first:first + _LINES_PER_BATCH]
        try:
            batch_finds = find_all(batch)
        except MaskingUnavailable as error:
            print("エラー: 個人情報を伏せる仕組み（日本語の解析モデル ja_ginza）を使えません"
                  f"（{error}）。pip install -e . で入れ直してください。", file=stderr)
            return 1
        for line, finds in zip(batch, batch_finds):
            result = _result(line, finds)
            counts.update(item.kind for item in result.found)
            stdout.write(result.text)
    stdout.flush()
    print(summary({kind: counts[kind] for kind in KINDS if counts[kind]}), file=stderr)
    return 0
