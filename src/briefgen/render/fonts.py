"""Fonts for the PDF renderer: embedded Latin TrueType families and CJK run switching.

reportlab has no per-character font fallback: a glyph missing from the current font prints as a box.
So text is split into runs by script (`split_script`) and CJK runs are set in a CJK font: an embedded
TrueType/TTC CJK font when the system has one, else one of reportlab's built-in CID fonts (STSong-Light
for Han, HeiseiMin-W3 for kana, HYSMyeongJo-Medium for Hangul), whose text stays extractable.

Registration is process-wide in reportlab (pdfmetrics has a global registry), so it happens once,
behind functools.cache, and only for the faces a memo uses (`use`): parsing a TrueType file is most
of the cost of a cold PDF, and a memo without code or italics needs neither.
"""

from __future__ import annotations

import functools
import logging
import re
import unicodedata
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
# A generic spec takes the first installed family. Liberation first: it is metric-compatible with
# Times New Roman, Arial and Courier New, the faces memos are written in, and its files register in a
# quarter of the time DejaVu's take (fewer glyphs to index: a tenth of a cold PDF, issue 14). A glyph
# the body font lacks is set in the wide-coverage fallback font (DejaVu Sans), so nothing is lost.
_GENERIC: dict[str, tuple[str, ...]] = {
    "serif": ("Liberation Serif", "DejaVu Serif"),
    "sans": ("Liberation Sans", "DejaVu Sans"),
    "sans-serif": ("Liberation Sans", "DejaVu Sans"),
    "mono": ("Liberation Mono", "DejaVu Sans Mono"),
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
    """A reportlab family: `name` works with <b>/<i> via addMapping. Faces are registered on `use`."""

    name: str
    regular: str
    bold: str
    italic: str
    bold_italic: str
    paths: tuple[Path, ...] = ()  # the four faces' files; empty for PDF standard fonts (Courier)

    def use(self, *faces: str) -> None:
        """Register the given faces (names from this family) with reportlab, once per process."""
        names = (self.regular, self.bold, self.italic, self.bold_italic)
        for face in faces:
            if self.paths and face in names:
                _register(face, self.paths[names.index(face)])
        if self.paths:
            # registerFont maps a TrueType face's bold and italic onto the face itself: map the family again.
            _map_family(names)


@functools.cache
def _register(name: str, path: Path) -> None:
    pdfmetrics.registerFont(TTFont(name, str(path)))


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


def _ttf_family(name: str, paths: tuple[Path, Path, Path, Path]) -> Family:
    names = (name, f"{name}-Bold", f"{name}-Italic", f"{name}-BoldItalic")
    _map_family(names)  # names only: reportlab looks a face up when text is set in it
    return Family(name, *names, paths=tuple(paths))


def _map_family(names: tuple[str, str, str, str]) -> None:
    regular, bold, italic, bold_italic = names
    addMapping(regular, 0, 0, regular)
    addMapping(regular, 1, 0, bold)
    addMapping(regular, 0, 1, italic)
    addMapping(regular, 1, 1, bold_italic)


@functools.cache
def family(spec: str) -> Family:
    """The family for a Style font spec: serif | sans | mono | a family name (see `Family.use`).

    Unknown or missing families fall back to Vera, which ships inside reportlab.
    """
    candidates = _GENERIC.get(spec.strip().lower(), (spec.strip(),))
    for wanted in candidates:
        files = _KNOWN_FAMILIES.get(wanted)
        if files is None:
            logger.warning("unknown font family %r; using Vera", spec)
            break
        paths = [_find(f) for f in files]
        if all(paths):
            return _ttf_family(wanted.replace(" ", ""), tuple(paths))  # type: ignore[arg-type]
    else:
        logger.info("font family %r not installed; using Vera", " or ".join(candidates))
    mono = candidates[-1].endswith("Mono")
    if mono:
        # Vera ships without its mono cut in reportlab; Courier is a standard PDF font and needs no file.
        return Family("Courier", "Courier", "Courier-Bold", "Courier-Oblique", "Courier-BoldOblique")
    return _ttf_family("Vera", tuple(_VERA_DIR / f for f in _VERA))  # type: ignore[arg-type]


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


# --- characters the fonts lack --------------------------------------------------------------------

_FALLBACK = "BriefgenFallback"
_FALLBACK_FILES = ("DejaVuSans.ttf", "FreeSans.ttf", "LiberationSans-Regular.ttf")  # widest coverage first


@functools.cache
def _charset(font_name: str) -> frozenset[int] | None:
    """Code points a registered TrueType font has glyphs for (None: not a TrueType font)."""
    face = getattr(pdfmetrics.getFont(font_name), "face", None)
    table = getattr(face, "charToGlyph", None)
    return frozenset(table) if table is not None else None


@functools.cache
def fallback_font() -> str | None:
    """A wide-coverage font for symbols the body font lacks (registered on first need), or None."""
    for filename in _FALLBACK_FILES:
        path = _find(filename)
        if path is not None:
            pdfmetrics.registerFont(TTFont(_FALLBACK, str(path)))
            _map_family((_FALLBACK,) * 4)
            return _FALLBACK
    return None


def has_glyph(font_name: str, char: str) -> bool:
    charset = _charset(font_name)
    return charset is None or ord(char) in charset


def missing_glyphs(text: str, font_name: str) -> list[str]:
    """Characters of `text` (outside CJK runs) that neither `font_name` nor the fallback can show."""
    charset = _charset(font_name)
    if charset is None:
        return []
    chars = {c for c in text if ord(c) not in charset and not c.isspace() and not _CJK_RUN.match(c)}
    fallback = fallback_font() if chars else None
    return sorted(c for c in chars if fallback is None or not has_glyph(fallback, c))


def replacement(char: str) -> str:
    """What stands for a character no font can show: nothing for invisible format characters
    (joiners, variation selectors), else its Unicode name in brackets, so the text says what was there."""
    category = unicodedata.category(char)
    if category in ("Cf", "Mn", "Me") or 0xFE00 <= ord(char) <= 0xFE0F:
        return ""
    if char.isspace():
        return " "
    return f"[{unicodedata.name(char, f'U+{ord(char):04X}').lower()}]"


def glyph_runs(text: str, font_name: str) -> list[tuple[str, str | None]]:
    """Split non-CJK text into (chunk, font) pieces: font None for the base font, the fallback's
    name for characters only it has; characters no font has are replaced (see `replacement`)."""
    charset = _charset(font_name)
    if charset is None or all(ord(c) in charset or c.isspace() for c in text):
        return [(text, None)] if text else []
    out: list[tuple[str, str | None]] = []
    fallback = fallback_font()
    for char in text:
        if ord(char) in charset or char.isspace():
            piece, font = char, None
        elif fallback is not None and has_glyph(fallback, char):
            piece, font = char, fallback
        else:
            piece, font = replacement(char), None
        if out and out[-1][1] == font:
            out[-1] = (out[-1][0] + piece, font)
        elif piece:
            out.append((piece, font))
    return out
