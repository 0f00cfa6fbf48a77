"""The file system, safely: atomic writes (a reader never sees a half-written file), the removal of
what a killed run left half-written, and the checks an output folder must pass before any work."""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from pathlib import Path


def _umask() -> int:
    # os.umask can only be read by setting it; set it straight back.
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary file in the same folder, then rename over `path`.

    mkstemp creates files readable by their owner only; the finished file gets the mode a plain
    open() would give it (0666 less the umask), so teammates and workers running as another user
    can read memos, reports and cache entries.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            os.fchmod(fh.fileno(), 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


# write_atomic's temporary names: "." + the final name + "." + mkstemp's 8 characters + ".tmp".
_TEMP_NAME = re.compile(r"^\..+\.[A-Za-z0-9_]{8}\.tmp$")


def remove_stale_temps(folder: Path) -> int:
    """Delete the temporary files a killed run left between write and rename; returns how many.

    Call it only while holding the folder's lock: then no other run is writing there.
    """
    removed = 0
    for root, _dirs, files in os.walk(folder):
        for name in files:
            if _TEMP_NAME.match(name):
                with contextlib.suppress(OSError):
                    os.unlink(os.path.join(root, name))
                    removed += 1
    return removed


# Folders no memo belongs in: the file system's root, its system folders, and a home folder
# itself (a prune there would walk someone's whole home).
_SYSTEM_FOLDERS = frozenset(
    Path(p)
    for p in (
        "/",
        "/bin",
        "/boot",
        "/dev",
        "/etc",
        "/lib",
        "/lib64",
        "/opt",
        "/proc",
        "/root",
        "/run",
        "/sbin",
        "/srv",
        "/sys",
        "/tmp",
        "/usr",
        "/var",
        "/home",
        "/Users",
        "/System",
        "/Library",
    )
)


def unsafe_output_folder(out: Path, *, sources_in: Path | None = None) -> str | None:
    """Why `out` must not receive memos (a system folder, a home folder, the sources' own folder),
    or None when it is fine. Links are resolved first: a link to /etc is /etc."""
    try:
        resolved = Path(out).resolve()
    except (OSError, RuntimeError):
        return None  # an unreadable path fails later with its own error
    home = _home()
    if resolved in _SYSTEM_FOLDERS or resolved.parent == Path("/dev") or resolved == home:
        return f"{out} is a system or home folder; give the memos a folder of their own"
    if sources_in is not None:
        base = Path(sources_in).resolve()
        if resolved == base or resolved in base.parents:
            return (
                f"{out} is the folder the manifest and its sources are in (or one above it); "
                'give the memos a folder of their own, e.g. out = "out"'
            )
    return None


def _home() -> Path | None:
    try:
        return Path.home().resolve()
    except (KeyError, RuntimeError, OSError):
        return None


def check_writable(folder: Path) -> None:
    """Raise a one-line BriefgenError when `folder` cannot take files (read-only, full, not a folder).

    Checked by creating the folder and a temporary file in it before any analysis, so a memo is
    not computed for minutes only to fail at the write.
    """
    from .errors import BriefgenError

    folder = Path(folder)
    for part in (folder, *folder.parents):
        if part.exists():
            if not part.is_dir():
                raise BriefgenError(f"cannot write to the output folder {folder}: {part} is not a folder")
            break
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".briefgen-check.", suffix=".tmp", dir=folder)
        try:
            os.write(fd, b"x")
        finally:
            os.close(fd)
            os.unlink(tmp)
    except OSError as err:
        raise BriefgenError(f"cannot write to the output folder {folder}: {err.strerror or err}") from None
