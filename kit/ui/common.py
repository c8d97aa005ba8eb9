"""Small pieces every screen uses: message boxes, link buttons, autosaved text, page style."""

from __future__ import annotations

import base64
import html
from datetime import datetime

import ipywidgets as widgets

from kit.pages import LANDING
from kit.store import Workspace, normalise_workspace_name
from kit.workspace import DEFAULT_WORKSPACE, page_link

__all__ = ["message", "link_button", "autosaved_text", "page_style", "resolve_workspace",
           "download_link"]

_MESSAGE_COLOURS = {
    "info": ("#e8f1fb", "#1f5f99"),
    "ok": ("#e9f6ec", "#1d6b35"),
    "warning": ("#fff6e0", "#8a5a00"),
    "error": ("#fdecec", "#a12622"),
}


def message(kind: str, text: str) -> str:
    """A coloured box around ``text`` (escaped here, so callers pass raw text)."""
    background, colour = _MESSAGE_COLOURS[kind]
    return (f'<div class="kit-message kit-{kind}" style="background:{background};color:{colour};'
            f'padding:0.5em 0.8em;border-radius:4px;margin:0.3em 0">{html.escape(text)}</div>')


def link_button(href: str, label: str) -> str:
    """An HTML link styled as a button; a plain link keeps working without JavaScript."""
    return (f'<a class="kit-link-button" href="{html.escape(href)}" style="display:inline-block;'
            f'padding:0.35em 1em;background:#1f5f99;color:#fff;border-radius:4px;'
            f'text-decoration:none">{html.escape(label)}</a>')


def autosaved_text(text: widgets.Textarea | widgets.Text, status: widgets.HTML,
                   workspace, key: str) -> None:
    """Fill ``text`` from the workspace and save every change back at once.

    If saving fails the text stays in the browser and the status says so, so the
    user can copy it somewhere safe instead of losing it."""
    text.value = workspace.get(key, "") or ""

    def save(change) -> None:
        try:
            workspace.put(key, change["new"])
        except Exception as error:  # any store failure must reach the user, not a log
            status.value = message("error", f"保存できませんでした。文章をコピーして控えてください。({error})")
            return
        status.value = f'<span class="kit-saved" style="color:#1d6b35">保存しました ({datetime.now():%H:%M:%S})</span>'

    text.observe(save, "value")


def page_style() -> widgets.HTML:
    """Fonts and spacing shared by all pages (system Japanese fonts, no web fonts)."""
    return widgets.HTML(
        "<style>"
        ".jp-RenderedHTMLCommon, .widget-html-content, .widget-label {"
        " font-family: 'Noto Sans CJK JP','Hiragino Sans','Yu Gothic','Meiryo',sans-serif; }"
        ".kit-steps li { margin: 0.4em 0; }"
        "</style>")


def resolve_workspace(store, requested: str | None):
    """The page's workspace and a banner saying where work is saved.

    Returns ``(workspace, banner_html)``; ``workspace`` is None when the name in the
    URL is unusable, in which case the banner explains why and nothing is saved."""
    try:
        name = normalise_workspace_name(requested or DEFAULT_WORKSPACE)
    except ValueError as error:
        back = link_button(page_link(LANDING.file, None), "はじめに に戻ってワークスペースを選ぶ")
        return None, message("error", str(error)) + back
    home = html.escape(page_link(LANDING.file, name))
    note = ("" if requested else
            f"（ワークスペースを選ばずに開いたため「{DEFAULT_WORKSPACE}」に保存します）")
    banner = (f'<div class="kit-banner">ワークスペース「{html.escape(name)}」で作業中・自動保存'
              f'{html.escape(note)} ｜ <a href="{home}">はじめに に戻る</a></div>')
    return Workspace(store, name), banner


def download_link(data: bytes, filename: str, label: str, mime: str) -> str:
    """A link that saves ``data`` as ``filename`` in the browser.

    The file travels inside the page (a data: URL), never through a shared folder on
    the server, so one team's export cannot be fetched by another."""
    encoded = base64.b64encode(data).decode("ascii")
    return (f'<a class="kit-download" download="{html.escape(filename)}" '
            f'href="data:{mime};base64,{encoded}">{html.escape(label)}</a>')
