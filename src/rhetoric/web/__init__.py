"""``rhetoric serve``: a local web page to paste or drop an article and read its report.

Needs the optional extra ``pip install "rhetoric-lens[web]"`` (Starlette, uvicorn,
python-multipart and the HTML extractor). The app listens on 127.0.0.1 only.
"""

from __future__ import annotations

from typing import Any

__all__ = ["create_app", "serve"]


def create_app(scorer: Any = None, **kwargs: Any) -> Any:
    """The ASGI app (see :mod:`rhetoric.web.app`)."""
    from rhetoric.web.app import create_app as _create
    return _create(scorer, **kwargs)


def serve(port: int = 8000, *, scorer: Any = None, max_bytes: int | None = None, log_level: str = "warning") -> None:
    """Serve the app on http://127.0.0.1:``port`` until interrupted."""
    import uvicorn

    from rhetoric.web.limits import DEFAULT_MAX_BYTES
    app = create_app(scorer, max_bytes=max_bytes or DEFAULT_MAX_BYTES)
    uvicorn.run(app, host="127.0.0.1", port=port, log_level=log_level)
