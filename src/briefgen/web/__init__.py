"""`briefgen serve`: the web page for staff (upload a source, read the analysis, build memos)."""

from __future__ import annotations

from .config import WebConfig


def serve(config: WebConfig) -> None:
    """Run the page with uvicorn until interrupted (Ctrl-C, SIGTERM)."""
    import uvicorn

    from .app import create_app

    uvicorn.run(create_app(config), host=config.host, port=config.port, log_level="info", access_log=False)


__all__ = ["WebConfig", "serve"]
