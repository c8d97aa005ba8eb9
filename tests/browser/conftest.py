"""Serve the kit with ``python -m kit serve`` and drive its pages in Debian's Chromium.

Pages are opened offline: every request that leaves localhost is aborted and
recorded, so a page that depends on a CDN fails here as it would in a training room
without internet."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from polling import wait_until

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
# Voilà marks cell errors with these; a page showing one has failed.
ERROR_SELECTOR = ('[data-mime-type="application/vnd.jupyter.error"], '
                  '[data-mime-type="application/vnd.jupyter.stderr"]')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class KitServer:
    """One ``python -m kit serve`` process on a free port (or ``port``, to restart a
    server where its pages expect it), with its own store (and, when given, the
    facilitator's passphrase, passed as the command-line option, and more
    ``options``). ``prefix`` runs it through another command, such as one that
    changes the user."""

    def __init__(self, store: Path | str, log: Path, passphrase: str | None = None,
                 env: dict[str, str] | None = None, options: tuple[str, ...] = (),
                 port: int | None = None, prefix: tuple[str, ...] = ()):
        self.store, self.log, self.passphrase = store, log, passphrase
        self.extra_env = env or {}
        self.options, self.prefix = options, prefix
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 90) -> "KitServer":
        env = dict(os.environ, KIT_STORE=str(self.store), **self.extra_env)
        env.pop("KIT_FACILITATOR_PASSPHRASE", None)  # only the option below may set it
        options = [*(["--facilitator-passphrase", self.passphrase] if self.passphrase else []), *self.options]
        self._log_file = open(self.log, "ab")
        self.process = subprocess.Popen(
            [*self.prefix, sys.executable, "-m", "kit", "serve", "--port", str(self.port), "--no-browser", *options],
            env=env, stdout=self._log_file, stderr=subprocess.STDOUT)

        def answers() -> bool:
            if self.process.poll() is not None:
                pytest.fail(f"kit serve exited early; see {self.log}")
            try:
                # The tree page answers once Voilà is up, without using a preheated kernel.
                with urllib.request.urlopen(self.url + "/", timeout=60):
                    return True
            except OSError:
                return False

        wait_until(answers, timeout, lambda: f"kit serve did not answer within {timeout}s; see {self.log}")
        return self

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self._log_file.close()

    def page(self, file: str, query: str = "") -> str:
        return f"{self.url}/voila/render/{file}{query}"

    def has_kernel(self, kernel: str) -> bool:
        try:
            with urllib.request.urlopen(f"{self.url}/api/kernels/{kernel}", timeout=30):
                return True
        except urllib.error.HTTPError as error:
            if error.code == 404:
                return False
            raise

    def wait_until_gone(self, kernel: str, timeout: float = 60) -> None:
        """Fail unless the kernel disappears within ``timeout`` seconds."""
        wait_until(lambda: not self.has_kernel(kernel), timeout,
                   lambda: f"kernel {kernel} still running after {timeout:.0f} s", interval=0.2)


@pytest.fixture(scope="session", autouse=True)
def masking_worker():
    """One masking worker for every server the browser tests start: each ``kit
    serve`` finds it in its environment and uses it instead of loading the model
    again (10–20 s and 0.6 GiB a server)."""
    from kit.masking_worker import TOKEN_ENV, WORKER_ENV, start_worker

    saved = {name: os.environ.get(name) for name in (WORKER_ENV, TOKEN_ENV)}
    worker = start_worker()
    yield worker
    worker.stop()
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


@pytest.fixture(scope="session")
def kit_server(tmp_path_factory):
    directory = tmp_path_factory.mktemp("served")
    server = KitServer(directory / "store.sqlite", directory / "serve.log").start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def facilitator_server(tmp_path_factory):
    """A server started with a facilitator's passphrase (``.passphrase``)."""
    directory = tmp_path_factory.mktemp("facilitated")
    server = KitServer(directory / "store.sqlite", directory / "serve.log",
                       passphrase="みどり野 研修 2025 ひまわり").start()
    yield server
    server.stop()


@pytest.fixture
def server_factory(tmp_path):
    """Start servers on demand (e.g. two in turn over one store, to test a restart)."""
    started: list[KitServer] = []

    def start(store: Path | str, passphrase: str | None = None, env: dict[str, str] | None = None,
              options: tuple[str, ...] = (), port: int | None = None, prefix: tuple[str, ...] = ()) -> KitServer:
        server = KitServer(store, tmp_path / f"serve-{len(started)}.log", passphrase, env, options,
                           port, prefix).start()
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian の chromium がありません: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class OfflinePage:
    """A browser tab that refuses every request leaving localhost and remembers them."""

    def __init__(self, context):
        self.context = context
        self.external: list[str] = []
        context.route("**/*", self._route)
        self.page = context.new_page()
        self.page.set_default_timeout(90_000)

    def _route(self, route):
        url = route.request.url
        if url.startswith(("http://127.0.0.1", "http://localhost", "ws://127.0.0.1", "data:", "blob:")):
            route.continue_()
        else:
            self.external.append(url)
            route.abort()

    def open(self, url: str):
        """Load a Voilà page and wait until its cells are shown."""
        self.page.goto(url)
        self.page.wait_for_selector("#rendered_cells", state="visible")
        self.page.wait_for_selector(".jupyter-widgets", state="attached")
        return self.page

    def errors(self) -> list[str]:
        return self.page.locator(ERROR_SELECTOR).all_inner_texts()

    def kernel_id(self) -> str:
        """The id of the kernel behind the rendered page."""
        config = json.loads(self.page.locator("#jupyter-config-data").text_content())
        return config["kernelId"]


@pytest.fixture
def offline_page(browser):
    context = browser.new_context(locale="ja-JP")
    yield OfflinePage(context)
    context.close()


@pytest.fixture
def offline_pages(browser):
    """Open more offline tabs, each in its own browser context (one participant each)."""
    contexts = []

    def new() -> OfflinePage:
        contexts.append(browser.new_context(locale="ja-JP"))
        return OfflinePage(contexts[-1])

    yield new
    for context in contexts:
        context.close()
