"""The local web app: ``GET /`` the page, ``POST /score`` the page with a report, ``POST /api/score`` JSON.

One :class:`~rhetoric.pipeline.Scorer` is built when the app is made and scores every request in
a worker thread, so the server stays responsive while a long article is scored.

``POST /api/score`` takes a JSON body ``{"text": ..., "html": false}``, a ``text/plain`` or
``text/html`` body, or a multipart form with ``text`` or ``file``; it answers the report's JSON
(``Report.to_dict()``) or ``{"error": message}`` with status 400, 413, 415 or 422.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from rhetoric.report.html import render_fragment
from rhetoric.report.types import Report
from rhetoric.web.limits import DEFAULT_MAX_BYTES, BodyLimit
from rhetoric.web.page import SCRIPT, render_home
from rhetoric.web.uploads import Submission, Unreadable, read_submission

__all__ = ["create_app"]

_HEADERS = {
    "Content-Security-Policy": ("default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; img-src data:; "
                                "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


def create_app(scorer: Any = None, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Any:
    """The ASGI app. ``scorer`` defaults to ``Scorer()`` with the shipped model."""
    if scorer is None:
        from rhetoric.pipeline import Scorer
        scorer = Scorer()
    max_mb = max_bytes / 1e6

    def score(sub: Submission) -> Report:
        report = scorer.score(sub.text)
        if sub.input_meta is not None:
            report = dataclasses.replace(report, meta={**report.meta, "input": sub.input_meta})
        return report

    async def home(request: Request) -> Response:
        return HTMLResponse(render_home(max_mb=max_mb), headers=_HEADERS)

    async def script(request: Request) -> Response:
        return Response(SCRIPT, media_type="text/javascript", headers=_HEADERS)

    async def score_page(request: Request) -> Response:
        pasted = ""
        try:
            sub, pasted = await _from_form(request, max_bytes)
            report = await run_in_threadpool(score, sub)
        except Unreadable as exc:
            return HTMLResponse(render_home(text=pasted, error=str(exc), max_mb=max_mb), status_code=exc.status,
                                headers=_HEADERS)
        title = sub.name if sub.name != "pasted text" else None
        html = render_fragment(report, title=title)
        return HTMLResponse(render_home(text=pasted, report_html=html, max_mb=max_mb), headers=_HEADERS)

    async def score_api(request: Request) -> Response:
        try:
            sub = await _from_api(request, max_bytes)
            report = await run_in_threadpool(score, sub)
        except Unreadable as exc:
            return JSONResponse({"error": str(exc)}, status_code=exc.status, headers=_HEADERS)
        return JSONResponse(report.to_dict(), headers=_HEADERS)

    async def health(request: Request) -> Response:
        return JSONResponse({"ok": True, "model": getattr(getattr(scorer, "model_", None), "name", None)})

    routes = [Route("/", home), Route("/app.js", script), Route("/score", score_page, methods=["POST"]),
              Route("/api/score", score_api, methods=["POST"]), Route("/api/health", health)]
    return BodyLimit(Starlette(routes=routes), max_bytes, page=lambda msg: render_home(error=msg, max_mb=max_mb))


async def _from_form(request: Request, max_bytes: int) -> tuple[Submission, str]:
    """A submission from the page's form: the dropped file wins over the paste box."""
    try:
        form = await request.form(max_files=1, max_fields=8, max_part_size=max_bytes)
    except Exception as exc:  # malformed multipart: the parser's own message is of no use to a reader
        raise Unreadable("The form could not be read; try again, or paste the text.") from exc
    upload = form.get("file")
    pasted = form.get("text")
    pasted = pasted if isinstance(pasted, str) else ""
    if isinstance(upload, UploadFile) and upload.filename:
        return read_submission(await upload.read(), upload.filename), pasted
    return read_submission(pasted), pasted


async def _from_api(request: Request, max_bytes: int) -> Submission:
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype in ("multipart/form-data", "application/x-www-form-urlencoded"):
        return (await _from_form(request, max_bytes))[0]
    body = await request.body()
    if ctype == "application/json":
        try:
            data = json.loads(body)
        except (ValueError, UnicodeDecodeError) as exc:
            raise Unreadable(f"The request body is not valid JSON: {exc}.") from exc
        if not isinstance(data, dict) or not isinstance(data.get("text"), str):
            raise Unreadable('Send a JSON object with a "text" string, e.g. {"text": "..."}.')
        return read_submission(data["text"], str(data.get("name") or "pasted text"),
                               force_html=bool(data.get("html")))
    if ctype in ("text/plain", "text/html", ""):
        return read_submission(body, "page.html" if ctype == "text/html" else "pasted text")
    raise Unreadable(f"Unsupported content type {ctype!r}: send application/json, text/plain, text/html "
                     "or a multipart form.", status=415)
