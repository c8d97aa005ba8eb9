"""The upload box, driven as its controls drive it, without a browser."""

import datetime as dt

from io_fixtures import PNG_BYTES, fixture

from kit.ui.upload import UploadBox


class Recorder:
    def __init__(self):
        self.results = []

    def __call__(self, result):
        self.results.append(result)


def test_good_file_is_handed_over_and_summarised():
    loaded = Recorder()
    box = UploadBox("cases", loaded)
    box.handle_upload("cases.csv", fixture("cases.csv").read_bytes())
    assert len(loaded.results) == 1
    assert loaded.results[0].ok and len(loaded.results[0].data) == 3
    assert "cases.csv: 3行を読み込みました" in box.status_html
    assert box.mapping_headers == []


def test_bad_file_is_not_handed_over_and_its_problems_are_shown():
    loaded = Recorder()
    box = UploadBox("cases", loaded)
    box.handle_upload("cases_bad.csv", fixture("cases_bad.csv").read_bytes())
    assert loaded.results == []
    assert "読み込めませんでした" in box.status_html
    assert "3行目「要介護度」" in box.status_html
    assert "4行目「事例ID」" in box.status_html


def test_an_image_renamed_csv_is_refused_without_calling_back():
    loaded = Recorder()
    box = UploadBox("cases", loaded)
    box.handle_upload("photo.csv", PNG_BYTES)
    assert loaded.results == []
    assert "画像（PNG）" in box.status_html


def test_a_failed_upload_after_a_good_one_leaves_the_good_one():
    loaded = Recorder()
    box = UploadBox("cases", loaded)
    box.handle_upload("cases.csv", fixture("cases.csv").read_bytes())
    box.handle_upload("cases_bad.csv", fixture("cases_bad.csv").read_bytes())
    assert [len(result.data) for result in loaded.results] == [3]


def test_cell_text_is_escaped_in_the_status():
    box = UploadBox("areas", Recorder())
    box.handle_upload("areas.csv", "地区コード,地区名,地域特性\n01,中央,<script>alert(1)</script>\n".encode())
    assert "<script>" not in box.status_html
    assert "&lt;script&gt;" in box.status_html


def test_many_problems_are_capped_with_a_count():
    rows = "".join(f"{i:03d},地区{i},山奥\n" for i in range(45))
    box = UploadBox("areas", Recorder())
    box.handle_upload("areas.csv", f"地区コード,地区名,地域特性\n{rows}".encode())
    assert box.status_html.count("<li>") == 21
    assert "他に25件" in box.status_html


def test_unknown_headers_lead_to_a_mapping_step_then_a_load():
    loaded = Recorder()
    box = UploadBox("areas", loaded)
    box.handle_upload("areas.csv", "番号,なまえ,メモ\nA,中央,\nB,北部,坂が多い\n".encode())
    assert loaded.results == []
    assert box.mapping_headers == ["番号", "なまえ", "メモ"]
    box.choose("番号", "地区コード")
    box.choose("なまえ", "地区名")
    result = box.apply_mapping()
    assert result.ok
    assert len(loaded.results) == 1
    assert list(loaded.results[0].data["地区コード"]) == ["A", "B"]
    assert loaded.results[0].data.loc[3, "メモ"] == "坂が多い"
    assert box.mapping_headers == []


def test_an_incomplete_mapping_asks_again_keeping_the_choices():
    loaded = Recorder()
    box = UploadBox("areas", loaded)
    box.handle_upload("areas.csv", "番号,なまえ\nA,中央\n".encode())
    box.choose("番号", "地区コード")
    box.apply_mapping()
    assert loaded.results == []
    assert box.mapping_headers == ["なまえ"]
    assert "地区名" in box.status_html
    box.choose("なまえ", "地区名")
    assert box.apply_mapping().ok
    assert loaded.results[0].mapping == {"番号": "地区コード", "なまえ": "地区名"}


def test_a_new_file_forgets_the_previous_files_mapping():
    box = UploadBox("areas", Recorder())
    box.handle_upload("a.csv", "番号,なまえ\nA,中央\n".encode())
    box.choose("番号", "地区コード")
    box.choose("なまえ", "地区名")
    assert box.apply_mapping().ok
    assert not box.handle_upload("b.csv", "番号,なまえ\nB,北部\n".encode()).ok
    assert box.mapping_headers == ["番号", "なまえ"]


def test_the_file_chooser_drives_the_same_path():
    loaded = Recorder()
    box = UploadBox("areas", loaded)
    content = fixture("areas.csv").read_bytes()
    box._chooser.value = ({"name": "areas.csv", "type": "text/csv", "size": len(content),
                           "content": memoryview(content), "last_modified": dt.datetime(2025, 4, 1)},)
    assert len(loaded.results) == 1
    assert box._chooser.value == ()   # cleared, so the same file can be chosen again


def test_known_areas_may_be_a_function_read_at_each_upload():
    areas = {"01"}
    box = UploadBox("cases", Recorder(), known_areas=lambda: areas)
    box.handle_upload("cases.csv", fixture("cases.csv").read_bytes())
    assert "地区の一覧にない" in box.status_html
    areas.update({"02", "03"})
    assert box.handle_upload("cases.csv", fixture("cases.csv").read_bytes()).ok


def test_a_failing_callback_is_reported_not_raised():
    def broken(result):
        raise OSError("disk full")

    box = UploadBox("areas", broken)
    box.handle_upload("areas.csv", fixture("areas.csv").read_bytes())
    assert "読み込んだ表を使えませんでした" in box.status_html


def test_the_box_tells_which_columns_a_file_needs():
    from kit.io.schema import SPECS
    from kit.ui.upload import UploadBox, column_guide

    guide = column_guide("actors")
    for column in SPECS["actors"].columns:
        assert column.name in guide
    assert guide.index("名称") < guide.index("任意")  # 名称 is required
    box = UploadBox("areas", on_loaded=lambda result: None)
    assert any("このファイルに必要な列" in getattr(child, "value", "") for child in box.children)
