"""One masking engine per server: kernels reach the worker that `python -m kit serve`
starts, get the same masks as in-process masking, and save nothing when it is gone."""

import os
import socket

import pytest
from polling import wait_until
from widget_tree import html_of

from kit import masking
from kit.masking import MaskingUnavailable, local_finds, mask_text
from kit.masking_worker import health, request, start_worker

NOTE = "田中花子さん（090-1234-5678）は独居。田中が買い物に行けず、民生委員が声かけしている。"


@pytest.fixture(scope="module")
def worker():
    env = {}
    running = start_worker(env)
    assert running.failure is None, running.failure
    yield running, env
    running.stop()


def test_the_worker_masks_as_in_process_masking_does(worker):
    running, env = worker
    texts = [NOTE, "坂下のスーパーで買物", ""]
    assert request(env[masking.WORKER_ENV], env[masking.TOKEN_ENV], texts) == local_finds(texts)


def test_kernels_find_the_worker_through_the_environment(worker, monkeypatch):
    _running, env = worker
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    result = mask_text(NOTE)
    assert "田中" not in result.text and "090" not in result.text
    assert "独居" in result.text and "民生委員" in result.text and "声かけ" in result.text


def test_the_health_check_names_the_model_and_refuses_a_wrong_secret(worker):
    running, env = worker
    answer = health(env[masking.WORKER_ENV], env[masking.TOKEN_ENV])
    assert answer["model"] == "ja_ginza" and answer["pid"] == running.process.pid
    assert health(env[masking.WORKER_ENV], "wrong") is None
    with pytest.raises(MaskingUnavailable):
        request(env[masking.WORKER_ENV], "wrong", [NOTE])


def test_the_unix_socket_is_for_the_servers_user_only(worker):
    _running, env = worker
    kind, _, path = env[masking.WORKER_ENV].partition(":")
    if kind != "unix":
        pytest.skip("no Unix sockets here")
    assert os.stat(os.path.dirname(path)).st_mode & 0o077 == 0


def test_a_configured_worker_that_does_not_answer_makes_masking_unavailable(tmp_path, monkeypatch):
    """Never a silent fall back to masking in the kernel (or with rules only)."""
    monkeypatch.setenv(masking.WORKER_ENV, f"unix:{tmp_path / 'gone.sock'}")
    monkeypatch.setenv(masking.TOKEN_ENV, "secret")
    with pytest.raises(MaskingUnavailable) as raised:
        mask_text(NOTE)
    assert "保存していません" in raised.value.message
    with pytest.raises(MaskingUnavailable):
        masking.mask_table(__import__("pandas").DataFrame({"経過": [NOTE]}), ["経過"])


@pytest.mark.slow
def test_a_worker_over_tcp_and_its_restart_after_a_crash():
    """TCP on 127.0.0.1 is what Windows gets; a crashed worker comes back on the same address."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {}
    running = start_worker(env, address=f"tcp:127.0.0.1:{port}")
    try:
        assert running.failure is None, running.failure
        address, token = env[masking.WORKER_ENV], env[masking.TOKEN_ENV]
        assert address == f"tcp:127.0.0.1:{port}"
        first = running.process.pid
        running.process.kill()
        running.process.wait()
        with pytest.raises(MaskingUnavailable):
            request(address, token, [NOTE])
        answer = wait_until(lambda: health(address, token), 180, lambda: "the worker was not restarted")
        assert answer["pid"] != first
        assert request(address, token, [NOTE]) == local_finds([NOTE])
    finally:
        running.stop()


def test_the_gallery_says_masking_is_down_instead_of_showing_names(tmp_path, monkeypatch):
    from kit import workshop as wk
    from kit.facilitator.screen import FacilitatorScreen
    from kit.store import open_store

    store = open_store(str(tmp_path / "store.sqlite3"))
    from kit.steps.cases.issues import sample_issues
    from kit.steps.cases.model import save_issues

    workshop = wk.create_workshop(store, "研修")
    team = wk.resolve_access(store, wk.join(store, workshop.code, "A班").access)
    save_issues(team, list(sample_issues()[:1]))
    monkeypatch.setenv(masking.WORKER_ENV, f"unix:{tmp_path / 'gone.sock'}")
    screen = FacilitatorScreen(store, environ={wk.PASSPHRASE_ENV: "みどり野 研修 2025"}).open()
    assert screen.unlock("みどり野 研修 2025")
    screen.tabs.selected_index = 1  # the gallery: drawn as it is shown
    assert "ギャラリーを表示できません" in html_of(screen.tabs.children[1])
