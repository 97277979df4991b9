"""The published site in a real browser (issue 5): Debian's headless Chromium via Playwright.

``quotetrack serve`` runs on a free loopback port over a database built from the sample
corpus (``data/``). Screenshots go to ``test-artifacts/``. Needs ``chromium`` from Debian
(``scripts/install-browser.sh``) and the ``playwright`` package; never a downloaded browser.
"""

import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
SPEAKER = "Mustafa Al-Mujie"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, server: subprocess.Popen, timeout: float = 60) -> None:
    """Poll ``url`` until it answers; fail early if the server process died."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"quotetrack serve exited: {server.stderr.read()}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"{url} did not answer within {timeout}s")


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Debian's chromium is not installed at {CHROMIUM}: run scripts/install-browser.sh")
    sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def seeds_db(tmp_path_factory):
    from quotetrack import api

    path = tmp_path_factory.mktemp("browser") / "quotes.db"
    api.build([ROOT / "data"], db_path=path)
    return path


@pytest.fixture(scope="module")
def site(browser, seeds_db):
    """The URL of ``quotetrack serve`` running on the sample corpus."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "quotetrack", "serve", "--db", str(seeds_db), "--port", str(port)],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{url}/-/settings.json", server)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def page(browser):
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    yield page
    page.close()


def count(db: Path, sql: str, *params) -> int:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql, params).fetchone()[0]
    finally:
        conn.close()


def shown_rows(page) -> list[dict[str, str]]:
    """The table rows on the page, as column name -> cell text."""
    columns = page.locator("table.rows-and-columns thead th").evaluate_all(
        "ths => ths.map(th => th.dataset.column)"
    )
    cells = page.locator("table.rows-and-columns tbody tr").evaluate_all(
        "trs => trs.map(tr => [...tr.querySelectorAll('td')].map(td => td.innerText.trim()))"
    )
    return [dict(zip(columns, row)) for row in cells]


def test_quotes_page_facet_then_search(site, page, seeds_db):
    ARTIFACTS.mkdir(exist_ok=True)
    page.goto(f"{site}/quotes/quotes")
    assert page.title().startswith("quotes")
    page.locator("#facet-speaker").get_by_role("link", name=SPEAKER, exact=True).click()
    page.wait_for_load_state()
    rows = shown_rows(page)
    assert len(rows) == count(seeds_db, "select count(*) from quotes where speaker = ?", SPEAKER) > 1
    assert {r["speaker"] for r in rows} == {SPEAKER}
    # the speaker_id column shows the name through the foreign key, not only the id
    assert all(SPEAKER in r["speaker_id"] for r in rows)

    page.fill("#_search", "attrition")
    page.press("#_search", "Enter")
    page.wait_for_load_state()
    rows = shown_rows(page)
    assert len(rows) == 1, page.url
    assert rows[0]["speaker"] == SPEAKER and "strategy of attrition" in rows[0]["content"]
    assert "speaker" in page.url and "_search=attrition" in page.url  # the facet still applies
    page.screenshot(path=ARTIFACTS / "browser-quotes-search.png", full_page=True)


def test_arabic_quotes_read_right_to_left(site, page, seeds_db):
    ARTIFACTS.mkdir(exist_ok=True)
    page.goto(f"{site}/quotes/claims?language=ar")
    rows = shown_rows(page)
    assert len(rows) == count(seeds_db, "select count(*) from claims where language = 'ar'") > 0
    page.locator("table.rows-and-columns").screenshot(path=ARTIFACTS / "browser-claims-arabic.png")
    # an Arabic quote ends at the left of its cell (it starts at the right edge)...
    left, right = _text_gap(page.locator("td.col-quote").first)
    assert right <= 1 < left
    # ...and an English one at the right
    page.goto(f"{site}/quotes/claims?language=en")
    left, right = _text_gap(page.locator("td.col-quote").first)
    assert left <= 1 < right


def _text_gap(cell) -> tuple[float, float]:
    """Pixels between the cell's text and the cell's left and right inner edges (last line)."""
    return tuple(cell.evaluate(
        """td => {
            const range = document.createRange();
            range.selectNodeContents(td);
            const lines = range.getClientRects();
            const last = lines[lines.length - 1];
            const box = td.getBoundingClientRect();
            const style = getComputedStyle(td);
            return [last.left - box.left - parseFloat(style.paddingLeft),
                    box.right - parseFloat(style.paddingRight) - last.right];
        }"""
    ))
