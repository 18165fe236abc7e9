"""Screenshot a local HTML file in headless Chromium with the network off, in a process of its own.

``python tests/_screenshot.py page.html out.png`` (full page).  Tests that run
notebooks use it: Playwright's event loop and nbclient's must not share a
process (a notebook run after the browser started in the same process hangs).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from playwright.sync_api import sync_playwright  # noqa: E402

from browser import CHROMIUM, LAUNCH_ARGS, offline_page  # noqa: E402


def main(page_path: str, png_path: str) -> int:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS, headless=True)
        with offline_page(browser, page_path, viewport=(1280, 900)) as (page, log):
            page.wait_for_timeout(1500)  # maps in frames draw
            page.screenshot(path=png_path, full_page=True)
        browser.close()
    if log.requests:
        print("network requests attempted:", log.requests[:3], file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
