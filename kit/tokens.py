"""Japanese words with their positions, from the janome tokenizer (pure Python, no
dictionary download). Masking and tag suggestions both read case notes through it."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

__all__ = ["Token", "tokenize", "warm_up"]


@dataclass(frozen=True)
class Token:
    surface: str
    pos: tuple[str, ...]      # janome's part of speech, e.g. ("名詞", "固有名詞", "人名", "姓")
    base: str                 # dictionary form: 歩け → 歩ける, 転ん → 転ぶ
    start: int                # offset of the surface in the text

    @property
    def end(self) -> int:
        return self.start + len(self.surface)

    @property
    def person(self) -> bool:
        return self.pos[:3] == ("名詞", "固有名詞", "人名")

    @property
    def surname(self) -> bool:
        return self.person and self.pos[3:4] == ("姓",)


@lru_cache(maxsize=1)
def _tokenizer():
    from janome.tokenizer import (
        Tokenizer,  # takes about a second to build: once per kernel
    )

    return Tokenizer()


def tokenize(text: str) -> list[Token]:
    tokens, offset = [], 0
    for token in _tokenizer().tokenize(text):
        start = text.find(token.surface, offset)
        base = token.base_form if token.base_form != "*" else token.surface
        tokens.append(Token(token.surface, tuple(token.part_of_speech.split(",")), base, start))
        offset = start + len(token.surface)
    return tokens


def warm_up() -> None:
    """Build the tokenizer now (a page's first phase), not on the user's first click."""
    tokenize("準備")
