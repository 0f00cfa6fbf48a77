"""Fonts for the PDF renderer: embedded Latin TrueType families and CJK run switching.

reportlab has no per-character font fallback: a glyph missing from the current font prints as a box.
So text is split into runs by script (`split_script`) and CJK runs are set in a CJK font: an embedded
TrueType/TTC CJK font when the system has one, else one of reportlab's built-in CID fonts (STSong-Light
for Han, HeiseiMin-W3 for kana, HYSMyeongJo-Medium for Hangul), whose text stays extractable.

Registration is process-wide in reportlab (pdfmetrics has a global registry), so it happens once,
behind functools.cache.
"""

from __future__ import annotations

import functools
import logging
import re
from dataclasses import dataclass
from pathlib import Path

import reportlab
from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont

logger = logging.getLogger(__name__)

_FONT_DIRS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), Path.home() / ".fonts")
_VERA_DIR = Path(reportlab.__file__).parent / "fonts"

# Family -> (regular, bold, italic, bold italic) file names, searched under _FONT_DIRS.
_KNOWN_FAMILIES: dict[str, tuple[str, str, str, str]] = {
    "DejaVu Serif": (
        "DejaVuSerif.ttf",
        "DejaVuSerif-Bold.ttf",
        "DejaVuSerif-Italic.ttf",
        "DejaVuSerif-BoldItalic.ttf",
    ),
    "DejaVu Sans": (
        "DejaVuSans.ttf",
        "DejaVuSans-Bold.ttf",
        "DejaVuSans-Oblique.ttf",
        "DejaVuSans-BoldOblique.ttf",
    ),
    "DejaVu Sans Mono": (
        "DejaVuSansMono.ttf",
        "DejaVuSansMono-Bold.ttf",
        "DejaVuSansMono-Oblique.ttf",
        "DejaVuSansMono-BoldOblique.ttf",
    ),
    "Liberation Serif": (
        "LiberationSerif-Regular.ttf",
        "LiberationSerif-Bold.ttf",
        "LiberationSerif-Italic.ttf",
        "LiberationSerif-BoldItalic.ttf",
    ),
    "Liberation Sans": (
        "LiberationSans-Regular.ttf",
        "LiberationSans-Bold.ttf",
        "LiberationSans-Italic.ttf",
        "LiberationSans-BoldItalic.ttf",
    ),
    "Liberation Mono": (
        "LiberationMono-Regular.ttf",
        "LiberationMono-Bold.ttf",
        "LiberationMono-Italic.ttf",
        "LiberationMono-BoldItalic.ttf",
    ),
}
_GENERIC = {
    "serif": "DejaVu Serif",
    "sans": "DejaVu Sans",
    "sans-serif": "DejaVu Sans",
    "mono": "DejaVu Sans Mono",
}
_VERA = (
    "Vera.ttf",
    "VeraBd.ttf",
    "VeraIt.ttf",
    "VeraBI.ttf",
)  # ships inside reportlab: works on a bare machine

# CJK TrueType/TTC fonts worth trying, best first (fonts-noto-cjk, fonts-wqy-*, fonts-arphic-*).
_CJK_FILES = (
    ("NotoSansCJK-Regular.ttc", 2),  # subfont 2 = SC in the Noto CJK collection
    ("NotoSerifCJK-Regular.ttc", 2),
    ("wqy-microhei.ttc", 0),
    ("wqy-zenhei.ttc", 0),
    ("uming.ttc", 0),
    ("ukai.ttc", 0),
)

# Han, CJK punctuation, kana, Hangul, full-width forms: the ranges Latin fonts do not cover.
_CJK_CHARS = (
    "\u2e80-\u2fdf\u3000-\u303f\u3040-\u30ff\u3100-\u312f\u3130-\u318f\u31a0-\u31ff\u3200-\u32ff"
    "\u3300-\u33ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef"
    "\U00020000-\U0002fa1f"
)
_CJK_RUN = re.compile(f"([{_CJK_CHARS}]+)")
_KANA = re.compile("[\u3040-\u30ff\u31f0-\u31ff]")
_HANGUL = re.compile("[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]")


@dataclass(frozen=True)
class Family:
    """A registered reportlab family: `name` works with <b>/<i> via addMapping."""

    name: str
    regular: str
    bold: str
    italic: str
    bold_italic: str


@dataclass(frozen=True)
class CJKFonts:
    han: str
    kana: str
    hangul: str
    embedded: bool  # True when a TrueType CJK font is used, False for reportlab's CID fonts


@functools.cache
def _font_index() -> dict[str, Path]:
    """File name -> path for every font file under the system font folders, walked once per process."""
    index: dict[str, Path] = {}
    for root in _FONT_DIRS:
        if root.is_dir():
            for path in sorted(root.rglob("*.tt[fc]")):
                index.setdefault(path.name, path)
    return index


def _find(filename: str) -> Path | None:
    return _font_index().get(filename)


def _register_ttf_family(name: str, paths: tuple[Path, Path, Path, Path]) -> Family:
    names = (name, f"{name}-Bold", f"{name}-Italic", f"{name}-BoldItalic")
    for font_name, path in zip(names, paths, strict=False):
        pdfmetrics.registerFont(TTFont(font_name, str(path)))
    _map_family(names)
    return Family(name, *names)


def _map_family(names: tuple[str, str, str, str]) -> None:
    regular, bold, italic, bold_italic = names
    addMapping(regular, 0, 0, regular)
    addMapping(regular, 1, 0, bold)
    addMapping(regular, 0, 1, italic)
    addMapping(regular, 1, 1, bold_italic)


@functools.cache
def family(spec: str) -> Family:
    """Register (once) and return the family for a Style font spec: serif | sans | mono | a family name.

    Unknown or missing families fall back to Vera, which ships inside reportlab.
    """
    wanted = _GENERIC.get(spec.strip().lower(), spec.strip())
    files = _KNOWN_FAMILIES.get(wanted)
    if files:
        paths = [_find(f) for f in files]
        if all(paths):
            return _register_ttf_family(wanted.replace(" ", ""), tuple(paths))  # type: ignore[arg-type]
        logger.info("font family %r not installed; using Vera", wanted)
    else:
        logger.warning("unknown font family %r; using Vera", spec)
    mono = wanted.endswith("Mono")
    if mono:
        # Vera ships without its mono cut in reportlab; Courier is a standard PDF font and needs no file.
        return Family("Courier", "Courier", "Courier-Bold", "Courier-Oblique", "Courier-BoldOblique")
    return _register_ttf_family("Vera", tuple(_VERA_DIR / f for f in _VERA))  # type: ignore[arg-type]


@functools.cache
def cjk_fonts() -> CJKFonts:
    """Register (once) the fonts CJK runs switch to; bold and italic map onto the same face."""
    for filename, subfont in _CJK_FILES:
        path = _find(filename)
        if path is None:
            continue
        try:
            pdfmetrics.registerFont(TTFont("BriefgenCJK", str(path), subfontIndex=subfont))
        except Exception as exc:  # a broken or unsupported (CFF-based) font file: try the next one
            logger.info("cannot use CJK font %s: %s", path, exc)
            continue
        _map_family(("BriefgenCJK",) * 4)
        return CJKFonts("BriefgenCJK", "BriefgenCJK", "BriefgenCJK", embedded=True)
    names = ("STSong-Light", "HeiseiMin-W3", "HYSMyeongJo-Medium")
    for name in names:
        pdfmetrics.registerFont(UnicodeCIDFont(name))
        _map_family((name,) * 4)
    return CJKFonts(*names, embedded=False)


def cjk_font_for(text: str) -> str:
    """The CJK font for a run: kana means Japanese, Hangul Korean, otherwise Chinese."""
    fonts = cjk_fonts()
    if _HANGUL.search(text):
        return fonts.hangul
    if _KANA.search(text):
        return fonts.kana
    return fonts.han


def split_script(text: str) -> list[tuple[str, bool]]:
    """Split text into (chunk, is_cjk) pieces, in order, dropping empty chunks."""
    return [(chunk, i % 2 == 1) for i, chunk in enumerate(_CJK_RUN.split(text)) if chunk]
