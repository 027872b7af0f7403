"""The local web app: the page, the form, the JSON API, size limits and unreadable uploads.

In-process through Starlette's test client (with a lexicon-only Scorer), and once as the real
``rhetoric serve`` process on a loopback port. The browser-driven tests are in test_browser.py.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import warnings

import pytest

pytest.importorskip("starlette", reason="needs the web extra: pip install 'rhetoric-lens[web]'")
pytest.importorskip("multipart", reason="needs python-multipart (the web extra)")
pytest.importorskip("httpx", reason="Starlette's test client needs httpx (the test extra)")

with warnings.catch_warnings():  # Starlette >= 1.x prefers httpx2; httpx still works
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from starlette.testclient import TestClient

from rhetoric.web import create_app

ARTICLE = "The minister said it was a sacred mission. One official, who spoke on condition of anonymity, said so."
PAGE = ("<!DOCTYPE html><html><head><title>Ministry hails mission</title></head><body><nav>Home | World news menu"
        f"</nav><article><h1>Ministry hails mission</h1><p>{ARTICLE}</p></article>"
        "<footer>Copyright footer text.</footer></body></html>")


@pytest.fixture(scope="module")
def client(scorer):
    return TestClient(create_app(scorer, max_bytes=200_000))


def test_home_page_is_self_contained(client):
    r = client.get("/")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    html = r.text
    assert '<textarea id="text" name="text"' in html and 'type="file"' in html and 'id="drop"' in html
    assert "http://" not in html and "https://" not in html  # no external assets
    assert "script-src 'self'" in r.headers["content-security-policy"]
    js = client.get("/app.js")
    assert js.status_code == 200 and "dataTransfer" in js.text and js.headers["content-type"].startswith("text/javascript")


def test_pasted_text_shows_the_report_view(client):
    r = client.post("/score", data={"text": ARTICLE})
    assert r.status_code == 200
    assert 'class="rhetoric-report"' in r.text and "<h3>Sources</h3>" in r.text and "<h3>Legend</h3>" in r.text
    assert "sacred mission</mark>" in r.text
    assert f">{ARTICLE}</textarea>" in r.text  # the paste is kept for editing


def test_dropped_text_file_is_scored(client):
    r = client.post("/score", files={"file": ("story.txt", ARTICLE.encode("utf-8"), "text/plain")})
    assert r.status_code == 200 and "<h2>story.txt</h2>" in r.text and "sacred mission</mark>" in r.text


def test_dropped_web_page_is_reduced_to_its_article(client):
    pytest.importorskip("trafilatura", reason="needs the html extra")
    r = client.post("/score", files={"file": ("story.html", PAGE.encode("utf-8"), "text/html")})
    assert r.status_code == 200
    assert "Article text extracted from the HTML page “Ministry hails mission” by trafilatura" in r.text
    report = r.text[r.text.index('id="report"'):]
    assert "World news menu" not in report and "Copyright footer" not in report and "sacred mission" in report


@pytest.mark.parametrize("name, data, status, message", [
    ("scan.pdf", b"%PDF-1.4 binary", 415, "only .txt and .html files"),
    ("scan.txt", b"%PDF-1.4 binary", 415, "is a PDF, not text"),
    ("story.txt", "café".encode("latin-1"), 422, "is not UTF-8 text"),
    ("blob.txt", b"ab\x00\x01cd", 415, "is a binary file"),
    ("empty.txt", b"  \n", 400, "There is no text to score"),
])
def test_unreadable_upload_gets_a_clear_message(client, name, data, status, message):
    r = client.post("/score", files={"file": (name, data, "application/octet-stream")})
    assert r.status_code == status
    assert 'class="rh-error"' in r.text and message in r.text and "Traceback" not in r.text


def test_api_scores_json_text_and_html(client, scorer):
    r = client.post("/api/score", json={"text": ARTICLE})
    assert r.status_code == 200 and r.headers["content-type"] == "application/json"
    assert r.json() == json.loads(scorer.score(ARTICLE).to_json())
    plain = client.post("/api/score", content=ARTICLE.encode(), headers={"content-type": "text/plain; charset=utf-8"})
    assert plain.json()["scores"] == r.json()["scores"]
    pytest.importorskip("trafilatura", reason="needs the html extra")
    page = client.post("/api/score", json={"text": PAGE, "html": True})
    assert page.json()["meta"]["input"]["title"] == "Ministry hails mission"
    assert page.json()["text"].startswith("Ministry hails mission\n\nThe minister said")


@pytest.mark.parametrize("body, ctype, status, message", [
    (b"{not json", "application/json", 400, "not valid JSON"),
    (b'{"txt": "x"}', "application/json", 400, '"text" string'),
    (b"x", "application/xml", 415, "Unsupported content type"),
])
def test_api_errors_are_json(client, body, ctype, status, message):
    r = client.post("/api/score", content=body, headers={"content-type": ctype})
    assert r.status_code == status and message in r.json()["error"]


def test_request_size_limit(client):
    big = "word " * 60_000  # 300 kB > the 200 kB limit of this app
    r = client.post("/api/score", json={"text": big})
    assert r.status_code == 413 and "too large" in r.json()["error"]
    page = client.post("/score", data={"text": big})
    assert page.status_code == 413 and "too large" in page.text

    def chunks():  # no Content-Length: the bytes themselves are counted
        for _ in range(30):
            yield b"x" * 10_000
    streamed = client.post("/api/score", content=chunks(), headers={"content-type": "text/plain"})
    assert streamed.status_code == 413


def test_get_on_score_is_not_allowed(client):
    assert client.get("/api/score").status_code == 405


# -- the real command ----------------------------------------------------------------------------------
def test_rhetoric_serve_listens_on_loopback(tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "rhetoric", "serve", "--port", str(port), "--model", "none",
                             "--max-mb", "0.1"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(url + "/api/health", timeout=2) as r:
                    assert json.load(r)["ok"] is True
                break
            except (urllib.error.URLError, ConnectionError):
                assert proc.poll() is None and time.monotonic() < deadline, proc.stderr.read().decode()
                time.sleep(0.2)
        req = urllib.request.Request(url + "/api/score", data=json.dumps({"text": ARTICLE}).encode(),
                                     headers={"content-type": "application/json"})
        with urllib.request.urlopen(req, timeout=60) as r:
            assert json.load(r)["sourcing"]["n_attributions"] >= 1
        big = urllib.request.Request(url + "/api/score", data=b"x" * 200_000, headers={"content-type": "text/plain"})
        with pytest.raises(urllib.error.HTTPError) as err:
            urllib.request.urlopen(big, timeout=60)
        assert err.value.code == 413
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    assert b"serving on http://127.0.0.1:" in proc.stderr.read()
