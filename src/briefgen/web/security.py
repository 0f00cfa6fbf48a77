"""Who is asking, and whether a form post really came from our page.

- Local (127.0.0.1, no flags): one user, "local".
- `--token`: the browser posts the token once on /login; the signed session cookie then carries a
  random user id, so every browser that logged in has a workspace of its own.
- `--trust-remote-user`: the office's SSO proxy authenticates and sets the `Remote-User` header (the
  REMOTE_USER of CGI); a request without it is refused. The proxy must strip it from clients.

CSRF: each session holds a random token; every form carries it in a hidden field and every POST
handler calls `checked_form`, which refuses a missing or wrong one before looking at anything else.
"""

from __future__ import annotations

import hmac
import os
import secrets
from pathlib import Path
from typing import Any

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..errors import BriefgenError
from .config import WebConfig

REMOTE_USER_HEADERS = ("remote-user", "x-remote-user")
LOCAL_USER = "local"
OPEN_PATHS = ("/static/", "/login")


class Refused(BriefgenError):
    """A request the server will not serve; `status` is the HTTP code the page answers with."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


def session_secret(workspace: Path) -> str:
    """The cookie-signing key, kept in the workspace (owner-only) so logins survive a restart."""
    path = Path(workspace) / ".session-key"
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        return path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        key = secrets.token_urlsafe(32)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(key)
        return key


def csrf_token(request: Request) -> str:
    token = request.session.get("csrf")
    if not token:
        token = request.session["csrf"] = secrets.token_urlsafe(24)
    return token


def current_user(request: Request) -> str:
    user = request.scope.get("briefgen.user")
    if not user:  # pragma: no cover - the middleware sets it on every page that reaches a handler
        raise Refused("not signed in", 401)
    return str(user)


async def checked_form(request: Request, *, max_part_size: int = 1_048_576) -> FormData:
    """The posted form, once its CSRF token matches the session's; else a 403 in one line."""
    form = await request.form(max_files=1, max_fields=32, max_part_size=max_part_size)
    sent = form.get("csrf")
    expected = request.session.get("csrf")
    if not expected or not isinstance(sent, str) or not hmac.compare_digest(sent, expected):
        raise Refused(
            "the form is out of date or did not come from this page (CSRF check); reload and try again", 403
        )
    return form


def login(request: Request, config: WebConfig, token: str) -> bool:
    if not config.token or not hmac.compare_digest(token.encode(), config.token.encode()):
        return False
    request.session.clear()  # a fresh session: no fixation of an earlier cookie
    request.session["user"] = "session:" + secrets.token_hex(16)
    request.session["csrf"] = secrets.token_urlsafe(24)
    return True


class AuthMiddleware:
    """Sets scope["briefgen.user"], or answers with the login page / a 401 before any handler runs."""

    def __init__(self, app: ASGIApp, config: WebConfig) -> None:
        self.app = app
        self.config = config

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        user = self._user(scope)
        if user is None and not path.startswith(OPEN_PATHS):
            response: Response
            if self.config.trust_remote_user:
                response = Response(
                    "briefgen: error: no REMOTE_USER: this page is served behind a sign-in proxy\n",
                    status_code=401,
                    media_type="text/plain",
                )
            else:
                response = RedirectResponse("/login", status_code=303)
            await response(scope, receive, send)
            return
        scope["briefgen.user"] = user
        await self.app(scope, receive, send)

    def _user(self, scope: Scope) -> str | None:
        if self.config.local:
            return LOCAL_USER
        if self.config.trust_remote_user:
            headers = dict(scope.get("headers") or [])
            for name in REMOTE_USER_HEADERS:
                value = headers.get(name.encode())
                if value and value.strip():
                    return "remote:" + value.decode("latin-1").strip()
            return None
        session: dict[str, Any] = scope.get("session") or {}
        user = session.get("user")
        return str(user) if user else None


class BodyLimit:
    """Refuses a request body over the limit while it streams in (a missing Content-Length too)."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        seen = 0
        message = f"the upload is over the size limit of {self.limit:,} bytes (the server's --max-bytes)"
        length = dict(scope.get("headers") or []).get(b"content-length", b"")
        declared = int(length) if length.isdigit() else 0

        async def limited() -> Message:
            nonlocal seen
            if declared > self.limit:  # refused before a byte of it is read
                raise Refused(message, 413)
            received = await receive()
            seen += len(received.get("body", b""))
            if seen > self.limit:
                raise Refused(message, 413)
            return received

        await self.app(scope, limited, send)
