"""A real browser for site tests: Debian's Chromium driven by Playwright, on a site served over local HTTP.

Playwright (the PyPI package, pinned in requirements.txt) is told to launch the system browser at
``/usr/bin/chromium`` (``CHROMIUM`` in the environment overrides it); it never downloads one. Where
that browser or the package is missing, tests that use these fixtures are skipped with the reason.

Fixtures (registered for every test module by ``conftest.py``):

* ``chromium`` — one headless browser for the session;
* ``serve_site`` — ``with serve_site(folder) as base_url:`` serves a built site on ``127.0.0.1`` from a
  thread and stops it afterwards;
* ``open_page`` — ``open_page(url, **context_options)`` gives a fresh page whose console errors,
  uncaught exceptions, failed requests and Content-Security-Policy violations are collected in
  ``page.problems`` (a list of readable lines).
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import importlib.util
import os
import shutil
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run"]
# Reports every CSP violation as a console error (Chromium logs most of them itself; this catches all).
REPORT_CSP = ("document.addEventListener('securitypolicyviolation', e => console.error("
              "'CSP violation: ' + e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline code')));")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        """Requests are not logged: failures reach the tests through the browser."""


@contextlib.contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve ``folder`` over HTTP on a free local port; yields the base URL (ending in ``/``)."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                             functools.partial(_QuietHandler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def missing_browser() -> str | None:
    """Why no browser test can run here, or None."""
    if importlib.util.find_spec("playwright") is None:
        return "the playwright package is not installed (make venv installs it from requirements.txt)"
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)) and not shutil.which(str(CHROMIUM)):
        return f"no Chromium at {CHROMIUM}: install Debian's chromium package (.ci/run does) to run the browser tests"
    return None


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    reason = missing_browser()
    if reason:
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def serve_site() -> Callable[[Path], contextlib.AbstractContextManager[str]]:
    return serve


@pytest.fixture
def open_page(chromium: Any) -> Iterator[Callable[..., Any]]:
    contexts: list[Any] = []

    def open_(url: str, **options: Any) -> Any:
        context = chromium.new_context(**options)
        contexts.append(context)
        context.add_init_script(REPORT_CSP)
        page = context.new_page()
        page.problems = []
        page.on("console", lambda m: page.problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
        page.on("pageerror", lambda e: page.problems.append(f"uncaught exception: {e}"))
        page.on("requestfailed", lambda r: page.problems.append(f"request failed: {r.url} ({r.failure})")
                if r.failure != "net::ERR_ABORTED" else None)  # aborted: the test navigated on before it finished
        page.on("response", lambda r: page.problems.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None)
        page.goto(url)
        return page

    yield open_
    for context in contexts:
        context.close()
