"""The Starlette application: routes, pages and error handling for `briefgen serve`."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
import logging
import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.applications import Starlette
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from ..analysis import DEFAULT_KEY_POINTS
from ..errors import BriefgenError
from ..pipeline import extract
from .config import WebConfig
from .security import (
    AuthMiddleware,
    BodyLimit,
    Refused,
    checked_form,
    csrf_token,
    current_user,
    login,
    session_secret,
)
from .views import AnalysisView
from .work import BatchRunner, BuildJob, Worker, make_options, preview_pdf
from .workspace import PASTED_NAME, NotFound, UserSpace, new_id

logger = logging.getLogger(__name__)

HERE = Path(__file__).parent
FIELD_CHARS = 200  # classification, TO, FROM, perspective: one line each
_FOLDER_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_FILE_NAME = re.compile(r"^([a-z0-9][a-z0-9_-]*)\.(docx|pdf)$")
_PREVIEW_NAME = re.compile(r"^preview-([a-z0-9][a-z0-9_-]*)-([0-9]{1,4})\.png$")


class WebApp:
    def __init__(self, config: WebConfig) -> None:
        self.config = config
        self.worker = Worker()
        self.batch = BatchRunner(config.manifest) if config.manifest else None
        self.env = Environment(
            loader=FileSystemLoader(HERE / "templates"),
            autoescape=select_autoescape(default=True, default_for_string=True),
            trim_blocks=True,
            lstrip_blocks=True,
        )

    # ------------------------------------------------------------------ helpers

    def space(self, request: Request) -> UserSpace:
        return UserSpace(self.config.workspace, current_user(request))

    def page(self, request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
        user = request.scope.get("briefgen.user") or ""
        context.update(
            request=request,
            csrf=csrf_token(request),
            user=_shown_user(user),
            batch_enabled=self.batch is not None,
            path=request.url.path,
        )
        html = self.env.get_template(name).render(**context)
        return HTMLResponse(html, status_code=status)

    def templates_folder(self, value: str | None) -> Path | None:
        """The templates folder a form names: any local folder on a local server; otherwise only a
        folder name inside WORKSPACE/templates (office templates put there by whoever runs it)."""
        value = (value or "").strip()
        if not value:
            return None
        if self.config.local:
            folder = Path(value).expanduser()
        else:
            if not _FOLDER_NAME.match(value):
                raise BriefgenError(f"{value!r}: give the name of a folder in the server's templates/")
            folder = self.config.workspace / "templates" / value
        if not folder.is_dir():
            raise BriefgenError(f"{value}: templates folder not found")
        return folder

    def audiences(self, templates: Path | None) -> list[Any]:
        from ..compose import list_audiences

        return list_audiences(templates)

    # ------------------------------------------------------------------ sources

    async def home(self, request: Request, error: str | None = None, status: int = 200) -> HTMLResponse:
        return self.page(
            request,
            "home.html",
            status,
            sources=self.space(request).sources(),
            error=error,
            max_size=_size(self.config.max_bytes),
            max_chars=self.config.max_chars,
        )

    async def upload(self, request: Request) -> Response:
        form = await checked_form(request, max_part_size=self.config.max_bytes)
        upload = form.get("file")
        text = form.get("text")
        if isinstance(upload, UploadFile) and upload.filename:
            name: str | None = upload.filename
            data = await upload.read(self.config.max_bytes + 1)
        elif isinstance(text, str) and text.strip():
            name, data = PASTED_NAME, text.replace("\r\n", "\n").encode("utf-8")
        else:
            return await self.home(request, "choose a file or paste the text of a source", 400)
        if len(data) > self.config.max_bytes:
            return await self.home(
                request,
                f"{name}: file is over the size limit of {self.config.max_bytes:,} bytes",
                413,
            )
        config = self.config

        def analyse(path: Path) -> Any:
            return extract(
                path, key_points=DEFAULT_KEY_POINTS, max_bytes=config.max_bytes, max_chars=config.max_chars
            )

        try:
            stored = await self.worker.run(self.space(request).store, name, data, analyse)
        except BriefgenError as err:
            return await self.home(request, str(err).splitlines()[0], 400)
        return RedirectResponse(f"/sources/{stored.id}", status_code=303)

    async def analysis(self, request: Request) -> HTMLResponse:
        space = self.space(request)
        source = space.source(request.path_params["sid"])
        error = None
        try:
            templates = self.templates_folder(request.query_params.get("templates"))
            audiences = self.audiences(templates)
        except BriefgenError as err:
            error, templates, audiences = str(err), None, self.audiences(None)
        return self.page(
            request,
            "analysis.html",
            source=source,
            view=AnalysisView(source.brief()),
            audiences=audiences,
            templates=request.query_params.get("templates", "") if templates else "",
            error=error,
            builds=self._builds(space, source.id),
            today=dt.datetime.now(dt.UTC).date().isoformat(),
        )

    def _builds(self, space: UserSpace, source_id: str) -> list[tuple[str, BuildJob]]:
        folder = space.builds_dir / source_id
        if not folder.is_dir():
            return []
        found = []
        for build in sorted(folder.iterdir(), key=lambda p: p.stat().st_mtime, reverse=True):
            job = self.worker.job(build)
            if job is not None:
                found.append((build.name, job))
        return found

    async def brief_json(self, request: Request) -> Response:
        source = self.space(request).source(request.path_params["sid"])
        # What `briefgen extract NAME` prints for the same file.
        text = json.dumps(
            json.loads(source.brief_path.read_text(encoding="utf-8")), ensure_ascii=False, indent=2
        )
        return Response(
            text + "\n",
            media_type="application/json",
            headers={"Content-Disposition": f'attachment; filename="{Path(source.name).stem}.json"'},
        )

    # ------------------------------------------------------------------ builds

    async def start_build(self, request: Request) -> Response:
        form = await checked_form(request)
        space = self.space(request)
        source = space.source(request.path_params["sid"])
        audiences = [str(a) for a in form.getlist("audience")]
        formats = [str(f) for f in form.getlist("format")]
        if not audiences:
            raise BriefgenError("choose at least one audience")
        if not formats:
            raise BriefgenError("choose at least one format (DOCX, PDF)")
        values: dict[str, Any] = {
            "audiences": tuple(dict.fromkeys(audiences)),
            "formats": tuple(dict.fromkeys(formats)),
            "templates_dir": self.templates_folder(_field(form, "templates")),
            "max_bytes": self.config.max_bytes,
            "max_chars": self.config.max_chars,
        }
        for key, name in (
            ("classification", "classification"),
            ("to", "to"),
            ("from_", "from"),
            ("perspective", "perspective"),
        ):
            values[key] = _field(form, name)
        date = _field(form, "date")
        if date:
            try:
                values["date"] = dt.date.fromisoformat(date).isoformat()
            except ValueError:
                raise BriefgenError(f"{date!r} is not a date in YYYY-MM-DD form") from None
        build_id = new_id()
        folder = space.build_dir(source.id, build_id)
        options = make_options(values, folder)
        from ..build import resolve_audiences

        resolve_audiences(options)  # an unknown audience is said now, on the form's page
        shown = {"Classification": options.classification, "TO": options.to, "FROM": options.from_}
        shown |= {"Perspective": values.get("perspective"), "Memo date": options.date}
        shown["Templates"] = _field(form, "templates")
        job = BuildJob(
            id=build_id,
            source_id=source.id,
            audiences=options.audiences,
            formats=options.formats,
            settings={k: v for k, v in shown.items() if v},
        )
        self.worker.start_build(source.brief(), options, folder, job)
        return RedirectResponse(f"/sources/{source.id}/builds/{build_id}", status_code=303)

    def _job(self, request: Request) -> tuple[Any, Path, BuildJob]:
        space = self.space(request)
        source = space.source(request.path_params["sid"])
        folder = space.build_dir(source.id, request.path_params["bid"])
        job = self.worker.job(folder)
        if job is None:
            raise NotFound("no such build in your workspace")
        return source, folder, job

    async def build_page(self, request: Request) -> HTMLResponse:
        source, _folder, job = self._job(request)
        return self.page(request, "build.html", source=source, job=job, title=source.brief().meta.title)

    async def build_status(self, request: Request) -> Response:
        """The build's progress as JSON; with ?wait=1, answered when it changes (at most 10 s later),
        so the page hears of a finished build at once without asking many times a second."""
        _source, _folder, job = self._job(request)
        if request.query_params.get("wait"):
            seen = (job.status, job.done, job.step)
            for _ in range(200):
                if job.status not in ("queued", "running") or (job.status, job.done, job.step) != seen:
                    break
                await asyncio.sleep(0.05)
        return Response(json.dumps(job.to_json()), media_type="application/json")

    async def build_file(self, request: Request) -> Response:
        source, folder, job = self._job(request)
        name = request.path_params["name"]
        match = _FILE_NAME.match(name)
        if not match or match[1] not in job.audiences or match[2] not in job.formats or job.status != "done":
            raise NotFound("no such file in this build")
        download = f"{Path(source.name).stem}-{name}"
        return FileResponse(folder / name, filename=download)

    async def preview(self, request: Request) -> Response:
        _source, folder, job = self._job(request)
        name = request.path_params["name"]
        match = _PREVIEW_NAME.match(name)
        if not match or job.status != "done" or not 1 <= int(match[2]) <= job.pages.get(match[1], 0):
            raise NotFound("no such preview page")
        path = await self.worker.preview(preview_pdf(folder, match[1]), int(match[2]), folder / name)
        return FileResponse(path, media_type="image/png")

    # ------------------------------------------------------------------ batch and templates

    async def batch_page(self, request: Request, error: str | None = None, status: int = 200) -> HTMLResponse:
        report = self.batch.report() if self.batch else None
        return self.page(
            request,
            "batch.html",
            status,
            runner=self.batch,
            report=report,
            rows=_report_rows(report),
            error=error,
        )

    async def batch_run(self, request: Request) -> Response:
        await checked_form(request)
        if self.batch is None:
            raise NotFound("no manifest configured (start the server with --manifest FILE)")
        try:
            self.batch.start()
        except BriefgenError as err:
            return await self.batch_page(request, str(err).splitlines()[0], 409)
        return RedirectResponse("/batch", status_code=303)

    async def templates_page(self, request: Request) -> HTMLResponse:
        folder_text = request.query_params.get("folder", "").strip()
        problems: list[str] | None = None
        error = None
        audiences: list[Any] = []
        try:
            folder = self.templates_folder(folder_text) if folder_text else None
            if folder is not None:
                from ..compose import check_templates

                problems = check_templates(folder)
            audiences = self.audiences(folder)
        except BriefgenError as err:
            # A folder with problems lists them all above; the audiences shown are then the built-ins.
            error = None if problems else str(err).splitlines()[0]
            with contextlib.suppress(BriefgenError):
                audiences = self.audiences(None)
        return self.page(
            request,
            "templates.html",
            folder=folder_text,
            problems=problems,
            error=error,
            audiences=audiences,
            local=self.config.local,
        )

    # ------------------------------------------------------------------ sign-in

    async def login_page(self, request: Request) -> Response:
        if self.config.local or self.config.trust_remote_user:
            return RedirectResponse("/", status_code=303)
        error = None
        if request.method == "POST":
            form = await checked_form(request)
            token = form.get("token")
            if isinstance(token, str) and login(request, self.config, token):
                return RedirectResponse("/", status_code=303)
            error = "that is not the server's token"
        return self.page(request, "login.html", 401 if error else 200, error=error)

    async def logout(self, request: Request) -> Response:
        await checked_form(request)
        request.session.clear()
        return RedirectResponse("/login", status_code=303)

    # ------------------------------------------------------------------ errors

    async def error(self, request: Request, exc: Exception) -> Response:
        status = 500
        if isinstance(exc, Refused):
            status, message = exc.status, str(exc)
        elif isinstance(exc, NotFound):
            status, message = 404, str(exc)
        elif isinstance(exc, BriefgenError):
            status, message = 400, str(exc).splitlines()[0]
        elif isinstance(exc, HTTPException):
            status = exc.status_code
            message = "no such page" if status == 404 else str(exc.detail)
        else:
            logger.error("internal error on %s", request.url.path, exc_info=exc)
            message = f"internal error: {type(exc).__name__} (the server log has the details)"
        try:
            return self.page(request, "error.html", status, message=message)
        except Exception:  # no session (e.g. refused before the middleware ran): plain text
            return Response(f"briefgen: error: {message}\n", status_code=status, media_type="text/plain")


def _size(n: int) -> str:
    """50000000 -> "50 MB", 1500 -> "1.5 kB": the upload limit as people say it."""
    for unit, scale in (("MB", 1_000_000), ("kB", 1_000)):
        if n >= scale:
            return f"{n / scale:.3g} {unit}"
    return f"{n} bytes"


def _shown_user(user: str) -> str:
    """The name in the header bar: the SSO user's own; a token session is just "this browser"."""
    kind, _, name = user.partition(":")
    return name if kind == "remote" else ("this browser" if kind == "session" else "")


def _field(form: Any, name: str) -> str | None:
    value = form.get(name)
    if not isinstance(value, str):
        return None
    value = " ".join(value.split())[:FIELD_CHARS]
    return value or None


def _report_rows(report: dict[str, Any] | None) -> dict[str, list[dict[str, Any]]]:
    rows: dict[str, list[dict[str, Any]]] = {}
    for output in (report or {}).get("outputs", []):
        rows.setdefault(output.get("status", "?"), []).append(output)
    return rows


def create_app(config: WebConfig) -> Starlette:
    web = WebApp(config)

    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        web.worker.warm()
        yield
        web.worker.shutdown()

    routes = [
        Route("/", web.home),
        Route("/sources", web.upload, methods=["POST"]),
        Route("/sources/{sid}", web.analysis),
        Route("/sources/{sid}/brief.json", web.brief_json),
        Route("/sources/{sid}/builds", web.start_build, methods=["POST"]),
        Route("/sources/{sid}/builds/{bid}", web.build_page),
        Route("/sources/{sid}/builds/{bid}/status", web.build_status),
        Route("/sources/{sid}/builds/{bid}/files/{name}", web.build_file),
        Route("/sources/{sid}/builds/{bid}/preview/{name}", web.preview),
        Route("/batch", web.batch_page),
        Route("/batch/run", web.batch_run, methods=["POST"]),
        Route("/templates", web.templates_page),
        Route("/login", web.login_page, methods=["GET", "POST"]),
        Route("/logout", web.logout, methods=["POST"]),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
    middleware = [
        Middleware(TrustedHostMiddleware, allowed_hosts=config.allowed_hosts),
        Middleware(BodyLimit, limit=config.max_bytes + 1_000_000),  # the form's own fields and framing
        Middleware(
            SessionMiddleware,
            secret_key=session_secret(config.workspace),
            session_cookie="briefgen_session",
            same_site="strict",
            max_age=14 * 24 * 3600,
        ),
        Middleware(AuthMiddleware, config=config),
    ]
    app = Starlette(
        routes=routes,
        middleware=middleware,
        exception_handlers={Exception: web.error, HTTPException: web.error, BriefgenError: web.error},
        lifespan=lifespan,
    )
    app.state.web = web
    return app


__all__ = ["WebApp", "create_app"]
