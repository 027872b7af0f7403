"""The report view and the web app in a real browser: headless Chromium, driven over its DevTools protocol.

* Every seed's page (``rhetoric score --format html``) is screenshot; pixels are counted by colour
  against a control screenshot of the same page without spans (the legend alone shows each colour
  a few times), so the test sees the highlighted text itself — on screen and in print emulation.
* The web app (``python -m rhetoric serve``) is driven as a reader would: paste → Score → the
  report appears; drop a saved web page on the drop zone → its extracted article is scored.

Screenshots land in the test's tmp folder (and in ``$RHETORIC_SCREENSHOTS`` when set). The PNG is
decoded by Pillow when it is installed, else with zlib and numpy.
"""

from __future__ import annotations

import base64
import dataclasses
import itertools
import json
import os
import shutil
import socket
import struct
import subprocess
import sys
import time
import urllib.request
import zlib
from pathlib import Path

import numpy as np
import pytest

from rhetoric.report.html_style import BARS

CHROMIUM = Path("/usr/bin/chromium")
SEEDS = sorted((Path(__file__).resolve().parents[1] / "seeds").glob("*.txt"))
ARTICLE = ("The minister said the operation was a sacred mission. One official, who spoke on condition of "
           "anonymity, said the plan may be delayed. Critics say the neo-Nazi label was absurd.")
PAGE = ("<!DOCTYPE html><html><head><title>Ministry hails mission</title></head><body>"
        "<nav><a href='/'>Home</a> <a href='/world'>World news menu</a></nav><article><h1>Ministry hails mission</h1>"
        f"<p>{ARTICLE}</p><p>State media declared that the heroic people had won a glorious victory, according "
        "to KCNA.</p></article><footer>Copyright footer text, all rights reserved.</footer></body></html>")

websockets = pytest.importorskip("websockets.sync.client", reason="needs the websockets package (test extra)")
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's headless browser: apt-get install -y chromium"),
]


# -- Chromium over the DevTools protocol ----------------------------------------------------------
class Browser:
    """One headless Chromium with a fresh profile, and one page target spoken to over a websocket."""

    def __init__(self, profile: Path) -> None:
        self.proc = subprocess.Popen(
            [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
             f"--user-data-dir={profile}", "--remote-debugging-port=0", "--window-size=1200,1800", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        port_file = profile / "DevToolsActivePort"
        deadline = time.monotonic() + 60
        while not (port_file.exists() and port_file.read_text().strip()):
            assert self.proc.poll() is None and time.monotonic() < deadline, "chromium did not start"
            time.sleep(0.1)
        port = int(port_file.read_text().split()[0])
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10) as r:
            target = next(t for t in json.load(r) if t["type"] == "page")
        self._connection = websockets.connect(target["webSocketDebuggerUrl"], max_size=None, open_timeout=30)
        self.ws = self._connection.__enter__()
        self.ids = itertools.count(1)
        self.events: list[dict] = []
        self.send("Page.enable")
        self.send("Emulation.setDeviceMetricsOverride", width=1200, height=1800, deviceScaleFactor=1, mobile=False)

    def send(self, method: str, **params: object) -> dict:
        mid = next(self.ids)
        self.ws.send(json.dumps({"id": mid, "method": method, "params": params}))
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            msg = json.loads(self.ws.recv(timeout=120))
            if msg.get("id") == mid:
                assert "error" not in msg, (method, msg["error"])
                return msg.get("result", {})
            self.events.append(msg)
        raise TimeoutError(method)

    def wait_load(self, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if any(e.get("method") == "Page.loadEventFired" for e in self.events):
                self.events.clear()
                return
            self.events.append(json.loads(self.ws.recv(timeout=timeout)))
        raise TimeoutError("page load")

    def goto(self, url: str) -> None:
        self.events.clear()
        self.send("Page.navigate", url=url)
        self.wait_load()

    def js(self, expression: str) -> object:
        res = self.send("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        assert "exceptionDetails" not in res, res
        return res["result"].get("value")

    def screenshot(self, path: Path, full: bool = True) -> np.ndarray:
        shot = self.send("Page.captureScreenshot", format="png", captureBeyondViewport=full)
        path.write_bytes(base64.b64decode(shot["data"]))
        keep = os.environ.get("RHETORIC_SCREENSHOTS")
        if keep:
            Path(keep).mkdir(parents=True, exist_ok=True)
            shutil.copy(path, Path(keep) / path.name)
        return read_png_rgb(path)

    def close(self) -> None:
        try:
            self._connection.__exit__(None, None, None)
        finally:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    b = Browser(tmp_path_factory.mktemp("chromium-profile"))
    yield b
    b.close()


# -- PNG decoding ---------------------------------------------------------------------------------
def read_png_rgb(path: Path) -> np.ndarray:
    """Decode an 8-bit, non-interlaced RGB(A) PNG (what Chromium writes) to a height×width×3 array.

    Pillow (which matplotlib brings) decodes in C; without it, the pure-Python decoder below does.
    """
    try:
        from PIL import Image
    except ImportError:
        return _decode_png(path)
    with Image.open(path) as im:
        return np.asarray(im.convert("RGB"), dtype=np.int64)


def _decode_png(path: Path) -> np.ndarray:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, ihdr = 8, [], None
    while pos < len(data):
        (n,) = struct.unpack(">I", data[pos:pos + 4])
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + n]
        pos += 12 + n
        if kind == b"IHDR":
            ihdr = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat.append(body)
    assert ihdr is not None
    width, height, depth, colour, _, _, interlace = ihdr
    assert depth == 8 and colour in (2, 6) and interlace == 0, ihdr
    bpp = 3 if colour == 2 else 4
    raw = zlib.decompress(b"".join(idat))
    stride = width * bpp
    out = np.zeros((height, stride), dtype=np.int64)
    prev = np.zeros(stride, dtype=np.int64)
    for y in range(height):
        ftype = raw[y * (stride + 1)]
        line = np.frombuffer(raw, np.uint8, stride, y * (stride + 1) + 1).astype(np.int64)
        if ftype == 0:
            cur = line
        elif ftype == 1:  # Sub: a running sum along each channel
            cur = np.cumsum(line.reshape(-1, bpp), axis=0).reshape(-1) & 255
        elif ftype == 2:  # Up
            cur = (line + prev) & 255
        else:  # Average, Paeth: sequential along the row
            cur = _unfilter_row(ftype, line.tolist(), prev.tolist(), bpp)
        out[y] = prev = cur
    return out.reshape(height, width, bpp)[..., :3]


def _unfilter_row(ftype: int, line: list[int], prev: list[int], bpp: int) -> np.ndarray:
    cur = [0] * len(line)
    for i, x in enumerate(line):
        a = cur[i - bpp] if i >= bpp else 0
        b = prev[i]
        if ftype == 3:
            cur[i] = (x + ((a + b) >> 1)) & 255
        else:
            c = prev[i - bpp] if i >= bpp else 0
            pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
            cur[i] = (x + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    return np.array(cur, dtype=np.int64)


def count_near(img: np.ndarray, hex_colour: str, tol: int = 6) -> int:
    rgb = np.array([int(hex_colour[i:i + 2], 16) for i in (1, 3, 5)])
    return int((np.abs(img - rgb).max(axis=-1) <= tol).sum())


# -- the report page, one screenshot per seed ---------------------------------------------------------
@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem)
def test_seed_page_shows_layered_evidence(browser, tmp_path, seed, scorer):
    cli = subprocess.run([sys.executable, "-m", "rhetoric", "score", "--format", "html", str(seed)],
                         capture_output=True, timeout=300, check=False)
    assert cli.returncode == 0, cli.stderr.decode(errors="replace")
    page = tmp_path / f"{seed.stem}.html"
    page.write_bytes(cli.stdout)
    report = scorer.score(seed.read_text("utf-8"))  # lexicon-only: at most the page's evidence
    control = tmp_path / f"{seed.stem}-control.html"  # the same page without spans: only the legend is coloured
    control.write_text(dataclasses.replace(report, spans=(), attributions=()).to_html(title=seed.name), "utf-8")

    browser.goto(page.resolve().as_uri())
    img = browser.screenshot(tmp_path / f"{seed.stem}.png")
    text_box = browser.js(_TEXT_BOX)
    # every piece of evidence is a mark whose bars name all the categories covering it
    overlaps = browser.js("Array.from(document.querySelectorAll('.rh-text mark'))"
                          ".filter(m => m.dataset.categories.split(' ').length > 1).length")
    n_notes = browser.js("document.querySelectorAll('.rh-notes li').length")
    browser.goto(control.resolve().as_uri())
    ctl = browser.screenshot(tmp_path / f"{seed.stem}-control.png")
    ctl_box = browser.js(_TEXT_BOX)

    assert img.shape[1] > 1100 and img.shape[0] > 2000  # the full page, not the window
    assert count_near(img, "#ffffff") > 0.3 * img.shape[0] * img.shape[1]  # a page, not a blank error
    assert overlaps > 0 and n_notes >= len(report.spans) // 3
    text, ctl_text = _crop(img, text_box), _crop(ctl, ctl_box)
    for category in ("state_media", "attribution", "technique"):
        n = len(report.spans_of(category))
        legend = count_near(ctl, BARS[category])  # the legend's swatches: the colour is drawn as expected
        assert legend > 0 and count_near(ctl_text, BARS[category]) == 0, category
        assert count_near(text, BARS[category]) > 40 * n > 0, (category, count_near(text, BARS[category]), n)


_TEXT_BOX = ("(() => { const r = document.querySelector('.rh-text').getBoundingClientRect();"
             " return [r.left + scrollX, r.top + scrollY, r.right + scrollX, r.bottom + scrollY].map(Math.round); })()")


def _crop(img: np.ndarray, box: list[int]) -> np.ndarray:
    x0, y0, x1, y1 = box
    return img[y0:y1, x0:x1]


def test_colours_survive_print(browser, tmp_path, scorer):
    page = tmp_path / "print.html"
    page.write_text(scorer.score(ARTICLE).to_html(title="print"), "utf-8")
    browser.goto(page.resolve().as_uri())
    browser.send("Emulation.setEmulatedMedia", media="print")
    try:
        img = browser.screenshot(tmp_path / "print.png")
    finally:
        browser.send("Emulation.setEmulatedMedia", media="")
    assert count_near(img, BARS["state_media"]) > 0 and count_near(img, BARS["attribution"]) > 0
    notes = browser.js("Array.from(document.querySelectorAll('.rh-notes')).map(n => n.innerText).join(' ')")
    assert "glorification" in notes and "anonymous" in notes  # the explanations are printed, not hovered


# -- the web app ------------------------------------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    pytest.importorskip("starlette", reason="needs the web extra")
    port = _free_port()
    log = (tmp_path_factory.mktemp("server") / "serve.log").open("w")
    proc = subprocess.Popen([sys.executable, "-m", "rhetoric", "serve", "--port", str(port), "--model", "none"],
                            stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while True:
        try:
            with urllib.request.urlopen(url + "/api/health", timeout=2):
                break
        except OSError:
            assert proc.poll() is None and time.monotonic() < deadline, "rhetoric serve did not start"
            time.sleep(0.2)
    yield url
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


def test_paste_and_score_in_the_browser(browser, server, tmp_path):
    browser.goto(server + "/")
    assert browser.js("document.querySelectorAll('#report mark').length") == 0
    browser.js(f"document.getElementById('text').value = {json.dumps(ARTICLE)}")
    browser.events.clear()
    browser.js("document.getElementById('score').click()")
    browser.wait_load()
    browser.screenshot(tmp_path / "web-paste.png")
    assert browser.js("location.pathname") == "/score"
    text = browser.js("document.getElementById('report').innerText")
    assert "sacred mission" in text and "Sources" in text and "Legend" in text
    assert browser.js("document.querySelectorAll('#report mark').length") >= 3
    assert browser.js("document.getElementById('text').value") == ARTICLE  # the paste stays for editing


def test_drop_a_web_page_in_the_browser(browser, server, tmp_path):
    saved = tmp_path / "article.html"
    saved.write_text(PAGE, "utf-8")
    browser.goto(server + "/")
    box = browser.js("(() => { const r = document.getElementById('drop').getBoundingClientRect();"
                     " return [r.x + r.width / 2, r.y + r.height / 2]; })()")
    data = {"items": [], "files": [str(saved)], "dragOperationsMask": 1}
    browser.events.clear()
    for kind in ("dragEnter", "dragOver", "drop"):
        browser.send("Input.dispatchDragEvent", type=kind, x=box[0], y=box[1], data=data)
    browser.wait_load()
    browser.screenshot(tmp_path / "web-drop.png")
    text = browser.js("document.getElementById('report').innerText")
    assert "extracted from the HTML page" in text and "Ministry hails mission" in text
    assert "sacred mission" in text and "World news menu" not in text and "Copyright footer" not in text


def test_unreadable_upload_is_explained_in_the_browser(browser, server, tmp_path):
    bad = tmp_path / "scan.pdf"
    bad.write_bytes(b"%PDF-1.4\n%binary\n")
    browser.goto(server + "/")
    doc = browser.send("DOM.getDocument")
    node = browser.send("DOM.querySelector", nodeId=doc["root"]["nodeId"], selector="#file")
    browser.send("DOM.setFileInputFiles", files=[str(bad)], nodeId=node["nodeId"])
    browser.events.clear()
    browser.js("document.getElementById('form').submit()")
    browser.wait_load()
    assert "only .txt and .html" in browser.js("document.getElementById('error').innerText")
