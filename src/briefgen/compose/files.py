"""Reading an audience's files without leaving its folder: links are resolved before the check.

A templates folder may come from anyone (`--templates DIR`, a shared repo). A name with `..` or a
symbolic link inside the folder (`passwd.j2 -> /etc/passwd`, or `memo.md.j2` itself a link) must
not put another file's content into a memo.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import TemplateError


def inside(folder: Path, name: str) -> Path | None:
    """`folder/name` when it is a file whose real path lies inside the folder's real path, else None."""
    parts = name.split("/")
    if any(part in ("", ".", "..") for part in parts) or "\\" in name:
        return None
    path = folder.joinpath(*parts)
    try:
        real = path.resolve(strict=True)
        root = folder.resolve(strict=True)
    except (OSError, RuntimeError):  # missing, or a loop of links
        return None
    if not real.is_relative_to(root) or not real.is_file():
        return None
    return path


def read_inside(folder: Path, name: str) -> str | None:
    """The UTF-8 text of `folder/name` (None when it is absent); a link out of the folder is refused."""
    path = folder / name
    if not path.is_symlink() and not path.exists():
        return None
    if inside(folder, name) is None:
        if path.is_symlink():
            raise TemplateError(f"{path}: a link to a file outside its audience folder is refused")
        return None
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise TemplateError(f"{path}: not UTF-8 text") from None
