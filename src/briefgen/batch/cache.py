"""The batch cache: content hashes decide what to rebuild; nothing here imports spaCy or renderers.

Layout, in a folder next to the outputs (`OUT/.briefgen-cache/`):

- `sources.json`  size + mtime of each source with its sha256, so a warm run stats files instead
  of re-reading them (the trick git's index uses, including its "racy" rule below);
- `state.jsonl`   one JSON line per output built: the keys it was built from and the sha256, size
  and mtime of the file written. Appended as results arrive, so an interrupted run keeps what it
  finished; compacted at the end of a run. A line that does not parse is skipped, which only means
  that output is rebuilt;
- `briefs/`       the analysis of each source (Brief JSON), keyed by source path + sha256 +
  key points + the code fingerprint, shared by every audience and format of that source.

Every key includes `code_fingerprint()`: a hash of briefgen's own source files, its data files
(word lists) and the built-in templates. Editing a rule therefore rebuilds what it could change,
with no version number to remember to bump.

Every file is written atomically (temp file + rename) or appended line by line. Nothing read back
from the cache is trusted to name a path: an output outside its folder is dropped with a warning.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import time
from collections.abc import Iterable
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from ..errors import BriefgenError
from ..fsutil import write_atomic

logger = logging.getLogger(__name__)

CACHE_DIR = ".briefgen-cache"
# A file modified this close to when its stat entry was saved may change again within the same
# timestamp tick, so its stat entry cannot prove it unchanged; it is re-hashed (git's "racy" rule).
RACY_NS = 2_000_000_000
_FORMAT = 2  # bump when the layout changes; old caches are then ignored, not misread
_PACKAGE = Path(__file__).resolve().parents[1]  # src/briefgen


_NOT_OUTPUT = {"__pycache__", "web"}


def code_fingerprint() -> str:
    """A hash of every file that makes briefgen's output: its Python source, its data files and
    the built-in templates. Computed once per run (about 100 small files: milliseconds). The web
    front end is left out: its pages and scripts shape no memo, and editing them should not
    rebuild every memo of every batch."""
    from ..compose.audiences import BUILTIN_CANDIDATES

    h = hashlib.sha256()
    for folder in (_PACKAGE, *BUILTIN_CANDIDATES):
        if not folder.is_dir():
            continue
        for root, dirs, files in os.walk(folder):
            dirs[:] = sorted(d for d in dirs if d not in _NOT_OUTPUT and not d.startswith("."))
            for name in sorted(files):
                if name.endswith((".pyc", ".pyo")) or name.startswith("."):
                    continue
                path = Path(root, name)
                h.update(path.relative_to(folder).as_posix().encode("utf-8", "surrogatepass") + b"\0")
                h.update(path.read_bytes())
                h.update(b"\0")
    return h.hexdigest()


def check_cache_files(out_dir: Path) -> None:
    """A folder (or a link to one) where a cache file should be cannot be fixed by us: say which."""
    folder = cache_dir(out_dir)
    if folder.exists() and not folder.is_dir():
        raise BriefgenError(f"{folder} is not a folder; remove it so briefgen can keep its cache there")
    for name in (SourceHashes.FILE, BuildState.FILE):
        path = folder / name
        if path.exists() and not path.is_file():
            raise BriefgenError(f"{path} is not a file; remove it so briefgen can keep its cache there")


def inside(out_dir: Path, rel: str) -> Path | None:
    """`out_dir / rel` when that lies inside `out_dir` after resolving links and `..`, else None."""
    if not rel or os.path.isabs(rel):
        return None
    root = Path(out_dir).resolve()
    try:
        path = (root / rel).resolve()
    except (OSError, RuntimeError, ValueError):
        return None
    return path if path != root and path.is_relative_to(root) else None


def cache_dir(out_dir: Path) -> Path:
    return Path(out_dir) / CACHE_DIR


def sha256_file(path: Path) -> str:
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def digest(*parts: Any) -> str:
    """A stable hash of JSON-able parts (sorted keys, so dict order never changes a key)."""
    text = json.dumps([_FORMAT, *parts], sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    # surrogatepass: a file name that is not UTF-8 (held as surrogates by Python) still hashes.
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


class SourceHashes:
    """sha256 of sources, re-read only when a file's size or mtime changed since the last run."""

    FILE = "sources.json"

    def __init__(self, folders: Iterable[Path]) -> None:
        self.folders = [cache_dir(f) for f in folders]
        self.entries: dict[str, tuple[int, int, str]] = {}
        self.hashed = 0  # how many files were actually read this run (for logs and benchmarks)
        for folder in self.folders:
            self._load(folder / self.FILE)

    def _load(self, path: Path) -> None:
        try:
            data = json.loads(path.read_bytes())
            if data.get("format") != _FORMAT:
                return
            saved_ns = int(data["saved_ns"])
            for name, (size, mtime_ns, sha) in data["files"].items():
                if mtime_ns + RACY_NS < saved_ns:  # trustworthy only if settled before the save
                    self.entries.setdefault(name, (int(size), int(mtime_ns), str(sha)))
        except FileNotFoundError:
            return
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as err:
            logger.warning("%s: unreadable source hash cache (%s); re-hashing sources", path, err)

    def sha256(self, path: Path) -> str:
        st = os.stat(path)
        name = str(path)
        entry = self.entries.get(name)
        if entry and entry[0] == st.st_size and entry[1] == st.st_mtime_ns:
            return entry[2]
        sha = sha256_file(path)
        self.hashed += 1
        self.entries[name] = (st.st_size, st.st_mtime_ns, sha)
        return sha

    def save(self, keep: Iterable[Path]) -> None:
        """Write the entries of the sources still in use to every cache folder."""
        names = sorted({str(p) for p in keep})
        data = {
            "format": _FORMAT,
            "saved_ns": time.time_ns(),
            "files": {n: list(self.entries[n]) for n in names if n in self.entries},
        }
        blob = json.dumps(data, separators=(",", ":")).encode("ascii")
        for folder in self.folders:
            write_atomic(folder / self.FILE, blob)


@dataclass(frozen=True, kw_only=True)
class OutputRecord:
    """What one output file was built from, and what was written."""

    output: str  # path relative to the output folder, with '/' separators
    key: str  # the memo key: everything below that shaped the bytes
    source: str
    source_sha256: str
    audience: str
    fingerprint: str  # the audience's templates and styles
    format: str
    options: str  # digest of the memo options (TO/FROM, date, classification, key points)
    code: str  # code_fingerprint() of the briefgen that built it
    sha256: str  # of the output bytes
    size: int
    mtime_ns: int
    manifest: str = ""  # the manifest that asked for it: only its own outputs can become stale

    def matches_file(self, path: Path) -> bool:
        """Is the file on disk still the one we wrote? (stat only; no re-read)"""
        try:
            st = os.stat(path)
        except OSError:
            return False
        return st.st_size == self.size and st.st_mtime_ns == self.mtime_ns


_RECORD_FIELDS = {f.name for f in fields(OutputRecord)}


class BuildState:
    """The outputs a folder holds and what each was built from: an append-only JSON-lines journal."""

    FILE = "state.jsonl"

    def __init__(self, out_dir: Path, *, read_only: bool = False) -> None:
        self.out_dir = Path(out_dir)
        self.read_only = read_only  # a dry run: remember changes in memory, write nothing
        self.path = cache_dir(out_dir) / self.FILE
        self.records: dict[str, OutputRecord] = {}
        self.lines = 0  # journal lines on disk; more lines than records means compaction pays
        self._torn = False  # the journal ends mid-line (a crash or a full disk): start on a new line
        self._load()

    def _load(self) -> None:
        try:
            lines = self.path.read_bytes().splitlines()
        except FileNotFoundError:
            return
        except OSError as err:
            logger.warning("%s: unreadable build state (%s); rebuilding everything", self.path, err)
            return
        bad = bad_paths = 0
        self.lines = len(lines)
        self._torn = bool(lines) and not self.path.read_bytes().endswith(b"\n")
        for line in lines:
            try:
                data = json.loads(line)
                if "removed" in data:
                    self.records.pop(data["removed"], None)
                    continue
                if set(data) != _RECORD_FIELDS:
                    raise ValueError("fields differ")
                record = OutputRecord(**data)
                if inside(self.out_dir, record.output) is None:
                    # A restored or hand-edited state must never make --prune (or a rebuild)
                    # touch a file outside the output folder.
                    logger.warning(
                        "%s: dropped a record naming %r, which is not inside %s",
                        self.path,
                        record.output,
                        self.out_dir,
                    )
                    bad_paths += 1
                    continue
                self.records[record.output] = record
            except (ValueError, TypeError, AttributeError):
                bad += 1  # a torn or corrupt line: that output is rebuilt, the rest stays valid
        if bad_paths:
            self.lines += 1  # forces compaction: the dropped records leave the journal
        if bad:
            logger.warning("%s: skipped %d corrupt line(s); those outputs will be rebuilt", self.path, bad)

    def relative(self, output: Path) -> str:
        return Path(output).relative_to(self.out_dir).as_posix()

    def get(self, output: Path | str) -> OutputRecord | None:
        """By path, or (faster, for the no-change check) by the relative name records use."""
        return self.records.get(output if isinstance(output, str) else self.relative(output))

    def add(self, record: OutputRecord) -> None:
        self.add_many([record])

    def add_many(self, records: Iterable[OutputRecord]) -> None:
        """Record several outputs with one append (a source's memos, as soon as they are written)."""
        rows = []
        for record in records:
            self.records[record.output] = record
            rows.append(vars(record))  # vars, not asdict: no deep copy of plain fields
        self._append(*rows)

    def forget(self, output: Path) -> None:
        rel = self.relative(output)
        if self.records.pop(rel, None) is not None:
            self._append({"removed": rel})

    def _append(self, *rows: dict[str, Any]) -> None:
        if self.read_only or not rows:
            return
        # One write() of whole lines on an O_APPEND descriptor, straight to the kernel (no buffer to
        # lose on a kill): a crash can tear at most the last line, which the next load skips.
        self.lines += len(rows)
        # ensure_ascii: a file name that is not UTF-8 is kept as \\udcxx escapes, valid JSON.
        line = "".join(json.dumps(data, separators=(",", ":")) + "\n" for data in rows).encode("ascii")
        if self._torn:  # never glue a record to the torn end of the last one
            line = b"\n" + line
            self._torn = False
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            os.write(fd, line)
        finally:
            os.close(fd)

    def compact(self) -> None:
        """Rewrite the journal as one line per live output (atomically), when it has grown."""
        if self.read_only or self.lines == len(self.records):
            return  # already compact: a no-change run writes nothing here
        lines = [json.dumps(vars(r), separators=(",", ":")) for _, r in sorted(self.records.items())]
        write_atomic(self.path, ("\n".join(lines) + "\n" if lines else "").encode("ascii"))
        self._torn = False
        self.lines = len(lines)


def brief_path(out_dir: Path, analysis_key: str) -> Path:
    return cache_dir(out_dir) / "briefs" / analysis_key[:2] / f"{analysis_key}.json"


def load_brief(path: Path, source_sha256: str):
    """The cached Brief, or None when missing or unusable (a corrupt entry is rebuilt, not fatal)."""
    from ..model import Brief

    try:
        data = json.loads(path.read_bytes())
        if data.get("source_sha256") != source_sha256:
            raise ValueError("it was made from other bytes")
        return Brief.from_json(data["brief"])
    except FileNotFoundError:
        return None
    except Exception as err:
        logger.warning("%s: unusable cached analysis (%s); re-analysing", path, err)
        return None


def store_brief(path: Path, brief, source_sha256: str) -> None:
    data = {"source_sha256": source_sha256, "brief": brief.to_json()}
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    write_atomic(path, text.encode("utf-8", "surrogatepass"))
