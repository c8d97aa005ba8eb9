"""A participant of a hub-served training gets the kit's landing page, not JupyterLab.

Runs JupyterHub with docs/deploy/jupyterhub_config.py, the file the deployment
guide gives, changing only what a test must: ports, state files in a temporary
folder, a spawner that needs no system accounts, and an API token to drive it."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest
from browser.conftest import free_port
from polling import wait_until

_MISSING = [name for name in ("jupyterhub", "jupyterhub_idle_culler") if importlib.util.find_spec(name) is None]
if shutil.which("configurable-http-proxy", path=os.pathsep.join(
        [str(Path(sys.executable).parent), os.environ.get("PATH", "")])) is None:
    _MISSING.append("configurable-http-proxy")
if _MISSING:
    _REASON = f"JupyterHub のテストに必要なものがありません ({', '.join(_MISSING)}): pip install -e '.[test,hub]'"
    if os.environ.get("CI", "").lower() == "true":  # CI must test the hub path
        pytest.fail(_REASON, pytrace=False)
    pytest.skip(_REASON, allow_module_level=True)

DOCS_CONFIG = Path(__file__).resolve().parent.parent / "docs" / "deploy" / "jupyterhub_config.py"
TOKEN = "kit-test-service-token-0123456789"
CULL_AFTER = 20  # seconds, longer than a server takes to start; the guide says an hour


def api(hub: str, method: str, path: str) -> dict:
    request = urllib.request.Request(f"{hub}/hub/api{path}", method=method,
                                     headers={"Authorization": f"token {TOKEN}"})
    with urllib.request.urlopen(request, timeout=60) as response:
        body = response.read()
    return json.loads(body) if body else {}


@contextmanager
def running_hub(state: Path, extra_config: str = ""):
    """JupyterHub with the guide's config, test settings on top; yields (url, log)."""
    port = free_port()
    test_config = state / "test_config.py"
    test_config.write_text(f"""
load_subconfig({str(DOCS_CONFIG)!r})
c.JupyterHub.bind_url = "http://127.0.0.1:{port}"
c.JupyterHub.hub_bind_url = "http://127.0.0.1:{free_port()}"
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{free_port()}"
c.JupyterHub.db_url = "sqlite:///{state / 'hub.sqlite'}"
c.JupyterHub.cookie_secret_file = {str(state / 'cookie_secret')!r}
c.JupyterHub.pid_file = {str(state / 'hub.pid')!r}
c.ConfigurableHTTPProxy.pid_file = {str(state / 'proxy.pid')!r}
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = {str(state / 'home' / '{username}')!r}
c.Spawner.args = {["--allow-root"] if os.geteuid() == 0 else []!r}
c.JupyterHub.services.append({{"name": "kit-test", "api_token": {TOKEN!r}}})
c.JupyterHub.load_roles.append({{"name": "kit-test", "services": ["kit-test"],
    "scopes": ["admin:users", "admin:servers", "access:servers"]}})
""" + extra_config)
    env = dict(os.environ, KIT_HUB_PASSWORD="room-password-2026",
               KIT_STORE=str(state / "store.sqlite"),
               PATH=os.pathsep.join([str(Path(sys.executable).parent), os.environ["PATH"]]))
    log = state / "hub.log"
    with open(log, "wb") as out:
        process = subprocess.Popen([sys.executable, "-m", "jupyterhub", "-f", str(test_config)],
                                   cwd=state, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"

    def did_not_start() -> str:
        return f"JupyterHub did not start:\n{log.read_text(errors='replace')[-4000:]}"

    def answers() -> bool:
        if process.poll() is not None:
            pytest.fail(did_not_start())
        try:
            api(url, "GET", "/")
        except OSError:
            return False
        return True

    try:
        wait_until(answers, 90, did_not_start)
        yield url, log
    finally:
        process.terminate()  # the hub stops its proxy, services and users' servers
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    with running_hub(tmp_path_factory.mktemp("hub")) as running:
        yield running


def start_server(url: str, user: str, log: Path) -> None:
    api(url, "POST", f"/users/{user}")
    api(url, "POST", f"/users/{user}/server")
    wait_until(lambda: api(url, "GET", f"/users/{user}")["servers"].get("", {}).get("ready"), 120,
               lambda: log.read_text(errors="replace")[-4000:])


@pytest.mark.slow
def test_participants_server_opens_the_kits_landing_page(hub):
    url, log = hub
    start_server(url, "pref-01", log)
    # The hub's proxy sends the participant's default URL to the kit's landing page.
    request = urllib.request.Request(f"{url}/user/pref-01/",
                                     headers={"Authorization": f"token {TOKEN}"})
    with urllib.request.urlopen(request, timeout=120) as response:
        final_url, page = response.url, response.read().decode()
    assert final_url.startswith(f"{url}/user/pref-01/voila/render/00_start.ipynb")
    assert re.search(r"<title>はじめに \| 地域づくりワークショップキット</title>", page)
    assert "ページを準備しています" in page
    assert "application/vnd.jupyter.widget-view+json" in page


@pytest.mark.slow
def test_idle_culler_of_the_guide_stops_an_idle_participants_server(tmp_path):
    # The guide's culler and its role, with an idle time a test can wait for.
    shorter = f"""
culler = next(s for s in c.JupyterHub.services if s["name"] == "idle-culler")
culler["command"] = [a for a in culler["command"] if not a.startswith("--timeout")] + \\
    ["--timeout={CULL_AFTER}", "--cull-every=2"]
"""
    with running_hub(tmp_path, shorter) as (url, log):
        start_server(url, "pref-02", log)
        wait_until(lambda: not api(url, "GET", "/users/pref-02")["servers"], CULL_AFTER + 60,
                   lambda: log.read_text(errors="replace")[-4000:])
