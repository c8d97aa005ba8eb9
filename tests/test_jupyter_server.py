"""Voilà as a jupyter-server extension, as JupyterHub and Binder run it: a user's
single-user server serves the kit's pages under its own URL prefix, with the kit's
configuration and template found through Jupyter's search paths. The server is
started through the repository's ``start`` script, Binder's entry point, which
sets those paths as kit/serve.py does for ``python -m kit serve``."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import urllib.error
import urllib.request

import pytest
from browser.conftest import free_port
from polling import wait_until

from kit.paths import NOTEBOOKS, REPO

PREFIX = "/user/3han/"  # where JupyterHub mounts a user's server
TOKEN = "kit-test-token"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def server_argv(port: int, *extra: str) -> list[str]:
    argv = [str(REPO / "start"), sys.executable, "-m", "jupyter_server", f"--port={port}", "--ip=127.0.0.1",
            "--no-browser", f"--ServerApp.root_dir={NOTEBOOKS}", f"--ServerApp.base_url={PREFIX}",
            f"--IdentityProvider.token={TOKEN}", "--ServerApp.port_retries=0", *extra]
    return argv + (["--allow-root"] if os.geteuid() == 0 else [])


@pytest.fixture(scope="module")
def kit_env(tmp_path_factory):
    env = {name: value for name, value in os.environ.items() if not name.startswith("JUPYTER_")}
    return dict(env, REPO_DIR=str(REPO), KIT_STORE=str(tmp_path_factory.mktemp("server") / "s.sqlite"))


@pytest.fixture(scope="module")
def server(kit_env, tmp_path_factory):
    port = free_port()
    log = tmp_path_factory.mktemp("hub-log") / "server.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(server_argv(port), env=kit_env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}{PREFIX}"

    def did_not_start() -> str:
        process.kill()
        return f"jupyter server did not start:\n{log.read_text(errors='replace')[-3000:]}"

    def answers() -> bool:
        if process.poll() is not None:
            pytest.fail(did_not_start())
        try:
            urllib.request.urlopen(f"{url}api/status?token={TOKEN}", timeout=10).close()
        except OSError:
            return False
        return True

    wait_until(answers, 90, did_not_start, interval=0.3)
    yield url
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.mark.slow
def test_landing_page_renders_with_the_kits_template_under_a_user_prefix(server):
    with urllib.request.urlopen(f"{server}voila/render/00_start.ipynb?token={TOKEN}",
                                timeout=120) as response:
        assert response.status == 200
        page = response.read().decode()
    assert re.search(r"<title>はじめに \| 地域づくりワークショップキット</title>", page)
    assert "ページを準備しています" in page  # the kit's template, found via JUPYTER_PATH
    assert "cdn.jsdelivr.net" not in page  # and its offline stylesheet list
    assert "application/vnd.jupyter.widget-view+json" in page  # the notebook ran
    assert "StartScreen()" not in page  # strip_sources from the kit's voila.json: no code shown


@pytest.mark.slow
def test_pages_need_the_users_login(server):
    opener = urllib.request.build_opener(_NoRedirect)
    with pytest.raises(urllib.error.HTTPError) as error:
        opener.open(f"{server}voila/render/00_start.ipynb", timeout=30)
    assert error.value.code == 302
    assert f"{PREFIX}login" in error.value.headers["Location"]


def test_server_extension_gets_the_kits_kernel_culling_and_message_size(kit_env):
    result = subprocess.run(server_argv(free_port(), "--show-config"), env=kit_env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert re.search(r"cull_idle_timeout\s*=\s*900", result.stdout)
    assert "104857600" in result.stdout  # widget uploads of up to 100 MB
