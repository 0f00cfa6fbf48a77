"""Each user's files: uploaded sources, their analyses and built memos, under names the server makes.

    WORKSPACE/users/<user key>/sources/<source id>/<safe name>   the uploaded file
                                                    /brief.json   its analysis (briefgen.brief/1)
                                                    /info.json    the name it was uploaded as, when
                              /builds/<source id>/<build id>/<audience>.<fmt>, preview PNGs
                              /tmp/                              work in progress, never read

A user key is a hash of the user's name (a token session or REMOTE_USER), so no client text ever
becomes a path; ids are random hex checked against a pattern before they are joined to a folder.
An upload is analysed in tmp/ and renamed into sources/ only when it succeeded, so a bad file
leaves nothing behind.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import secrets
import shutil
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from ..errors import BriefgenError, SourceError
from ..fsutil import write_atomic
from ..model import Brief

_ID = re.compile(r"^[0-9a-f]{16}$")
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
PASTED_NAME = "pasted-text.txt"


class NotFound(BriefgenError):
    """An id that is not this user's (or not an id at all): the page answers 404."""


def new_id() -> str:
    return secrets.token_hex(8)


def check_id(value: str) -> str:
    if not _ID.match(value):
        raise NotFound("no such item in your workspace")
    return value


def safe_name(client_name: str | None) -> str:
    """A file name made from what the browser sent: its last part, ASCII letters, digits and ._- only.

    "../../etc/passwd" -> "passwd", "C:\\Users\\me\\Brief (final).docx" -> "Brief-final-.docx".
    It only ever names a file inside a folder the server created.
    """
    base = (client_name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = unicodedata.normalize("NFKD", base).encode("ascii", "ignore").decode()
    base = _UNSAFE.sub("-", base).strip(".-")[-100:].lstrip(".-")
    return base or "source"


@dataclass(frozen=True, kw_only=True)
class StoredSource:
    id: str
    name: str  # the safe name, as the memo's SOURCE line shows it
    uploaded_as: str  # what the browser called it (shown, never used as a path)
    uploaded: str  # ISO time
    title: str
    folder: Path

    @property
    def brief_path(self) -> Path:
        return self.folder / "brief.json"

    def brief(self) -> Brief:
        return Brief.from_json(json.loads(self.brief_path.read_text(encoding="utf-8")))


class UserSpace:
    """One user's part of the workspace; every lookup goes through an id check."""

    def __init__(self, workspace: Path, user: str) -> None:
        key = hashlib.sha256(user.encode("utf-8")).hexdigest()[:24]
        self.root = Path(workspace) / "users" / key
        self.sources_dir = self.root / "sources"
        self.builds_dir = self.root / "builds"
        self.tmp_dir = self.root / "tmp"

    def sources(self) -> list[StoredSource]:
        """Newest first."""
        if not self.sources_dir.is_dir():
            return []
        found = []
        for folder in self.sources_dir.iterdir():
            if _ID.match(folder.name) and (folder / "info.json").is_file():
                found.append(self._load(folder))
        return sorted(found, key=lambda s: s.uploaded, reverse=True)

    def source(self, source_id: str) -> StoredSource:
        folder = self.sources_dir / check_id(source_id)
        if not (folder / "info.json").is_file():
            raise NotFound("no such source in your workspace")
        return self._load(folder)

    def build_dir(self, source_id: str, build_id: str) -> Path:
        return self.builds_dir / check_id(source_id) / check_id(build_id)

    @staticmethod
    def _load(folder: Path) -> StoredSource:
        info = json.loads((folder / "info.json").read_text(encoding="utf-8"))
        return StoredSource(
            id=folder.name,
            name=info["name"],
            uploaded_as=info["uploaded_as"],
            uploaded=info["uploaded"],
            title=info.get("title", ""),
            folder=folder,
        )

    def store(self, client_name: str | None, data: bytes, analyse: Callable[[Path], Brief]) -> StoredSource:
        """Analyse the bytes in a private folder, then move it into place; a failure stores nothing.

        The brief's source path is the safe name alone, as `briefgen build NAME` run beside the
        file would record it: memos never show the server's folders.
        """
        name = safe_name(client_name)
        source_id = new_id()
        self.tmp_dir.mkdir(parents=True, exist_ok=True)
        work = self.tmp_dir / source_id
        work.mkdir()
        try:
            path = work / name
            path.write_bytes(data)
            try:
                brief = analyse(path)
            except SourceError as err:
                raise BriefgenError(f"{client_name or name}: {err.problem}") from None
            except BriefgenError as err:
                raise BriefgenError(str(err).replace(str(path), client_name or name)) from None
            brief = replace(brief, source=replace(brief.source, path=name))
            write_atomic(work / "brief.json", json.dumps(brief.to_json(), ensure_ascii=False).encode("utf-8"))
            info = {
                "name": name,
                "uploaded_as": client_name or name,
                "uploaded": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                "title": brief.meta.title,
            }
            write_atomic(work / "info.json", json.dumps(info, ensure_ascii=False).encode("utf-8"))
            self.sources_dir.mkdir(parents=True, exist_ok=True)
            target = self.sources_dir / source_id
            work.rename(target)  # same file system: one step, never half there
        finally:
            shutil.rmtree(work, ignore_errors=True)
        return self._load(target)
