"""The upload box every page uses to bring in a user's own file.

Choose a file → 「読み込み中…」 → either the summary (and ``on_loaded(result)`` is
called) or the problems in Japanese. When required columns are not recognised,
the box asks which of the file's columns is which and reads again. A failed
upload calls nothing, so the caller keeps the data it had.

The logic is reachable without a browser: ``handle_upload(filename, content)``
is what the file chooser calls, and ``choose(header, canonical)`` /
``apply_mapping()`` are what the mapping step's controls call.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable

import ipywidgets as widgets

from kit.io import LoadResult, load
from kit.io.schema import SPECS
from kit.io.tables import DEFAULT_MAX_BYTES
from kit.ui.common import message

__all__ = ["UploadBox"]

_SHOWN_PROBLEMS = 20
_UNUSED = "（使わない）"
# Workbooks are unpacked whole before reading: a large one takes a while.
_SLOW_EXCEL_BYTES = 2 * 1024 * 1024
_WORKBOOKS = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")
_ACCEPT = ",".join((".csv", ".txt", ".tsv", *_WORKBOOKS))


def _problem_list(result: LoadResult, limit: int) -> str:
    """Errors then warnings as an HTML list, escaped, at most ``limit`` items."""
    problems = result.errors + result.warnings
    items = "".join(f"<li>{html.escape(str(problem))}</li>" for problem in problems[:limit])
    hidden = len(problems) - min(limit, len(problems)) + result.omitted
    more = f"<li>他に{hidden}件</li>" if hidden else ""
    return f'<ul class="kit-upload-problems">{items}{more}</ul>' if items or more else ""


def column_guide(kind: str) -> str:
    """The columns a file of ``kind`` needs, from the schema, so the guide never drifts."""
    spec = SPECS[kind]

    def describe(column) -> str:
        terms = f"（{'・'.join(column.vocab[:8])}{'…' if len(column.vocab) > 8 else ''}）" if column.vocab else ""
        return html.escape(column.name + terms)

    required = "、".join(describe(c) for c in spec.columns if c.required)
    optional = "、".join(describe(c) for c in spec.columns if not c.required)
    return (f'<details class="kit-column-guide"><summary>このファイルに必要な列</summary>'
            f"<p><b>必須</b>: {required or 'なし'}</p><p><b>任意</b>: {optional or 'なし'}</p>"
            "<p>列の順番は自由です。ほかの列があってもかまいません。"
            "CSV（UTF-8 または Shift_JIS）、Excel（.xlsx・.xls・.xlsb）、OpenDocument（.ods）を読めます。"
            "e-Stat からダウンロードした表は、そのまま読み込めます。</p></details>")


class UploadBox(widgets.VBox):
    """A file chooser for one kind of input file (``kit.io.KINDS``).

    ``known_areas``: the 地区コード that exist, or a function returning them
    (called at each upload, so the check uses the areas current then)."""

    def __init__(
        self,
        kind: str,
        on_loaded: Callable[[LoadResult], None],
        known_areas: Iterable[str] | Callable[[], Iterable[str]] | None = None,
        *,
        max_bytes: int = DEFAULT_MAX_BYTES,
        on_refused: Callable[[LoadResult], None] | None = None,
    ) -> None:
        super().__init__()
        if kind not in SPECS:
            raise ValueError(f"unknown kind {kind!r}")
        self.kind = kind
        self.result: LoadResult | None = None
        self._on_loaded = on_loaded
        self._on_refused = on_refused
        self._known_areas = known_areas
        self._max_bytes = max_bytes
        self._file: tuple[str, bytes] | None = None
        self._mapped: dict[str, str | None] = {}      # choices already applied to this file
        self._choices: dict[str, widgets.Dropdown] = {}
        self._chooser = widgets.FileUpload(accept=_ACCEPT, multiple=False,
                                           description="ファイルを選ぶ", icon="upload")
        self._status = widgets.HTML()
        self._mapping = widgets.VBox()
        self._apply = widgets.Button(description="この対応で読み込む", button_style="primary")
        self._chooser.observe(self._on_chosen, names="value")
        self._apply.on_click(lambda _button: self.apply_mapping())
        self.add_class("kit-upload")
        self.children = [self._chooser, widgets.HTML(column_guide(kind)), self._status, self._mapping]

    # ------------------------------------------------------------ what controls call

    def handle_upload(self, filename: str, content: bytes) -> LoadResult | None:
        """Read an uploaded file; what the file chooser calls."""
        self._file = (filename, bytes(content))
        self._mapped, self._choices = {}, {}
        return self._read()

    def choose(self, header: str, canonical: str | None) -> None:
        """Say that the file's column ``header`` is ``canonical`` (None: not used)."""
        self._choices[header].value = canonical or _UNUSED

    def apply_mapping(self) -> LoadResult | None:
        """Read the file again with the columns matched in the mapping step."""
        chosen = {header: (None if box.value == _UNUSED else box.value) for header, box in self._choices.items()}
        self._mapped.update(chosen)
        return self._read()

    @property
    def status_html(self) -> str:
        return self._status.value

    @property
    def mapping_headers(self) -> list[str]:
        """The file's columns the mapping step asks about (empty when not shown)."""
        return list(self._choices) if self._mapping.children else []

    # --------------------------------------------------------------------- internals

    def _on_chosen(self, change) -> None:
        files = change["new"]
        if not files:
            return
        chosen = files[0]
        self.handle_upload(chosen["name"], chosen["content"])
        # Cleared so that choosing the same file again, once fixed, reads it again.
        self._chooser.value = ()

    def _areas(self) -> Iterable[str] | None:
        return self._known_areas() if callable(self._known_areas) else self._known_areas

    def _read(self) -> LoadResult | None:
        if self._file is None:
            return None
        filename, content = self._file
        wait = ""
        if filename.lower().endswith(_WORKBOOKS) and len(content) > _SLOW_EXCEL_BYTES:
            wait = "（大きな Excel ファイルは数分かかることがあります。CSV で保存すると速く読めます）"
        self._status.value = message("info", f"{filename} を読み込み中…{wait}")
        self._mapping.children = ()
        try:
            result = load(self.kind, content, filename=filename, mapping=self._mapped,
                          known_areas=self._areas(), max_bytes=self._max_bytes)
        except Exception as error:  # a page must never show a traceback for a file
            self._status.value = message("error", f"{filename} を読み込めませんでした（予期しない問題: {type(error).__name__}）")
            return None
        self.result = result
        self._show(result)
        if result.ok:
            self._deliver(result)
        elif self._on_refused is not None:
            self._on_refused(result)
        return result

    def read_with(self, known_areas: Iterable[str] | None) -> LoadResult | None:
        """The last file read again as the user matched it, against other areas
        (None: any); the box shows nothing of it."""
        if self._file is None:
            return None
        filename, content = self._file
        return load(self.kind, content, filename=filename, mapping=self._mapped, known_areas=known_areas,
                    max_bytes=self._max_bytes)

    def _deliver(self, result: LoadResult) -> None:
        try:
            self._on_loaded(result)
        except Exception as error:  # the caller's storage failed: say so instead of a traceback
            self._status.value += message("error", f"読み込んだ表を使えませんでした（{error}）")

    def _show(self, result: LoadResult) -> None:
        kind = "error" if not result.ok else ("warning" if result.warnings else "ok")
        self._status.value = message(kind, result.summary()) + _problem_list(result, _SHOWN_PROBLEMS)
        if not result.ok and result.missing and result.unmapped:
            self._show_mapping(result)

    def _show_mapping(self, result: LoadResult) -> None:
        """One dropdown per unrecognised column, offering every column of the kind:
        the required ones still missing first, then the others (those already
        found say which of the file's columns they use)."""
        spec = SPECS[self.kind]
        used = {target: header for header, target in result.mapping.items() if target != "人口" or
                header not in result.age_columns}
        required = list(result.missing)

        def label(name: str) -> str:
            if name in required:
                return f"{name}（必須）"
            return f"{name}（いまは「{used[name]}」）" if name in used else name

        names = [*required, *(c.name for c in spec.columns if c.name not in required)]
        options = [(_UNUSED, _UNUSED), *((label(name), name) for name in names)]
        self._choices = {}
        for header in result.unmapped:
            previous = self._mapped.get(header)
            value = previous if previous in names else _UNUSED
            self._choices[header] = widgets.Dropdown(options=options, value=value, description=header,
                                                     style={"description_width": "initial"})
        intro = widgets.HTML(message("info", "見出しが分からない列があります。どの列が何に当たるかを選んでください"))
        self._mapping.children = [intro, *self._choices.values(), self._apply]

    @property
    def mapping_options(self) -> list[str]:
        """The canonical columns the mapping step offers (empty when not shown)."""
        first = next(iter(self._choices.values()), None)
        return [value for _label, value in first.options if value != _UNUSED] if first and self._mapping.children else []
