"""The course book builds with `mkdocs build --strict`, holds every public name, and renders in a
real browser: headless Debian Chromium opens the home page, an API page and a worked example,
with no console error, GCNConv's signature on the API page and a figure of non-zero size.

The site is built once per session, in the reduced mode (DLCOURSE_DOCS_QUICK=1: the worked
examples train for fewer epochs), into the test's temporary folder.
"""

import functools
import http.server
import importlib
import os
import pathlib
import re
import shutil
import subprocess
import sys
import threading

import pytest

from conftest import ROOT

CHROMIUM = pathlib.Path("/usr/bin/chromium")
# Without the background-networking flags Chromium keeps calling Google's hosts, which this
# closed network refuses; a fresh profile per run keeps runs apart.
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SUBPACKAGES = ["perceptron", "training", "sequence", "cnn", "detection", "nlp", "generative", "gnn", "llm", "data"]


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    """The built site's folder (reduced mode)."""
    pytest.importorskip("mkdocs", reason="the docs extra is not installed: pip install -e \".[docs]\"")
    out = tmp_path_factory.mktemp("docs") / "site"
    env = {**os.environ, "DLCOURSE_DOCS_QUICK": "1", "TF_CPP_MIN_LOG_LEVEL": "3"}
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(ROOT / "mkdocs.yml"),
                           "--site-dir", str(out)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=1500)
    problems = [line for line in proc.stderr.splitlines()
                if line.startswith(("WARNING", "ERROR")) or "Error" in line or "Traceback" in line]
    assert proc.returncode == 0, "mkdocs build --strict failed:\n" + "\n".join(problems or [proc.stderr[-4000:]])
    return out


@pytest.fixture(scope="session")
def server(site):
    """The site on http://127.0.0.1:PORT/ (a plain http.server in a thread)."""
    handler = functools.partial(_QuietHandler, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def _chromium():
    """/usr/bin/chromium, installed with apt-get where it is missing and we may; None if it cannot be."""
    if not CHROMIUM.exists() and shutil.which("apt-get") and os.geteuid() == 0:
        subprocess.run(["apt-get", "install", "-y", "-q", "chromium", "chromium-driver"], capture_output=True,
                       timeout=900)
    return CHROMIUM if CHROMIUM.exists() else None


@pytest.fixture(scope="session")
def browser(tmp_path_factory):
    chromium = _chromium()
    if chromium is None:
        pytest.skip("Debian's chromium is not installed and cannot be installed here (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed: pip install -e \".[docs]\"")
    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_api.sync_playwright() as playwright:
        # Playwright's own browser download is never used: Debian's chromium, a fresh profile.
        context = playwright.chromium.launch_persistent_context(
            str(profile), executable_path=str(chromium), headless=True, args=CHROMIUM_FLAGS)
        yield context
        context.close()


def _open(browser, url):
    """Open `url`; returns (page, console errors and uncaught exceptions)."""
    page = browser.new_page()
    errors = []
    page.on("console", lambda message: errors.append(f"console: {message.text}") if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(f"page error: {error}"))
    page.on("requestfailed", lambda request: errors.append(f"request failed: {request.url}"))
    response = page.goto(url, wait_until="load")
    assert response is not None and response.ok, f"{url}: HTTP {response and response.status}"
    page.wait_for_load_state("networkidle")
    return page, errors


def test_the_book_renders_in_chromium(server, browser, tmp_path):
    home, errors = _open(browser, f"{server}/")
    assert not errors, f"home page: {errors}"
    assert "The lecture map" in home.inner_text("body")
    assert home.locator("a[href*='api/gnn/']").count() > 0, "the lecture map links no GNN API page"

    api, errors = _open(browser, f"{server}/api/gnn/")
    assert not errors, f"API page: {errors}"
    import inspect

    from dlcourse.gnn import GCNConv

    heading = api.locator("[id='dlcourse.gnn.layers.GCNConv']")
    assert heading.count() == 1, "GCNConv has no heading on the GNN API page"
    signature = api.locator("[id='dlcourse.gnn.layers.GCNConv'] ~ div.doc-signature").first.inner_text()
    signature = re.sub(r"\s+", "", signature)
    assert signature.startswith("GCNConv("), signature
    for name in inspect.signature(GCNConv).parameters:
        assert name in signature, f"GCNConv's signature on the API page lacks {name}: {signature}"

    example, errors = _open(browser, f"{server}/examples/ch07_gnn/")
    assert not errors, f"worked example: {errors}"
    images = example.locator("img")
    assert images.count() >= 1, "the karate-club example shows no figure"
    sizes = images.evaluate_all("imgs => imgs.map(i => [i.complete, i.naturalWidth, i.naturalHeight])")
    assert all(done and width > 0 and height > 0 for done, width, height in sizes), sizes
    images.first.scroll_into_view_if_needed()
    shot = tmp_path / "ch07_gnn.png"
    example.screenshot(path=str(shot), full_page=True)
    print(f"screenshot: {shot}")
    assert shot.stat().st_size > 0


def test_every_public_name_is_in_the_api_reference(site):
    for package in SUBPACKAGES:
        module = importlib.import_module(f"dlcourse.{package}")
        html = (site / "api" / package / "index.html").read_text(encoding="utf-8")
        ids = set(re.findall(r'id="(dlcourse\.[\w.]+)"', html))
        missing = [name for name in module.__all__
                   if not any(i.endswith(f".{name}") and i.startswith(f"dlcourse.{package}") for i in ids)]
        assert not missing, f"api/{package}.md lacks {missing} of dlcourse.{package}.__all__"


def test_every_chapter_has_a_worked_example_with_a_figure(site):
    chapters = sorted(p.name for p in (ROOT / "solutions").iterdir() if p.is_dir() and p.name.startswith("ch"))
    for chapter in chapters:
        page = site / "examples" / chapter / "index.html"
        assert page.exists(), f"no worked example for {chapter} (docs/examples/{chapter}.py)"
        assert re.search(r'<img[^>]+src="data:image/png;base64,', page.read_text(encoding="utf-8")), \
            f"{chapter}'s worked example shows no figure"


def test_dlcourse_docs_without_the_extra_says_what_to_install(monkeypatch):
    import importlib.util

    from click.testing import CliRunner

    from dlcourse import cli

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "mkdocs_jupyter" else real(name, *a))
    result = CliRunner().invoke(cli.main, ["docs", "build"])
    assert result.exit_code == 2
    assert 'pip install "dlcourse[docs]"' in result.output and "mkdocs_jupyter" in result.output
