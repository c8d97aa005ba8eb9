"""What a page says about saving, in a real browser: a banner as soon as the kernel
dies or the server stops, no save claimed that was not made, nothing typed lost,
two PCs of a team seeing each other's saves without overwriting them, a store
that cannot be written said on every handler, and no personal data at rest in
either store backend."""

from __future__ import annotations

import os
import random
import shutil
import signal
from pathlib import Path
from urllib.parse import quote

import pytest
from polling import wait_until

from kit.steps.actors.domain import DEFAULT_OFFER
from kit.store import open_store

pytestmark = pytest.mark.browser

BANNER = "サーバーとの接続が切れました"
MEMO = "例: 自分の圏域の課題を"


def kernel_pid(kernel: str) -> int:
    """The process running ``kernel`` (found by its connection file argument)."""
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            args = cmdline.read_bytes().split(b"\0")
        except OSError:
            continue
        if any(arg.endswith(f"kernel-{kernel}.json".encode()) for arg in args):
            return int(cmdline.parent.name)
    raise AssertionError(f"no process runs kernel {kernel}")


def stored(store, workspace: str, key: str, expected, timeout: float = 30):
    """Wait until the store holds ``expected`` under ``key``."""
    def holds():
        return open_store(str(store)).get(workspace, key) == expected
    wait_until(holds, timeout, lambda: f"{key} is {open_store(str(store)).get(workspace, key)!r}, not {expected!r}")


def visible_text(page) -> str:
    return page.locator("body").inner_text()


def assert_disconnected(page) -> None:
    """The banner shows, no save is claimed, and the page takes no more typing."""
    page.locator("#kit-connection", has_text=BANNER).wait_for(timeout=15_000)
    text = visible_text(page)
    assert "自動保存" not in text and "保存しました" not in text and "自動で保存されます" not in text
    page.locator("textarea").first.focus()
    assert page.evaluate("document.activeElement.tagName") != "TEXTAREA"


def test_killing_the_kernel_shows_the_banner_at_once_and_the_typing_comes_back(kit_server, offline_page):
    page = offline_page.open(kit_server.page("04_pitch.ipynb", "?ws=" + quote("停止テスト班")))
    page.locator(".lm-TabBar-tab", has_text="2 提案キャンバス").click()
    ki = page.locator(".kit-field-ki textarea")
    ki.fill("奥沢のBさんは、")
    page.locator(".kit-saved").first.wait_for()
    ki.press("End")
    ki.press_sequentially("重い物が買えない。", delay=30)  # still within the pause before saving
    os.kill(kernel_pid(offline_page.kernel_id()), signal.SIGKILL)

    assert_disconnected(page)
    page.screenshot(path=str(kit_server.log.parent / "banner-kernel.png"))
    page.reload()
    page.get_by_text("接続が切れる前に入力して、まだ保存されていなかった文章を戻しました").wait_for()
    stored(kit_server.store, "停止テスト班", "pitch/draft/ki", "奥沢のBさんは、重い物が買えない。")
    page.locator(".lm-TabBar-tab", has_text="2 提案キャンバス").click()
    assert page.locator(".kit-field-ki textarea").input_value() == "奥沢のBさんは、重い物が買えない。"
    wait_until(lambda: page.evaluate("sessionStorage.length") == 0, 30, lambda: "the kept copy was not dropped")
    assert offline_page.errors() == []


def test_a_server_stopped_mid_typing_shows_the_banner_and_the_text_is_there_after_the_restart(
        server_factory, offline_page, tmp_path):
    store = tmp_path / "store.sqlite"
    server = server_factory(store)
    page = offline_page.open(server.page("00_start.ipynb", "?ws=" + quote("再起動班")))
    memo = page.get_by_placeholder(MEMO)
    memo.fill("持ち帰ること: ")
    page.locator(".kit-saved").wait_for()
    memo.press("End")
    memo.press_sequentially("地域ケア会議の事例", delay=30)
    server.stop()

    assert_disconnected(page)
    page.screenshot(path=str(tmp_path / "banner-server.png"))
    restarted = server_factory(store, port=server.port)  # where the page expects it
    page.reload()
    page.get_by_text("まだ保存されていなかった文章を戻しました").wait_for()
    assert page.get_by_placeholder(MEMO).input_value() == "持ち帰ること: 地域ケア会議の事例"
    stored(store, "再起動班", "start/memo", "持ち帰ること: 地域ケア会議の事例")
    page.locator(".kit-saved").wait_for()
    assert "自動で保存されます" in visible_text(page)  # the promise is back once it holds
    restarted.stop()


def test_two_pcs_see_each_others_saves_and_a_stale_edit_is_never_saved_over(kit_server, offline_pages):
    url = kit_server.page("00_start.ipynb", "?ws=" + quote("二台班"))
    first, second = offline_pages().open(url), offline_pages().open(url)
    first.get_by_placeholder(MEMO).fill("一台目で書いた")
    first.locator(".kit-saved").wait_for()
    wait_until(lambda: second.get_by_placeholder(MEMO).input_value() == "一台目で書いた", 20,
               lambda: "the second PC did not show the first PC's save")
    second.get_by_text("別のPCで保存された内容を表示しています").wait_for()

    # Both type at once: the first saves first; the second typed over the older text.
    second.get_by_placeholder(MEMO).press("End")
    first.get_by_placeholder(MEMO).fill("一台目で書き直した")
    second.get_by_placeholder(MEMO).press_sequentially("、二台目で足した", delay=400)
    second.get_by_text("別のPC（または別のタブ）で先に保存されていました").wait_for()
    assert "一台目で書き直した" in second.locator(".kit-theirs").inner_text()
    stored(kit_server.store, "二台班", "start/memo", "一台目で書き直した")
    second.screenshot(path=str(kit_server.log.parent / "conflict.png"), full_page=True)

    second.get_by_role("button", name="自分の文章で上書きする").click()
    stored(kit_server.store, "二台班", "start/memo", "一台目で書いた、二台目で足した")
    wait_until(lambda: first.get_by_placeholder(MEMO).input_value() == "一台目で書いた、二台目で足した", 20,
               lambda: "the first PC did not show the second PC's choice")


def test_two_pcs_follow_each_others_canvas(kit_server, offline_pages):
    url = kit_server.page("04_pitch.ipynb", "?ws=" + quote("二台提案班"))
    first, second = offline_pages().open(url), offline_pages().open(url)
    for page in (first, second):
        page.locator(".lm-TabBar-tab", has_text="2 提案キャンバス").click()
    first.locator(".kit-field-ten textarea").fill("移動販売を集会所に止めてもらう")
    wait_until(lambda: second.locator(".kit-field-ten textarea").input_value() == "移動販売を集会所に止めてもらう",
               20, lambda: "the second PC did not show the first PC's canvas")
    second.locator(".kit-field-ten textarea").fill("移動販売を集会所に週2回止めてもらう")
    wait_until(lambda: first.locator(".kit-field-ten textarea").input_value() == "移動販売を集会所に週2回止めてもらう",
               20, lambda: "the first PC did not show the second PC's canvas")


# --- a store the server cannot write -------------------------------------------------------------

@pytest.fixture
def read_only_store(tmp_path):
    """A store the server can read but not write, even as root (which ignores file
    modes): the server runs in its own mount namespace, where the store file is
    bind-mounted read-only. Its folder stays writable, as SQLite's -wal and -shm
    files beside it must be, so the pages open and show what is stored."""
    if os.geteuid() != 0 or not shutil.which("unshare"):
        pytest.skip("needs root and unshare to give the server a read-only store")
    store = tmp_path / "store.sqlite"
    writable = open_store(str(store))
    writable.put("読み取り班", "start/memo", "前からあるメモ")
    writable.close()
    prefix = ("unshare", "--mount", "--propagation", "private", "--",
              "sh", "-c", 'mount --bind -o ro "$0" "$0" && exec "$@"', str(store))
    return store, prefix


def test_every_save_on_a_read_only_store_says_it_failed(server_factory, offline_page, read_only_store):
    store, prefix = read_only_store
    server = server_factory(store, prefix=prefix)
    query = "?ws=" + quote("読み取り班")

    page = offline_page.open(server.page("00_start.ipynb", query))
    assert page.get_by_placeholder(MEMO).input_value() == "前からあるメモ"  # reading works
    page.get_by_placeholder(MEMO).fill("新しいメモ")
    page.locator(".kit-error:visible", has_text="保存できませんでした").wait_for()

    page = offline_page.open(server.page("02_cases.ipynb", query))
    page.locator(".lm-TabBar-tab", has_text="6 答え合わせ").click()
    page.get_by_role("button", name="タグ付けを飛ばす（模範解答のタグを付ける）").click()
    page.locator(".kit-error:visible", has_text="保存できませんでした").wait_for()
    page.locator(".lm-TabBar-tab", has_text="1 事例カード").click()
    page.get_by_text("事例を追加・編集する", exact=True).click()
    page.locator("select", has=page.locator("option", has_text="（選ぶ）")).select_option(label="桜台")
    page.get_by_placeholder("例: 自分で選んだ物を食べて暮らしたい").fill("散歩を続けたい")
    page.get_by_placeholder("例: 移動販売は週1回で、重い物が買えない").fill("坂がつらい")
    page.get_by_role("button", name="伏せ字を確かめる").click()
    page.get_by_role("button", name="この内容で保存").click()
    page.locator(".kit-error:visible", has_text="保存できませんでした").wait_for()
    assert page.get_by_text("を保存しました").count() == 0

    page = offline_page.open(server.page("03_actors.ipynb", query))
    page.locator(".lm-TabBar-tab", has_text="2 登録・編集").click()
    page.get_by_placeholder("例: みどり野ストア駅東店").fill("みどり会")
    page.get_by_role("button", name="保存する").click()
    page.locator(".kit-error:visible", has_text="保存できませんでした").wait_for()
    assert page.get_by_text("保存しました（主体ID").count() == 0
    assert open_store(str(store)).get("読み取り班", "start/memo") == "前からあるメモ"


# --- nothing raw at rest -------------------------------------------------------------------------

def personal_data(seed: int, count: int) -> list[tuple[str, str, str]]:
    """(name, phone, address) triples nobody typed by hand, from a seeded generator."""
    rng = random.Random(seed)
    surnames = ["高橋", "渡辺", "伊藤", "中村", "小林", "加藤", "吉田", "山口", "松本", "井上", "木村", "清水"]
    given = ["花子", "和子", "恵美", "幸子", "健一", "正雄", "美智子", "浩二", "久美子", "弘", "節子", "勇"]
    found = []
    for _ in range(count):
        name = rng.choice(surnames) + rng.choice(given)
        phone = f"0{rng.randint(10, 99)}-{rng.randint(100, 999)}-{rng.randint(1000, 9999)}"
        address = f"{rng.randint(1, 9)}丁目{rng.randint(1, 30)}番{rng.randint(1, 20)}号"
        found.append((name, phone, address))
    return found


def note(person: tuple[str, str, str]) -> str:
    name, phone, address = person
    return f"{name}さん（{phone}）は{address}に住んでいる"


def dump_sqlite(store: Path) -> bytes:
    return b"".join(path.read_bytes() for path in store.parent.glob(store.name + "*"))


def dump_postgres(url: str) -> bytes:
    import psycopg

    with psycopg.connect(url) as conn:
        tables = [name for (name,) in conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")]
        rows = [row for table in tables for row in conn.execute(f"SELECT t::text FROM {table} t")]
    return "\n".join(text for (text,) in rows).encode()


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_no_personal_data_typed_on_any_page_is_kept_at_rest(backend, server_factory, offline_page, tmp_path,
                                                             request):
    from kit.steps.assessment.checklist import Q2_TEXT

    if backend == "sqlite":
        store = tmp_path / "store.sqlite"
        dump = lambda: dump_sqlite(store)  # noqa: E731
    else:
        store = request.getfixturevalue("postgres").create_database()
        dump = lambda: dump_postgres(store)  # noqa: E731
    server = server_factory(store)
    people = personal_data(seed=19, count=13)
    typed = iter(people)
    query = "?ws=" + quote("保管テスト班")

    def fill(box) -> None:
        """Type a note into an autosaved box and wait for its own 「保存しました」."""
        box.locator("textarea").fill(note(next(typed)))
        box.locator("xpath=following-sibling::*[1]").locator(".kit-saved").wait_for()

    page = offline_page.open(server.page("00_start.ipynb", query))
    fill(page.locator(".widget-textarea", has=page.get_by_placeholder(MEMO)))
    page.locator(".kit-masked", has_text="氏名").wait_for()  # said on the page, as 02's import says it

    page = offline_page.open(server.page("01_assessment.ipynb", query))
    page.locator(".lm-TabBar-tab", has_text="気づきメモ・書き出し").click()
    fill(page.locator(".kit-memo-notice"))
    page.locator(".lm-TabBar-tab", has_text="都道府県の方へ").click()
    page.get_by_placeholder("例: みどり野市").fill("みどり野市")
    page.get_by_placeholder(Q2_TEXT).fill(note(next(typed)))
    page.get_by_role("button", name="一覧に追加（同じ名前は置き換え）").click()
    page.locator(".kit-checklist .kit-masked").wait_for()

    page = offline_page.open(server.page("02_cases.ipynb", query))
    page.get_by_text("事例を追加・編集する", exact=True).click()
    page.locator("select", has=page.locator("option", has_text="（選ぶ）")).select_option(label="桜台")
    page.get_by_placeholder("例: 自分で選んだ物を食べて暮らしたい").fill(note(next(typed)))
    page.get_by_placeholder("例: 移動販売は週1回で、重い物が買えない").fill(note(next(typed)))
    page.get_by_role("button", name="伏せ字を確かめる").click()
    page.get_by_role("button", name="この内容で保存").click()
    page.get_by_text("を保存しました（伏せ字にした文章だけを保存しています）").wait_for()
    page.locator(".lm-TabBar-tab", has_text="6 答え合わせ").click()
    page.get_by_role("button", name="タグ付けを飛ばす（模範解答のタグを付ける）").click()
    page.get_by_text("模範解答のタグを付けました").wait_for()
    page.locator(".lm-TabBar-tab", has_text="4 グループ化").click()
    page.locator(".kit-loose-cards select").select_option(index=0)
    name, _phone, _address = next(typed)
    page.get_by_placeholder("グループの名前（例: 坂の上の買物）").fill(f"{name}さんの買物")
    page.get_by_role("button", name="選んだカードでグループをつくる").click()
    page.locator(".kit-masked", has_text="氏名").wait_for()
    page.locator(".lm-TabBar-tab", has_text="5 地域課題の文章").click()
    statement = page.get_by_placeholder("例: 桜台では、坂の上に住む人がスーパーの閉店で買物に行けなくなっている。")
    statement.fill(note(next(typed)))
    statement.blur()
    page.locator(".kit-saved", has_text="保存しました").first.wait_for()

    page = offline_page.open(server.page("03_actors.ipynb", query))
    page.locator(".lm-TabBar-tab", has_text="2 登録・編集").click()
    page.get_by_placeholder("例: みどり野ストア駅東店").fill("みどり会")
    page.get_by_placeholder("例: 坂の上の団地からの来店が減った").fill(note(next(typed)))
    page.get_by_placeholder("例: 配達のついでに顔を見て声をかけている").fill(note(next(typed)))
    page.get_by_role("button", name="保存する").click()
    page.get_by_text("保存しました（主体ID").wait_for()
    page.locator(".lm-TabBar-tab", has_text="5 課題とのマッチング").click()
    fill(page.locator(".widget-textarea", has=page.get_by_placeholder(DEFAULT_OFFER)))

    page = offline_page.open(server.page("04_pitch.ipynb", query))
    page.locator(".lm-TabBar-tab", has_text="2 提案キャンバス").click()
    fill(page.locator(".kit-field-ki"))
    fill(page.locator(".kit-field-people"))
    page.screenshot(path=str(tmp_path / "masked-notice.png"), full_page=True)
    page.locator(".lm-TabBar-tab", has_text="5 リハーサル").click()
    page.get_by_placeholder("例: 2班").fill("2班")
    for scale in page.locator(".widget-toggle-buttons", has_text="とてもよい").all():
        scale.get_by_role("button", name="3 よい").click()
    page.get_by_placeholder("よかった点と、もっとよくなる点を1つずつ").fill(note(next(typed)))
    page.get_by_role("button", name="評価を送る").click()
    page.get_by_text("への評価を保存しました").wait_for()

    assert next(typed, None) is None  # every seeded person was typed somewhere
    raw = dump()
    leaked = [item for person in people for item in person if item.encode() in raw]
    assert leaked == []
    assert "〇〇さん".encode() in raw and "〈電話番号〉".encode() in raw  # the notes themselves are kept
    assert offline_page.errors() == []
