"""The web page: a paste box, a file drop zone and, after scoring, the report view below them.

Everything is served by the app itself (no external fonts, scripts or styles). The form works
without JavaScript; the small script only lets a file be dropped anywhere on the zone and submits
it at once.
"""

from __future__ import annotations

from html import escape

from rhetoric.report.html import page_shell

__all__ = ["SCRIPT", "render_home"]

_STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:0 auto;padding:1em 1.5em;max-width:76em;
 color:#111;background:#fff}
header p{color:#444;margin:.2em 0 .8em}
form.rh-form{display:grid;gap:.6em;margin-bottom:1em}
form.rh-form textarea{width:100%;box-sizing:border-box;min-height:12em;font:inherit;padding:.5em}
.rh-drop{border:2px dashed #9aa7b8;border-radius:6px;padding:1em;text-align:center;color:#345;background:#f7f9fc}
.rh-drop.rh-over{background:#e3ecf8;border-color:#1f6fc5}
.rh-row{display:flex;gap:1em;align-items:center;flex-wrap:wrap}
button{font:inherit;padding:.4em 1.4em;background:#1f6fc5;color:#fff;border:0;border-radius:4px;cursor:pointer}
.rh-error{background:#fdecea;border:1px solid #e0a39c;color:#7a1c12;padding:.6em .8em;border-radius:4px}
.rh-help{color:#555;font-size:.9em}
"""

SCRIPT = """
(function () {
  var zone = document.getElementById('drop'), input = document.getElementById('file');
  var form = document.getElementById('form'), label = document.getElementById('drop-name');
  if (!zone || !input || !form) { return; }
  function show() { if (input.files.length) { label.textContent = input.files[0].name; } }
  input.addEventListener('change', show);
  ['dragenter', 'dragover'].forEach(function (e) {
    zone.addEventListener(e, function (ev) { ev.preventDefault(); zone.classList.add('rh-over'); });
  });
  ['dragleave', 'drop'].forEach(function (e) {
    zone.addEventListener(e, function (ev) { ev.preventDefault(); zone.classList.remove('rh-over'); });
  });
  zone.addEventListener('drop', function (ev) {
    if (!ev.dataTransfer || !ev.dataTransfer.files.length) { return; }
    input.files = ev.dataTransfer.files;
    show();
    document.getElementById('text').value = '';
    form.submit();
  });
})();
"""


def render_home(*, text: str = "", error: str | None = None, report_html: str = "", max_mb: float = 5.0) -> str:
    """The page: form (keeping what was pasted), an error message or the report view."""
    err = f'<p class="rh-error" role="alert" id="error">{escape(error)}</p>' if error else ""
    body = f"""<header><h1>rhetoric</h1><p>Paste a news article or drop a saved page to see its state-media
wording, propaganda techniques, who it cites and how it hedges, with the evidence for every number.
Everything runs on this computer; nothing is sent anywhere.</p></header>
<form class="rh-form" id="form" method="post" action="/score#report" enctype="multipart/form-data">
<label for="text"><strong>Paste the article</strong> (plain text, or the HTML of a page)</label>
<textarea id="text" name="text" spellcheck="false">{escape(text)}</textarea>
<div class="rh-drop" id="drop"><strong>…or drop a file here</strong> (.txt or .html, at most {max_mb:.0f} MB)<br>
<input type="file" id="file" name="file" accept=".txt,.text,.md,.html,.htm,.xhtml,text/plain,text/html">
<span id="drop-name"></span></div>
<div class="rh-row"><button type="submit" id="score">Score</button>
<span class="rh-help">A web page is reduced to its article text first (menus and footers are left out).
Machine-readable: <code>POST /api/score</code>.</span></div>
</form>{err}<div id="report">{report_html}</div>"""
    head = f'<style>{_STYLE}</style><script src="/app.js" defer></script>'
    return page_shell("rhetoric", body, head=head)
