"""Headless-Chromium helpers for tests of offline HTML (maps, reports).

Use in a test module::

    import pytest
    from browser import offline_page  # the chromium fixture comes from conftest.py

    pytestmark = pytest.mark.browser

    def test_it_renders(chromium, out_dir, tmp_path):
        with offline_page(chromium, tmp_path / "map.html", out_dir=out_dir) as (page, log):
            page.wait_for_selector(".leaflet-overlay-pane path")
        assert log.clean, log.summary()

* The network is off: every request that is not ``file:``, ``data:``,
  ``about:`` or ``blob:`` is aborted **and recorded** in ``log.requests``, so a
  test can assert that none was even attempted.
* Console errors, uncaught exceptions and failed requests are collected;
  ``alert``/``confirm``/``prompt`` dialogs are dismissed and recorded (an
  injected script that runs would show up there).
* A screenshot is saved into ``out_dir`` when the block ends (also on failure).
* Chromium is ``/usr/bin/chromium`` (or ``$COVERAGE_GAPS_CHROMIUM``).  When it
  or Playwright is missing the tests skip, or fail when ``CI`` is set.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

__all__ = ["CHROMIUM", "LAUNCH_ARGS", "PageLog", "chromium", "offline_page", "need_chromium"]

CHROMIUM = Path(os.environ.get("COVERAGE_GAPS_CHROMIUM", "/usr/bin/chromium"))
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
               "--no-first-run", "--host-resolver-rules=MAP * ~NOTFOUND"]
_LOCAL_SCHEMES = ("file:", "data:", "about:", "blob:")


def _unavailable(reason: str):
    message = f"headless Chromium is not available: {reason} (install it with `make browser`)"
    if os.environ.get("CI"):
        pytest.fail(message + "; CI is set, so this is a failure, not a skip")
    pytest.skip(message)


def need_chromium() -> None:
    """Skip (or fail under CI) unless Playwright and the Chromium binary are present."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        _unavailable("the playwright Python package is not installed")
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} does not exist")


@pytest.fixture(scope="session")
def chromium():
    """A headless Chromium browser shared by the session's tests."""
    need_chromium()
    from playwright.sync_api import Error, sync_playwright

    with sync_playwright() as p:
        try:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS, headless=True)
        except Error as exc:
            _unavailable(f"launching {CHROMIUM} failed: {str(exc).splitlines()[0]}")
        yield browser
        browser.close()


@dataclass
class PageLog:
    """What happened while a page was open."""

    requests: list[str] = field(default_factory=list)  # non-local requests attempted (all aborted)
    failed: list[str] = field(default_factory=list)  # local requests that failed (missing files)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)  # alert/confirm/prompt messages

    @property
    def clean(self) -> bool:
        """No network request attempted, nothing failed, no errors, no dialogs."""
        return not (self.requests or self.failed or self.console_errors or self.page_errors or self.dialogs)

    def summary(self) -> str:
        return (f"requests={self.requests[:5]} failed={self.failed[:5]} console_errors={self.console_errors[:5]} "
                f"page_errors={self.page_errors[:5]} dialogs={self.dialogs[:5]}")


def _watch(context, page, log: PageLog) -> None:
    def route(r):
        if r.request.url.startswith(_LOCAL_SCHEMES):
            r.continue_()
        else:
            r.abort("internetdisconnected")

    context.route("**/*", route)
    page.on("request", lambda req: None if req.url.startswith(_LOCAL_SCHEMES) else log.requests.append(req.url))
    page.on("requestfailed", lambda req: log.failed.append(req.url) if req.url.startswith(_LOCAL_SCHEMES) else None)
    page.on("console", lambda msg: log.console_errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: log.page_errors.append(str(exc)))

    def dialog(d):
        log.dialogs.append(f"{d.type}: {d.message}")
        d.dismiss()

    page.on("dialog", dialog)


@contextmanager
def offline_page(browser, path: Path | str | None = None, *, html: str | None = None, out_dir: Path | None = None,
                 screenshot: str = "page.png", viewport: tuple[int, int] = (1100, 750)):
    """Open a local file (or an HTML string) with the network disabled.

    Parameters
    ----------
    browser
        The ``chromium`` fixture.
    path
        A local HTML file to open (``file://``).
    html
        Or HTML to load with ``page.set_content`` (e.g. a notebook's iframe).
    out_dir
        Save ``screenshot`` there when the block ends.

    Yields
    ------
    (page, PageLog)
    """
    context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]}, offline=True,
                                  service_workers="block")
    page = context.new_page()
    log = PageLog()
    _watch(context, page, log)
    try:
        if path is not None:
            page.goto(Path(path).resolve().as_uri(), wait_until="load")
        else:
            page.set_content(html or "", wait_until="load")
        yield page, log
    finally:
        if out_dir is not None:
            try:
                page.screenshot(path=str(Path(out_dir) / screenshot))
            except Exception:  # noqa: BLE001 - a failed screenshot must not hide the test's own failure
                pass
        context.close()
