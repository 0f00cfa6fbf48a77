"""LibreOffice for the tests that look at a DOCX as Word users see it: page layout, notes, page counts."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

needs_libreoffice = pytest.mark.skipif(
    shutil.which("soffice") is None,
    reason="LibreOffice is not installed (apt-get install libreoffice-writer-nogui); CI installs it",
)


def to_pdf(documents: list[Path], out_dir: Path) -> list[Path]:
    """Convert DOCX files to PDF with one headless LibreOffice run (its own profile under out_dir)."""
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{out_dir}/profile",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out_dir),
            *map(str, documents),
        ],
        check=True,
        capture_output=True,
        timeout=600,
    )
    return [out_dir / f"{doc.stem}.pdf" for doc in documents]
