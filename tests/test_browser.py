"""The HTML page in a real browser: headless Chromium screenshots it and the highlights are there.

Pixels are counted by colour in the screenshot, against a control screenshot of the same page with
its spans removed (the legend alone shows every colour once), so the test sees the highlighted
text itself. The PNG is decoded with zlib and numpy, so no imaging package is needed.
"""

from __future__ import annotations

import dataclasses
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import numpy as np
import pytest

import rhetoric

CHROMIUM = Path("/usr/bin/chromium")
SEED = Path(__file__).resolve().parents[1] / "seeds" / "000_812b28cb18a5bb42.txt"
STATE_MEDIA, ATTRIBUTION = (0xF4, 0xA3, 0xA3), (0xA9, 0xCD, 0xF5)  # rhetoric.report.html colours

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's headless browser: apt-get install -y chromium"),
]


def screenshot(page: Path, tmp_path: Path) -> np.ndarray:
    png = page.with_suffix(".png")
    cmd = [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           f"--user-data-dir={tmp_path / ('profile-' + page.stem)}", f"--screenshot={png}",
           "--window-size=1200,2000", page.resolve().as_uri()]
    run = subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)
    assert run.returncode == 0 and png.exists(), run.stderr[-2000:]
    return read_png_rgb(png)


def read_png_rgb(path: Path) -> np.ndarray:
    """Decode an 8-bit, non-interlaced RGB(A) PNG (what Chromium writes) to a height×width×3 array."""
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


def count_near(img: np.ndarray, rgb: tuple[int, int, int], tol: int = 6) -> int:
    return int((np.abs(img - np.array(rgb)).max(axis=-1) <= tol).sum())


def test_html_page_shows_highlights_in_chromium(tmp_path):
    page = tmp_path / "page.html"
    cli = subprocess.run([sys.executable, "-m", "rhetoric.cli.main", "score", "--format", "html", "--model", "none",
                          str(SEED)], capture_output=True, timeout=120, check=False)
    assert cli.returncode == 0, cli.stderr.decode(errors="replace")
    page.write_bytes(cli.stdout)
    report = rhetoric.Scorer(model=None).score(SEED.read_text("utf-8"))
    control = tmp_path / "control.html"  # the same page without spans: only the legend is coloured
    control.write_text(dataclasses.replace(report, spans=()).to_html(title=SEED.name), "utf-8")

    img, ctl = screenshot(page, tmp_path), screenshot(control, tmp_path)
    assert img.shape == (2000, 1200, 3)
    assert count_near(img, (255, 255, 255)) > 0.3 * img.shape[0] * img.shape[1]  # a page, not a blank error
    for colour in (STATE_MEDIA, ATTRIBUTION):
        legend_only, highlighted = count_near(ctl, colour), count_near(img, colour)
        assert 0 < legend_only < 5000, (colour, legend_only)
        assert highlighted > 5 * legend_only, (colour, highlighted, legend_only)
