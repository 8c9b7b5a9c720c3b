"""The web app in a real browser: the whole system in process (`support.system`), the inbox app served by a
real uvicorn server on a free localhost port in the test session's event loop, and Debian's Chromium driven
headless by Playwright (no browser download). Browser tests skip only when Chromium is missing
(`bash deploy/browser.sh` installs it). Screenshots go to `test-artifacts/web/`."""

import asyncio
import contextlib
import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest
import uvicorn
from support.system import System
from web_support import ARTIFACTS

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("CIVIC_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
HAVE_CHROMIUM = CHROMIUM.exists()
AXE = REPO / ".local" / "web-tools" / "node_modules" / "axe-core" / "axe.min.js"


class QuietServer(uvicorn.Server):
    """uvicorn without its signal handlers: the test runner keeps Ctrl-C."""

    @contextlib.contextmanager
    def capture_signals(self):
        yield


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
async def web_url(system: System) -> str:
    """The inbox app (API and web app, sharing the system's Kafka, FerretDB and users) at http://127.0.0.1:PORT."""
    app = system.apps["inbox"]
    port = free_port()
    server = QuietServer(uvicorn.Config(app, host="127.0.0.1", port=port, lifespan="off", log_level="warning",
                                        timeout_graceful_shutdown=2, ws="none"))
    task = asyncio.create_task(server.serve(), name="uvicorn-web-tests")
    deadline = time.monotonic() + 20
    while not server.started:
        if task.done() or time.monotonic() > deadline:
            raise RuntimeError(f"uvicorn did not start: {task.exception() if task.done() else 'timeout'}")
        await asyncio.sleep(0.05)
    await asyncio.wait_for(app.state.live.ready.wait(), timeout=60)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    with contextlib.suppress(Exception):
        await asyncio.wait_for(task, timeout=10)


@pytest.fixture(scope="session")
async def browser():
    if not HAVE_CHROMIUM:
        pytest.skip(f"Chromium is not installed at {CHROMIUM}: run `bash deploy/browser.sh` (apt-get install chromium)")
    from playwright.async_api import async_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        await browser.close()


@pytest.fixture
async def new_page(browser, web_url, system: System):
    """`await new_page(user)`: a page in a fresh browser context, signed in as `user` through the sign-in form
    (or not signed in when `user` is None)."""
    contexts = []

    async def make(user: str | None, *, init_scripts: tuple[Path, ...] = ()):
        context = await browser.new_context(base_url=web_url, viewport={"width": 1360, "height": 900}, locale="en-GB")
        for script in init_scripts:
            await context.add_init_script(path=str(script))
        contexts.append(context)
        page = await context.new_page()
        page.set_default_timeout(20_000)
        if user is not None:
            await page.goto("/login")
            await page.get_by_label("Username").fill(user)
            await page.get_by_label("Password").fill(system.passwords[user])
            await page.get_by_role("button", name="Sign in").click()
            await page.wait_for_url("**/inbox**")
        return page

    yield make
    for context in contexts:
        await context.close()


@pytest.fixture(scope="session")
def axe_script() -> Path:
    """axe-core from the npm registry, installed into the ignored `.local/web-tools` (never committed)."""
    if not AXE.exists():
        if shutil.which("npm") is None:
            pytest.fail("axe-core is missing and npm is not installed: run `bash deploy/browser.sh`")
        subprocess.run(["bash", str(REPO / "deploy" / "browser.sh"), "--axe-only"], check=True, timeout=300)
    return AXE
