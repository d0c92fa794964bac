"""The widget and the table view in a real browser: Debian's headless Chromium driven by Playwright.

The service runs in a thread (uvicorn on 127.0.0.1, a free port) over the sample;
a second tiny HTTP server on another port plays a government site embedding
/widget.js. Skips when /usr/bin/chromium (or $BUDGETQA_CHROMIUM) or the playwright
package is missing; Playwright never downloads a browser of its own here.
Screenshots go to each test's tmp_path (their paths are printed; see them with -s).
"""

from __future__ import annotations

import dataclasses
import functools
import os
import re
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from budgetqa.index.store import Store
from budgetqa.ingest.parse_cache import ParseCache
from budgetqa.ingest.pipeline import doc_id_for, ingest_file
from budgetqa.service.app import create_app
from budgetqa.settings import Settings

pytestmark = pytest.mark.slow

CHROMIUM = Path(os.environ.get("BUDGETQA_CHROMIUM", "/usr/bin/chromium"))
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SAMPLE = Path(__file__).resolve().parents[1] / "samples" / "sample_budget.pdf"
AXE = Path(os.environ.get("BUDGETQA_AXE") or
           Path(__file__).resolve().parents[1] / ".cache" / "axe" / "node_modules" / "axe-core" / "axe.min.js")
"""axe-core from npm (`make axe`); the accessibility check skips without it."""
DOC = "dfce47c16"
QUESTION = "项目支出比上年增长多少"

if not CHROMIUM.is_file():
    pytest.skip(f"browser tests need Chromium at {CHROMIUM} (apt-get install chromium)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="browser tests need the playwright package "
                               "(pip install playwright; no browser download: Debian's chromium is used)")
expect = sync_api.expect

DEEP_FOCUS = """() => { let a = document.activeElement;
  while (a && a.shadowRoot && a.shadowRoot.activeElement) { a = a.shadowRoot.activeElement; }
  return a ? (a.id || a.textContent.trim()) : null; }"""
"""The focused element inside the widget's shadow root: its id, or its text."""

EMBED_PAGE = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>某区人民政府 · 预决算公开</title>
<link rel="icon" href="data:,">
<style>/* a host page's heavy-handed CSS must not reach into the widget */
body {{ font-family: serif; background: #fafafa; }} input {{ width: 20px !important; }}
button {{ background: lime !important; }} h2 {{ color: green; }}</style></head>
<body><h1>某区人民政府 · 预决算公开专栏</h1><p>本页面由政府网站提供，问答框由 budgetqa 服务嵌入。</p>
<script src="{api}/widget.js" data-title="预决算公开智能问答"></script>
<p id="after">（页面其余内容）</p></body></html>
"""


def free_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


@pytest.fixture(scope="module")
def embed_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ThreadingHTTPServer, Path]]:
    """A second HTTP server (another origin) serving the page that embeds the widget."""
    root = tmp_path_factory.mktemp("embed-site")
    handler = functools.partial(QuietHandler, directory=str(root))
    site = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=site.serve_forever, daemon=True)
    thread.start()
    yield site, root
    site.shutdown()
    site.server_close()


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@dataclass
class Served:
    """The running service: its base URL, its app, and the embedding page's URL."""

    url: str
    app: object
    site: str

    @property
    def store(self) -> Store:
        return self.app.state.budgetqa.store


@pytest.fixture(scope="module")
def server(read_cache: ParseCache, embed_site, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """The service (uvicorn in a thread) over the sample; the embedding site's origin may call it."""
    import uvicorn

    site, root = embed_site
    data_dir = tmp_path_factory.mktemp("browser-store")
    store = Store(data_dir)
    ingest_file(store, SAMPLE, Settings(data_dir=data_dir))
    store.close()
    site_origin = f"http://127.0.0.1:{site.server_address[1]}"
    app = create_app(Settings(data_dir=data_dir, cors_origins=[site_origin]))
    sock = free_socket()
    base = f"http://127.0.0.1:{sock.getsockname()[1]}"
    uv = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
    thread = threading.Thread(target=uv.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not uv.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    (root / "embed.html").write_text(EMBED_PAGE.format(api=base), encoding="utf-8")
    yield Served(base, app, f"{site_origin}/embed.html")
    uv.should_exit = True
    thread.join(10)
    sock.close()


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator:
    """Headless Chromium with a fresh profile."""
    with sync_api.sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")), executable_path=str(CHROMIUM), headless=True,
            args=ARGS, viewport={"width": 1280, "height": 900}, locale="zh-CN",
        )
        context.set_default_timeout(15_000)
        yield context
        context.close()


@pytest.fixture
def page(browser) -> Iterator:
    """A new tab that records page errors, console errors and every URL it requests."""
    tab = browser.new_page()
    tab.problems = []
    tab.requests = []
    tab.on("pageerror", lambda exc: tab.problems.append(f"pageerror: {exc}"))
    tab.on("console", lambda msg: msg.type == "error" and tab.problems.append(f"console: {msg.text}"))
    tab.on("request", lambda request: tab.requests.append(request.url))
    yield tab
    tab.close()


def shot(target, path: Path, full_page: bool = True) -> None:
    target.screenshot(path=str(path), full_page=full_page)
    print(f"screenshot: {path}")


def ask(page, question: str) -> None:
    box = page.get_by_label("您的问题")
    box.fill(question)
    box.press("Enter")


def only_local(urls: list[str]) -> None:
    assert all(u.startswith(("http://127.0.0.1:", "data:")) for u in urls), urls


def test_widget_answers_and_citation_opens_highlighted_cell(server: Served, browser, page, tmp_path: Path) -> None:
    page.goto(server.url + "/")
    expect(page.get_by_role("button", name="三公经费是多少")).to_be_visible()
    ask(page, QUESTION)
    output = page.locator(".bqa-output")
    expect(output).to_have_attribute("aria-live", "polite")
    expect(output).to_contain_text("1,433.31")
    expect(output).to_contain_text("512.83%")
    expect(page.locator(".bqa-main .bqa-number")).to_have_text("+1,433.31")
    expect(page.locator(".bqa-main .bqa-trend")).to_have_text("▲ 增加")
    expect(output).to_contain_text("1,712.80 − 1,433.31 = 279.49")
    # the cited page names its file (a disclosure may come in two)
    expect(page.locator(".bqa-cite-raw").first).to_contain_text(re.compile(r"\S+\.(pdf|txt) 第 \d+ 页"))
    shot(page, tmp_path / "answer-desktop.png")

    with browser.expect_page() as opened:
        page.get_by_role("link", name=re.compile("部门支出总体情况表")).first.click()
    view = opened.value
    view.wait_for_load_state()
    cell = view.locator("#cited")
    expect(cell).to_have_text("1,712.80")
    expect(cell).to_have_class(re.compile(r"\bcited\b"))
    expect(cell).to_be_in_viewport()
    assert cell.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(255, 216, 77)"
    assert view.evaluate("document.activeElement.id") == "cited"
    expect(view.get_by_role("heading", level=1)).to_have_text("表3 部门支出总体情况表")
    expect(view.locator(".meta")).to_contain_text("第 9 页")
    expect(view.locator(".cite")).to_contain_text("总计")
    expect(view.locator("tr.cited-row th[scope=row]")).to_have_text("总计")
    shot(view, tmp_path / "table-view-desktop.png", full_page=False)
    view.close()
    assert not page.problems, page.problems
    only_local(page.requests)


def test_keyboard_only(server: Served, page) -> None:
    """Tab reaches the box, the ask button and the suggestions; Enter asks."""
    page.goto(server.url + "/")
    expect(page.get_by_role("button", name="三公经费是多少")).to_be_visible()
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate(DEEP_FOCUS).endswith("-q"):
            break
    else:
        pytest.fail("Tab never reached the question box")
    page.keyboard.type("三公经费是多少")
    page.keyboard.press("Enter")
    expect(page.locator(".bqa-main .bqa-number")).to_have_text("4.69")
    page.keyboard.press("Tab")
    assert page.evaluate(DEEP_FOCUS) == "提问"
    page.keyboard.press("Tab")
    assert page.evaluate(DEEP_FOCUS) == QUESTION
    page.keyboard.press("Enter")
    expect(page.locator(".bqa-main .bqa-number")).to_have_text("+1,433.31")
    cite = page.get_by_role("link", name=re.compile("部门支出总体情况表")).first
    for _ in range(20):
        page.keyboard.press("Tab")
        if "部门支出总体情况表" in page.evaluate(DEEP_FOCUS):
            break
    else:
        pytest.fail("Tab never reached the citation link")
    expect(cite).to_be_focused()


def test_phone_width(server: Served, browser, page, tmp_path: Path) -> None:
    """At 360 px the widget fits without sideways scrolling, and the table view still shows the cited cell."""
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(server.url + "/")
    expect(page.get_by_role("button", name="三公经费是多少")).to_be_visible()
    ask(page, QUESTION)
    expect(page.locator(".bqa-output")).to_contain_text("512.83%")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "no sideways scrolling"
    shot(page, tmp_path / "answer-phone.png")
    with browser.expect_page() as opened:
        page.get_by_role("link", name=re.compile("部门支出总体情况表")).first.click()
    view = opened.value
    view.set_viewport_size({"width": 360, "height": 740})
    view.reload()
    expect(view.locator("#cited")).to_be_in_viewport()
    expect(view.get_by_role("heading", level=1)).to_be_in_viewport()
    shot(view, tmp_path / "table-view-phone.png", full_page=False)
    view.close()
    assert not page.problems, page.problems


def test_refusal_says_why(server: Served, page, tmp_path: Path) -> None:
    page.goto(server.url + "/")
    ask(page, "今天天气怎么样")
    output = page.locator(".bqa-output")
    expect(output).to_contain_text("暂时无法回答")
    expect(output).to_contain_text("没有在已载入的公开中找到")
    shot(page, tmp_path / "refused.png")


def test_decrease_headline(server: Served, page, tmp_path: Path) -> None:
    """A decrease is headlined with a minus sign, ▼ 减少 and its own colour, and the cited cell one click away."""
    page.goto(server.url + "/")
    ask(page, "一般公共预算比上年增长多少")
    main = page.locator(".bqa-main")
    expect(main.locator(".bqa-number")).to_have_text("−148.26")
    expect(main.locator(".bqa-trend")).to_have_text("▼ 减少")
    expect(main.locator(".bqa-figure-value")).to_have_attribute("aria-label", "一般公共预算比上年减少 148.26 万元")
    assert main.locator(".bqa-number").evaluate("e => getComputedStyle(e).color") == "rgb(23, 107, 54)"
    rate = page.locator(".bqa-figure").nth(1)
    expect(rate.locator(".bqa-number")).to_have_text("−23.87%")
    expect(rate.locator(".bqa-trend")).to_have_text("▼ 下降")
    expect(main.get_by_role("link")).to_contain_text("第")
    shot(page, tmp_path / "decrease.png")
    ask(page, "那项目支出呢")
    expect(page.locator(".bqa-rewritten")).to_have_text("按“项目支出比上年增长多少”回答")
    expect(page.locator(".bqa-main .bqa-number")).to_have_text("+1,433.31")
    assert not page.problems, page.problems


def test_table_view_keeps_title_and_header_in_view(server: Served, browser, page, tmp_path: Path) -> None:
    """Scrolled to its end, the table view still shows its title, unit and header rows; the cited
    row and column are tinted."""
    page.set_viewport_size({"width": 800, "height": 420})
    page.goto(f"{server.url}/documents/{DOC}/tables/t06/view?row=奖励金")
    frame = page.locator(".scroll")
    assert frame.evaluate("e => e.scrollHeight > e.clientHeight"), "the table must be taller than its frame"
    frame.evaluate("e => { e.scrollTop = e.scrollHeight; }")
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    head = page.locator("thead th").first
    expect(head).to_be_in_viewport()
    assert abs(head.evaluate("e => e.getBoundingClientRect().top") - frame.evaluate(
        "e => e.getBoundingClientRect().top")) <= 2, "the header row sticks to the top of the table frame"
    expect(page.get_by_role("heading", level=1)).to_be_in_viewport()
    expect(page.locator(".meta")).to_be_in_viewport()
    expect(page.locator("td.cited-col").first).to_be_attached()
    expect(page.locator("tr.cited-row")).to_have_count(1)
    shot(page, tmp_path / "table-sticky.png", full_page=False)


@pytest.fixture
def two_years(server: Served) -> Iterator[str]:
    """A copy of the sample saved as the same department's 2023 budget (removed afterwards)."""
    app_store = server.store
    older = app_store.load(DOC)
    older.year, older.doc_id = 2023, doc_id_for(older.department, 2023, older.kind)
    older.title = older.title.replace("2024", "2023")
    older.files = [dataclasses.replace(f, sha256="0" * 64) for f in older.files]
    app_store.save(older)
    yield older.doc_id
    app_store.delete(older.doc_id)


def test_suggestion_chip_answers_with_several_documents(server: Served, two_years: str, page) -> None:
    """With two documents loaded every chip names its document, so clicking one answers."""
    page.goto(server.url + "/")
    chips = page.locator(".bqa-chip")
    expect(chips.first).to_be_visible()
    assert all("年" in text for text in chips.all_inner_texts())
    for i in (0, 1):
        chips.nth(i).click()
        expect(page.locator(".bqa-result")).to_have_class(re.compile(r"\bbqa-answered\b"))
        expect(page.locator(".bqa-main .bqa-number")).not_to_be_empty()


def test_clarify_offers_documents(server: Served, two_years: str, page, tmp_path: Path) -> None:
    """With a second document of the same department, the widget asks which, its options labelled
    and ordered like the document list; a choice re-asks."""
    page.goto(server.url + "/")
    expect(page.get_by_label("在哪份公开中查找")).to_be_visible()
    ask(page, "项目支出是多少")
    choice = page.get_by_role("button", name=re.compile("2023年部门预算"))
    expect(choice).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("2024年部门预算"))).to_be_visible()
    assert "2023年部门预算" in page.evaluate(DEEP_FOCUS) or "2024年部门预算" in page.evaluate(DEEP_FOCUS)
    shot(page, tmp_path / "clarify.png")
    listed = page.locator("select option").all_inner_texts()[1:]
    assert page.locator(".bqa-option").all_inner_texts() == listed
    choice.click()
    output = page.locator(".bqa-output")
    expect(output).to_contain_text("1,712.80")
    expect(output).to_contain_text("2023年部门预算")


def axe_violations(page) -> list[str]:
    """WCAG 2 A/AA violations axe-core finds on the page (open shadow roots included).

    The checker is served as if from the page's own origin, so the pages' CSP (script-src 'self')
    lets it run unchanged."""
    origin = "/".join(page.url.split("/")[:3])
    page.route(f"{origin}/__axe.min.js", lambda route: route.fulfill(path=str(AXE), content_type="text/javascript"))
    page.add_script_tag(url=f"{origin}/__axe.min.js")
    found = page.evaluate("""async () => {
      const result = await axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21aa"] } });
      return result.violations.map(v => v.id + ": " + v.help + " @ " + v.nodes.map(n => n.target.join(" ")).join(", "));
    }""")
    return found


def test_accessibility_check(server: Served, two_years: str, page) -> None:
    """axe-core finds no WCAG 2 AA violation: the page, an answer with a decrease, a clarifying
    question, and the table view with a cited cell."""
    if not AXE.is_file():
        pytest.skip(f"axe-core not at {AXE} (make axe)")
    page.goto(server.url + "/")
    expect(page.locator(".bqa-chip").first).to_be_visible()
    assert axe_violations(page) == []
    ask(page, "一般公共预算比上年增长多少")
    expect(page.locator(".bqa-option").first).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("button", name=re.compile("2024年部门预算")).click()
    # both years loaded: the change comes from the two years' tables (the fixture's years print the same)
    expect(page.locator(".bqa-main .bqa-number")).not_to_be_empty()
    assert axe_violations(page) == []
    # the check reaches inside the widget's shadow root: pale text there is caught
    page.locator(".budgetqa-widget").evaluate(
        "h => { const p = document.createElement('p'); p.textContent = '浅色文字'; p.style.color = '#ddd';"
        " h.shadowRoot.querySelector('.bqa').appendChild(p); }")
    assert any(v.startswith("color-contrast") for v in axe_violations(page))
    page.goto(f"{server.url}/documents/{DOC}/tables/t06/view?row=奖励金")
    assert axe_violations(page) == []


def test_embedded_on_another_site(server: Served, page, tmp_path: Path) -> None:
    """One script tag on another origin's page adds a working widget (CORS), untouched by the page's CSS."""
    page.goto(server.site)
    assert not page.url.startswith(server.url)
    widget = page.locator(".budgetqa-widget")
    expect(widget.get_by_role("heading", name="预决算公开智能问答")).to_be_visible()
    assert widget.evaluate("e => e.nextElementSibling.id") == "after", "the widget sits where the tag is"
    box = page.get_by_label("您的问题")
    assert box.evaluate("e => e.getBoundingClientRect().width") > 150, "host CSS must not reach the widget"
    ask(page, QUESTION)
    expect(page.locator(".bqa-output")).to_contain_text("1,433.31")
    expect(page.locator(".bqa-output")).to_contain_text("512.83%")
    shot(page, tmp_path / "embedded.png")
    assert not page.problems, page.problems
    only_local(page.requests)


def test_api_docs_render_offline(server: Served, page, tmp_path: Path) -> None:
    """/docs renders from local files: every request stays on 127.0.0.1."""
    page.goto(server.url + "/docs")
    expect(page.get_by_text("/api/v1/ask").first).to_be_visible()
    shot(page, tmp_path / "api-docs.png", full_page=False)
    only_local(page.requests)
    assert not page.problems, page.problems
