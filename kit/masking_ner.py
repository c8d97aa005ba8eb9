"""People's names found by a Japanese NER model and the dictionary behind it.

Used by :mod:`kit.masking` only inside the process that runs the masking engine
(the server's masking worker, or a script/test that masks in-process): loading
the model costs ≈0.5 GiB and a second or two, so no page kernel imports this.

Evidence is combined because each source alone misses too much on text nobody
here wrote (``bench/bench_masking.py``):

- GiNZA's NER (``ja_ginza``, spaCy) labels spans ``Person``; alone it also calls
  companies (トヨタ) and garments persons, so its spans are kept only when the
  dictionary agrees or the span is a katakana word the dictionary does not know.
- SudachiPy's dictionary (GiNZA's tokenizer) tags words 名詞-固有名詞-人名-姓/名/一般:
  a surname with a given name is a person wherever it stands; a bare surname only
  where it stands as a word of its own (佐藤は, 佐藤監督), not in 佐藤商店.
- A katakana name written with ・ (ジョン・ロルフ) is one person when one part is
  a known name; a word before a title (バルダッチ知事) is a person's name.

Every name found also hides its other mentions in the same text (田中花子さん … 田中が
… 花子さんは), where they stand as words of their own.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass

from kit.vocab import KINSHIP_TERMS, NAME_HONORIFICS, PERSON_ROLE_TERMS, PLACE_WORDS

__all__ = ["MODEL", "Token", "analyse", "load", "person_spans"]

MODEL = "ja_ginza"
_PERSON = "名詞-固有名詞-人名"
_PLACE = "名詞-固有名詞-地名"
_KATAKANA = re.compile("[\u30a1-\u30fa\u30fc\uff66-\uff9f]+")
_KATAKANA_OR_LATIN = re.compile("[\u30a1-\u30fa\u30fc\uff66-\uff9fA-Za-zＡ-Ｚａ-ｚ.]+")
# Aさん, Ｂ氏: the letters by which de-identified cases name people are no names.
_LETTER_ALIAS = re.compile("[A-Za-zＡ-Ｚａ-ｚ]{1,2}")
_JOINERS = ("・", "＝", "=", "･")
# Titles and roles written straight after a name (佐藤監督, バルダッチ知事, 相馬家).
_TITLES = frozenset((
    "監督", "社長", "会長", "副社長", "専務", "常務", "部長", "課長", "係長", "理事長", "院長", "所長",
    "園長", "校長", "館長", "店長", "知事", "市長", "町長", "村長", "区長", "大統領", "首相", "総理",
    "総書記", "議員", "大臣", "長官", "将軍", "大将", "中将", "少将", "大佐", "中佐", "少佐", "選手",
    "投手", "捕手", "卿", "教授", "准教授", "博士", "医師", "夫人", "家", "一家", "親子", "兄弟", "姉妹",
    "容疑者", "被告", "受刑者", "記者", "弁護士", "司法書士", "税理士", "看護師", "委員", "委員長",
    "代表", "代表理事", "理事", "主任", "師匠", "氏", "女史", "殿", "翁", "嬢",
)) | frozenset(NAME_HONORIFICS)
# Also a word's end, but no proof of a name before it (タクシー運転手, デイサービス職員).
_ROLES = frozenset(t for t in PERSON_ROLE_TERMS if len(t) >= 2)
# GiNZA labels that mean "not a person" strongly enough to overrule a bare surname.
_PLACE_OR_ORG = re.compile(
    r"City|Province|County|Country|GPE|Location|Region|Station|Facility|Company|Corporation|"
    r"Organization|School|Government|Political|Military|Airport|Port|Road|Railroad|Line|Bridge|"
    r"Park|Mountain|River|Lake|Sea|Island|Domestic_Region|Theater|Hospital|Museum|Sports_Facility|"
    r"Car_Stop|Shrine|Amusement_Park|Market|Show_Organization|Pro_Sports")
_PARTICLES = frozenset(("は", "が", "と", "に", "も", "を", "の", "へ", "や", "で", "から", "より", "まで",
                        "か", "ら", "たち", "達", "ら", "、", "。", "，", "．", "」", "）", ")", "』", "！", "？",
                        "!", "?", "：", ":", "…", " ", "　", "\n"))
_PEOPLE_WORDS = frozenset(KINSHIP_TERMS) | frozenset(PERSON_ROLE_TERMS)
# Last parts that make a ・ run a company, not a person (リンカーン・ニュースペーパー・シンジケート).
_ORG_ENDINGS = frozenset(("シンジケート", "リミテッド", "グループ", "ホールディングス", "カンパニー", "コーポレーション",
                          "インク", "ジャパン", "エアライン", "エアラインズ", "ホテル", "センター", "クラブ", "チーム",
                          "ストア", "マート", "フーズ", "サービス", "システムズ", "ネットワーク", "スクール"))
# Particles after which a bare surname acts (佐藤が, 佐藤は, 佐藤と): not の or に (坂下にある).
_ACTING = frozenset(("は", "が", "と", "も"))

_lock = threading.Lock()
_nlp = None


@dataclass(frozen=True)
class Token:
    surface: str
    start: int
    end: int
    tag: str  # Sudachi part of speech, e.g. 名詞-固有名詞-人名-姓

    @property
    def person(self) -> bool:
        return self.tag.startswith(_PERSON)

    @property
    def surname(self) -> bool:
        return self.tag == _PERSON + "-姓"

    @property
    def given(self) -> bool:
        return self.tag == _PERSON + "-名"

    @property
    def noun(self) -> bool:
        return self.tag.startswith(("名詞", "接尾辞-名詞"))


def load():
    """The spaCy pipeline, loaded once per process (thread-safe). Parsing is not
    needed for names, so the parser is left out: a third less work per text."""
    global _nlp
    with _lock:
        if _nlp is None:
            import spacy

            _nlp = spacy.load(MODEL, exclude=["parser", "bunsetu_recognizer", "compound_splitter"])
        return _nlp


def analyse(texts: list[str]) -> list[tuple[list[Token], list[tuple[int, int, str]]]]:
    """Tokens and NER entities of each text, through the model in one batch."""
    nlp = load()
    out = []
    for doc in nlp.pipe(texts, batch_size=32):
        tokens = [Token(t.text, t.idx, t.idx + len(t.text), t.tag_) for t in doc]
        ents = [(e.start_char, e.end_char, e.label_) for e in doc.ents]
        out.append((tokens, ents))
    return out


def _bounded_before(tokens: list[Token], i: int) -> bool:
    """True when token ``i`` starts a word: nothing noun-like is glued before it."""
    return i == 0 or not tokens[i - 1].noun or tokens[i - 1].end < tokens[i].start \
        or tokens[i - 1].surface in _PEOPLE_WORDS or tokens[i - 1].surface in _TITLES


def _bounded_after(tokens: list[Token], j: int) -> bool:
    """True when the word ending before token ``j`` ends there (a particle, a title or the end)."""
    return j >= len(tokens) or tokens[j].surface in _PARTICLES or tokens[j].surface in _TITLES \
        or tokens[j].surface in _ROLES \
        or not tokens[j].noun or tokens[j].start > tokens[j - 1].end


def _place_before(tokens: list[Token], j: int) -> bool:
    """True when the word ending before token ``j`` names a place: 川北の公民館."""
    return j + 1 < len(tokens) and tokens[j].surface == "の" and tokens[j + 1].surface in PLACE_WORDS


def _label_at(ents: list[tuple[int, int, str]], start: int, end: int) -> str:
    return next((label for s, e, label in ents if s < end and e > start), "")


def _katakana_chain(tokens: list[Token], i: int) -> int:
    """Index after a run like ジョン・ロルフ starting at ``i`` (a single word counts too)."""
    j = i
    while j < len(tokens) and _KATAKANA_OR_LATIN.fullmatch(tokens[j].surface):
        j += 1
        if j + 1 < len(tokens) and tokens[j].surface in _JOINERS \
                and _KATAKANA_OR_LATIN.fullmatch(tokens[j + 1].surface):
            j += 1
        else:
            break
    return j


def _dictionary_names(tokens: list[Token], ents) -> list[tuple[int, int]]:
    spans = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if _KATAKANA.fullmatch(token.surface):
            j = _katakana_chain(tokens, i)
            parts = [t for t in tokens[i:j] if t.surface not in _JOINERS]
            named = any(t.person for t in parts) and parts[-1].surface not in _ORG_ENDINGS
            titled = j < len(tokens) and tokens[j].surface in _TITLES
            # A ・ run or a title marks its own start (フランス人ピエール・…, ソ連側ウラジミロフ少将).
            own_start = len(parts) > 1 or titled or _bounded_before(tokens, i)
            label = _label_at(ents, token.start, tokens[j - 1].end)
            if (named or (titled and not _PLACE_OR_ORG.search(label))) and own_start \
                    and _bounded_after(tokens, j) and not (len(parts) == 1 and parts[0].surface in _PEOPLE_WORDS):
                spans.append((token.start, tokens[j - 1].end))
            i = max(j, i + 1)
            continue
        if token.person and not _LETTER_ALIAS.fullmatch(token.surface):
            j = i + 1
            while j < len(tokens) and tokens[j].person and tokens[j].start == tokens[j - 1].end:
                j += 1
            run = tokens[i:j]
            text = "".join(t.surface for t in run)
            # A given name alone is also a word (耕作, 実): the model must agree.
            full = len(run) >= 2 or token.tag == _PERSON + "-一般" or (
                token.given and len(text) >= 2 and _label_at(ents, token.start, run[-1].end) == "Person")
            if full and not (len(run) == 1 and text in _PEOPLE_WORDS):
                spans.append((token.start, run[-1].end))
            elif token.surname and _bounded_before(tokens, i) and _bounded_after(tokens, j):
                titled = j < len(tokens) and tokens[j].surface in _TITLES
                label = _label_at(ents, token.start, token.end)
                # 川北の公民館: a bare surname is also a place name, unless the model says person.
                # 田宮が望んだ: a surname the model left unlabelled, as the subject or partner
                # of a verb, is a person too.
                acting = not label and j < len(tokens) and tokens[j].surface in _ACTING
                if titled or ((label == "Person" or acting) and not _place_before(tokens, j)):
                    spans.append((token.start, token.end))
            i = j
            continue
        i += 1
    return spans


def _model_names(text: str, tokens: list[Token], ents) -> list[tuple[int, int]]:
    """GiNZA's Person spans that the dictionary does not contradict."""
    spans = []
    for start, end, label in ents:
        if label != "Person" or "〇" in text[start:end] or _LETTER_ALIAS.fullmatch(text[start:end]):
            continue
        inside = [i for i, t in enumerate(tokens) if t.start >= start and t.end <= end]
        while inside and tokens[inside[-1]].surface in _TITLES:
            inside.pop()  # 佐藤様: the honorific stays readable
        if not inside:
            continue
        end = tokens[inside[-1]].end
        first, last = inside[0], inside[-1]
        words = [tokens[i] for i in inside if tokens[i].surface not in _JOINERS]
        if not (_bounded_before(tokens, first) and _bounded_after(tokens, last + 1)) \
                or any(t.surface in _PEOPLE_WORDS for t in words):
            continue  # 浅野セメント, 東京ヴェルディ: part of a longer name, not a person
        titled = last + 1 < len(tokens) and tokens[last + 1].surface in _TITLES
        joined = len(words) < len(inside)
        if not titled and ((len(words) > 1 and not joined and words[-1].tag.startswith("名詞-普通名詞"))
                           or words[-1].surface in _ORG_ENDINGS):
            continue  # 浅野セメント, …・シンジケート: a name and a common noun make a company
        # The model alone also calls town names (桜台) and common words (チラシ) persons:
        # it needs the dictionary's word for a name, or a title (岡田社長: 岡田 is a place too).
        if any(t.person for t in words) and not (len(words) == 1 and words[0].surname
                                                 and _place_before(tokens, last + 1)):
            spans.append((start, end))
        elif titled and words[0].tag.startswith(_PLACE + "-一般"):
            spans.append((start, end))
    return spans


def _mentions(text: str, tokens: list[Token], spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Other mentions of the names in ``spans``: the whole name and each part of it
    (田中 and 花子 of 田中花子, ブリム of メリッサ・ブリム), where a word starts and ends."""
    starts = {t.start: i for i, t in enumerate(tokens)}
    ends = {t.end: i for i, t in enumerate(tokens)}
    names = set()
    for start, end in spans:
        names.add(text[start:end])
        parts = [t for t in tokens if t.start >= start and t.end <= end and t.surface not in _JOINERS]
        names.update(t.surface for t in parts if len(t.surface) >= 2 and t.surface not in _PEOPLE_WORDS)
    found = []
    for name in sorted(names, key=len, reverse=True):
        for match in re.finditer(re.escape(name), text):
            first, last = starts.get(match.start()), ends.get(match.end())
            if first is None or last is None:
                continue
            in_run = (first > 1 and tokens[first - 1].surface in _JOINERS
                      and _KATAKANA.fullmatch(tokens[first - 2].surface)) or \
                (last + 2 < len(tokens) and tokens[last + 1].surface in _JOINERS
                 and _KATAKANA.fullmatch(tokens[last + 2].surface))  # マイルズ・リミテッド
            if _bounded_before(tokens, first) and _bounded_after(tokens, last + 1) and not in_run:
                found.append(match.span())
    return found


def person_spans(text: str, tokens: list[Token], ents, known=()) -> list[tuple[int, int]]:
    """Where ``text`` names a person, from its tokens and NER entities, with the
    other mentions of these names and of the ``known`` ones (found by the rules)."""
    spans = _dictionary_names(tokens, ents) + _model_names(text, tokens, ents)
    return spans + _mentions(text, tokens, spans + list(known))
