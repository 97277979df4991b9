"""The published site in a real browser (issue 5): Debian's headless Chromium via Playwright.

``quotetrack serve`` runs on a free loopback port over a database built from the sample
corpus (``data/``). Screenshots go to ``test-artifacts/``. Needs ``chromium`` from Debian
(``scripts/install-browser.sh``) and the ``playwright`` package; never a downloaded browser.
"""

import json
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
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
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


# The sample corpus mentions Khalifa Haftar but never quotes him: this hand-made article (a
# test fixture, not news) gives the walk a speaker to find under another spelling, "Hifter".
HAFTAR_FIXTURE = {
    "id": "fixture-haftar",
    "title": "Haftar says his forces will keep fighting",
    "language": "en",
    "outlet": "quotetrack test fixture",
    "published": "2020-06-10",
    "text": "Haftar says his forces will keep fighting\n\nKhalifa Haftar, the commander of the eastern "
    "forces, said on Wednesday that his forces would keep fighting until the capital was taken.\n\n"
    '"We are racing against time," Haftar told reporters in Benghazi.',
}


@pytest.fixture(scope="module")
def seeds_db(tmp_path_factory):
    from quotetrack import api

    folder = tmp_path_factory.mktemp("browser")
    fixture = folder / "fixture.jsonl"
    fixture.write_text(json.dumps(HAFTAR_FIXTURE) + "\n", encoding="utf-8")
    path = folder / "quotes.db"
    api.build([ROOT / "data", fixture], db_path=path)
    return path


@pytest.fixture(scope="module")
def site(browser, seeds_db):
    """The URL of ``quotetrack serve`` running on the sample corpus."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "quotetrack", "serve", "--db", str(seeds_db), "--port", str(port)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
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
    columns = page.locator("table.rows-and-columns thead th").evaluate_all("ths => ths.map(th => th.dataset.column)")
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
    """Pixels between the cell's text and the cell's left and right inner edges (last line).

    The quote's own words, when the cell also holds a link to the article after them."""
    return tuple(
        cell.evaluate(
            """td => {
            const range = document.createRange();
            range.selectNodeContents(td.querySelector('span.quote-text') || td);
            const lines = range.getClientRects();
            const last = lines[lines.length - 1];
            const box = td.getBoundingClientRect();
            const style = getComputedStyle(td);
            return [last.left - box.left - parseFloat(style.paddingLeft),
                    box.right - parseFloat(style.paddingRight) - last.right];
        }"""
        )
    )


# --- the site's own pages (issue 26) --------------------------------------------------------


@pytest.fixture
def big_page(browser):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    yield page
    page.close()


@pytest.mark.parametrize(
    "query, speaker, direction",
    [
        ("Hifter", "Khalifa Haftar", "ltr"),  # a spelling of a quoted speaker that no article uses for him
        ("Majei", SPEAKER, "ltr"),  # a spelling the articles use
        ("Mujie", SPEAKER, "ltr"),  # one they never use
        ("المسماري", "أحمد المسماري", "rtl"),
    ],
)
def test_search_speaker_statement_article_and_back(site, big_page, tmp_path, query, speaker, direction):
    page = big_page
    page.goto(site)
    page.fill("#home-q", query)
    page.press("#home-q", "Enter")
    page.wait_for_load_state()
    assert "/-/search?q=" in page.url
    page.screenshot(path=tmp_path / "1-search.png")

    page.locator("ul.speaker-results").get_by_role("link", name=speaker, exact=True).click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == speaker
    assert page.locator("h1").get_attribute("dir") == direction
    assert page.locator("svg.month-chart rect").count() >= 1
    speaker_url = page.url
    page.screenshot(path=tmp_path / "2-speaker.png")

    first = page.locator("ol.statements li").first
    quote = first.locator("blockquote").inner_text()
    assert first.locator("blockquote").get_attribute("dir") == direction
    first.locator("p.said a").last.click()
    page.wait_for_load_state()
    assert "/quotes/articles/" in page.url and "#q-" in page.url
    target = page.locator("mark.statement:target")
    assert target.count() == 1 and target.inner_text() in quote
    box = target.bounding_box()
    assert 0 < box["y"] < 1000  # the browser scrolled to the mark, a little below the top
    text = page.locator("article.article-text")
    assert text.get_attribute("dir") == direction
    assert text.evaluate("el => getComputedStyle(el).direction") == direction
    page.screenshot(path=tmp_path / "3-article.png")

    page.go_back()
    page.wait_for_load_state()
    assert page.url == speaker_url and page.locator("h1").inner_text() == speaker


def test_claims_rows_on_the_first_screen_without_sideways_scroll(site, big_page, tmp_path):
    page = big_page
    page.goto(f"{site}/quotes/claims")
    page.screenshot(path=tmp_path / "claims.png")
    first_row = page.locator("table.rows-and-columns tbody tr").first.bounding_box()
    assert first_row["y"] + first_row["height"] < 1000
    assert page.evaluate("document.documentElement.scrollWidth") <= 1400
    # the quote is the widest column shown
    widths = page.locator("table.rows-and-columns thead th").evaluate_all(
        "ths => ths.filter(th => th.offsetWidth > 0).map(th => [th.dataset.column, th.offsetWidth])"
    )
    assert max(widths, key=lambda cw: cw[1])[0] == "quote"
    # a speaker links to their page, a quote to its place in its article
    row = page.locator("table.rows-and-columns tbody tr").first
    assert row.locator("td.col-speaker a").get_attribute("href").startswith("/quotes/speakers/")
    assert "#q-" in row.locator("td.col-quote a.in-article").get_attribute("href")


def test_overview_and_arabic_article_pages_fit(site, big_page, tmp_path):
    page = big_page
    for name, path in [("overview", "/-/overview"), ("article-ar", "/quotes/articles/004_8064531bb08499b5")]:
        page.goto(f"{site}{path}")
        page.screenshot(path=tmp_path / f"{name}.png")
        assert page.evaluate("document.documentElement.scrollWidth") <= 1400, name
