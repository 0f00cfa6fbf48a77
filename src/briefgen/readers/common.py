"""Rules every reader shares: text cleaning, dates, bylines, boilerplate, and assembly.

Each reader turns its format into a list of `Block`s (a line or paragraph of text,
possibly marked as a heading or the title) plus `Hints` (metadata the format itself
declares: front matter, core properties, PDF info, HTML <meta>). `assemble()` then
applies the same rules to all of them, so the same article gives the same
`Document` whatever format it arrived in.

The boilerplate rules are general (where a line sits and what shape it has), not a
list of one site's lines: short lines before the title and after the last body
paragraph go, and so do lines shaped like menus, share bars, cookie notices,
"related" lists and copyright footers wherever they appear.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import unicodedata
from dataclasses import dataclass, field

from ..dates import MONTHS, month_number
from ..model import Author, Document, Meta, Paragraph, Source
from ..textutil import squash  # the one whitespace helper (readers import it from here too)
from .limits import MAX_BLOCKS, MAX_PARAGRAPHS, over

logger = logging.getLogger(__name__)

# --- text cleaning -------------------------------------------------------------------------

# C0 and C1 control characters except tab/newline/carriage return, DEL, soft hyphen and
# zero-width characters: never meaningful in prose, and some break XML writers downstream.
# The bidirectional embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069) go too:
# they let a source make memo text display in another order than it reads (a "Trojan source").
_CONTROL = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u00ad\u200b\u200c\u200d\u2060\ufeff\u202a-\u202e\u2066-\u2069]"
)
_LINE_SEPARATORS = re.compile("[\r\u2028\u2029\x85]")  # \x85 (NEL) before it is stripped as C1


def strip_controls(text: str) -> str:
    """Unify line ends, drop control characters, NFC-normalise (curly quotes are kept)."""
    text = text.replace("\r\n", "\n")
    text = _LINE_SEPARATORS.sub("\n", text)
    text = _CONTROL.sub("", text)
    return unicodedata.normalize("NFC", text)


# --- dates -----------------------------------------------------------------------------------

_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_DATE_PATTERNS = [
    re.compile(rf"\b{_YEAR}-(?P<mnum>[01]\d)-(?P<day>[0-3]\d)(?!\d)"),  # also "2023-05-06T12:00Z"
    re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b", re.IGNORECASE),
    re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}\b", re.IGNORECASE),
]
# A line that is only a date, perhaps with a label ("Published:", "Updated") or a time.
_DATE_LINE = re.compile(
    r"^(?:(?:published|posted|updated|date|dated|first published|last updated)\b[\s:,-]*(?:on\s+)?)?"
    r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?"
    r"(?P<date>[^|]{6,30}?)"
    r"(?:\s*(?:[|,·•–-]\s*)?\d{1,2}:\d\d(?:\s*[ap]\.?m\.?)?(?:\s+[A-Z]{2,4})?)?\s*$",
    re.IGNORECASE,
)


_ASIDE_SEPARATOR = re.compile(r"\s+[·|•]\s+")


def find_date(text: str) -> str | None:
    """The first full date in `text` as YYYY-MM-DD (`Jun 28, 2019` -> `2019-06-28`), else None."""
    for pattern in _DATE_PATTERNS:
        for match in pattern.finditer(text):
            parts = match.groupdict()
            month = int(parts["mnum"]) if parts.get("mnum") else month_number(parts["month"])
            try:
                return dt.date(int(parts["year"]), month, int(parts["day"])).isoformat()
            except ValueError:
                continue
    return None


def date_line(line: str) -> str | None:
    """The date when the whole line is a date (with an optional label or time), else None."""
    line = line.strip()
    if len(line) > 60:
        return None
    date = _only_date(line)
    if date is None:
        # "14 March 2024 · 6 min read": a date with a short aside after a separator.
        parts = _ASIDE_SEPARATOR.split(line)
        if len(parts) > 1 and all(word_count(p) <= 4 for p in parts):
            date = next((d for d in map(_only_date, parts) if d), None)
    return date


def _only_date(line: str) -> str | None:
    match = _DATE_LINE.match(line)
    if not match:
        return None
    date = find_date(match.group("date"))
    if date is None:
        return None
    # Only the date (and its label/time) may be on the line, not a sentence mentioning one.
    rest = match.group("date")
    for pattern in _DATE_PATTERNS:
        rest = pattern.sub("", rest)
    return date if not rest.strip(" ,.") else None


def parse_date_value(value: object) -> str | None:
    """A metadata date (ISO string, datetime, "Jun 28, 2019") -> YYYY-MM-DD or None."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return find_date(str(value))


# --- bylines ----------------------------------------------------------------------------------

_BULLET = re.compile(r"^[•·▪◦●■*–—-]\s+")
_BY_PREFIX = re.compile(
    r"^(?:by|written by|authors?|words by|statement of|testimony of|prepared by)\s*[:\-–]?\s+", re.IGNORECASE
)
_HONORIFIC_SUFFIX = re.compile(r",?\s+(?:Esq|Ph\.?\s?D|M\.?D|J\.?D)\.?(?=,|$)")
_NAME_SPLIT = re.compile(r"\s*(?:,\s*and\s+|,\s*&\s*|\s+and\s+|\s*&\s*|\s*;\s*)\s*")
_PARTICLES = {
    "van",
    "von",
    "de",
    "der",
    "den",
    "da",
    "del",
    "della",
    "di",
    "du",
    "la",
    "le",
    "bin",
    "binti",
    "al",
    "el",
    "ibn",
    "dos",
    "das",
    "ter",
    "y",
}
# Words that make a phrase an institution, not a person.
_ORG_WORDS = {
    "university",
    "institute",
    "institution",
    "center",
    "centre",
    "school",
    "college",
    "council",
    "foundation",
    "department",
    "ministry",
    "academy",
    "program",
    "programme",
    "initiative",
    "association",
    "society",
    "bureau",
    "office",
    "agency",
    "commission",
    "group",
    "laboratory",
    "lab",
    "forum",
    "project",
    "studies",
    "research",
    "corporation",
    "company",
    "inc",
    "ltd",
    "observatory",
    "network",
    "trust",
    "fund",
    "press",
    "news",
    "times",
    "post",
    "journal",
    "review",
    "magazine",
    "service",
    "policy",
    "affairs",
    "relations",
    "security",
    "strategy",
    "international",
    "national",
    "global",
    "board",
    "committee",
    "library",
    "museum",
    "bank",
}
# Words that make a phrase a person's role ("Adjunct Fellow"), which is not an affiliation.
_ROLE_WORDS = {
    "fellow",
    "professor",
    "director",
    "researcher",
    "senior",
    "junior",
    "chair",
    "chairman",
    "chairwoman",
    "editor",
    "analyst",
    "lecturer",
    "president",
    "dean",
    "associate",
    "assistant",
    "scholar",
    "adjunct",
    "visiting",
    "nonresident",
    "non-resident",
    "head",
    "manager",
    "officer",
    "advisor",
    "adviser",
    "correspondent",
    "reporter",
    "writer",
    "contributor",
    "member",
    "coordinator",
    "deputy",
    "vice",
    "executive",
    "principal",
    "staff",
    "student",
    "candidate",
    "emeritus",
    "distinguished",
    "founder",
    "co-founder",
    "ambassador",
    "former",
    "retired",
    "contributing",
    "guest",
    "lead",
    "chief",
    "postdoctoral",
    "doctoral",
    "phd",
    "research",
}
# Short words like "An", "In" or "To" are also surnames, so they are not listed here.
_NOT_NAME_WORDS = {
    "the",
    "of",
    "for",
    "with",
    "from",
    "what",
    "why",
    "how",
    "is",
    "are",
    "will",
    "back",
    "top",
    "home",
    "menu",
    "search",
    "share",
    "more",
    "read",
    "related",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "updated",
    "published",
    "print",
    "reprints",
    "article",
    "comments",
    "subscribe",
    "newsletter",
} | set(MONTHS)


def looks_like_name(text: str) -> bool:
    """Two to five capitalised words (initials and particles allowed), nothing else."""
    words = text.split()
    if not 2 <= len(words) <= 5 or text.endswith((":", "?", "!")):
        return False
    capitals = 0
    for word in words:
        bare = word.strip(".,")
        low = bare.lower()
        if low in _PARTICLES:
            continue
        if low in _ORG_WORDS or low in _ROLE_WORDS or low in _NOT_NAME_WORDS:
            return False
        if not bare or not bare[0].isupper() or any(ch.isdigit() for ch in bare):
            return False
        if not all(ch.isalpha() or ch in "'’-." for ch in bare):
            return False
        capitals += 1
    if sum(1 for w in words if _ABSTRACT.search(w.strip(".,"))) * 2 >= len(words):
        return False  # "Accountability Integrity Reliability" is a motto, not a person
    return capitals >= 2 and not any(_GLUED.search(w) for w in words)


# Abstract nouns: a person's name is not made of them.
_ABSTRACT = re.compile(r"(?:ity|tion|sion|ment|ness|ance|ence|ism|ship|ics)$", re.IGNORECASE)
# Two elements' text run together ("Jonathan GarberFOXBusiness"); "McDonald" has one capital.
_GLUED = re.compile(r"[a-z][A-Z]{2,}|[a-z]{2}[A-Z][a-z]+[A-Z]")


def clean_author_name(name: str) -> str | None:
    """A metadata author as a person's name, or None when it is no name: a URL, text glued
    from two elements, a name said twice ("Sean Martin Sean Martin" -> "Sean Martin"), or
    words that are roles, dates or an organisation ("JERUSALEM POST STAFF NOVEMBER")."""
    text = _BY_PREFIX.sub("", squash(strip_controls(name))).strip(" ,;|")
    words = text.split()
    half = len(words) // 2
    if len(words) >= 4 and len(words) % 2 == 0 and words[:half] == words[half:]:
        words = words[:half]
        text = " ".join(words)
    if not text or _URL.match(text) or "@" in text or "/" in text or any(ch.isdigit() for ch in text):
        return None
    lowered = {w.strip(".,;:()").lower() for w in words}
    if lowered & (_ROLE_WORDS | _NOT_NAME_WORDS | _ORG_WORDS) or any(_GLUED.search(w) for w in words):
        return None
    return text if len(text) <= 80 else None


_ROLE_AT = re.compile(r"^(?P<role>(?:\S+\s+){0,4}?\S+)\s+(?:at|with)\s+(?:the\s+)?(?P<org>.+)$")


def _is_role(segment: str) -> bool:
    """ "Adjunct Fellow", "Research Director": a role, not an institution. A phrase ending in a
    role word is a role even when it starts with a word institutions use ("Research")."""
    words = [w.strip(".,").lower() for w in segment.split()]
    if not words:
        return False
    if words[0] in _ROLE_WORDS and not any(w in _ORG_WORDS for w in words):
        return True
    return len(words) <= 4 and words[-1] in _ROLE_WORDS and words[-1] not in _ORG_WORDS


def clean_affiliation(text: str) -> str | None:
    """Drop a leading role ("Adjunct Fellow, ...") so what is left names the institution."""
    segments = [s.strip() for s in text.split(",") if s.strip()]
    while segments and _is_role(segments[0]):
        segments.pop(0)
    # "Senior Fellow at the X Institute": keep what follows "at".
    match = _ROLE_AT.match(segments[0]) if segments else None
    if match and _is_role(match.group("role")):
        segments[0] = match.group("org")
    result = ", ".join(segments).strip(" .")
    return result or None


def parse_byline(line: str) -> tuple[Author, ...]:
    """Authors from a byline such as "By Jane Doe and John Roe" or "By Jane Doe, Some Institute".

    Returns () unless the line is recognisably a byline (a "By" prefix, or names only).
    """
    text = _BULLET.sub("", line.strip())
    has_prefix = bool(_BY_PREFIX.match(text))
    text = _HONORIFIC_SUFFIX.sub("", _BY_PREFIX.sub("", text).strip())
    # "Jane Doe · 30 Nov 2022", "Jane Doe | Some Institute": parts after a separator are
    # asides; a date or a reading time is not a name, an institution may be the affiliation.
    parts = [p for p in _ASIDE_SEPARATOR.split(text) if p.strip() and not date_line(p)]
    if not parts:
        return ()
    text, asides = parts[0], [p for p in parts[1:] if not _READING_TIME.search(p)]
    segments = [s.strip() for s in text.split(",") if s.strip()]
    names: list[str] = []
    rest: list[str] = []
    for index, segment in enumerate(segments):
        parts = [p for p in _NAME_SPLIT.split(segment) if p]
        if not rest and parts and all(looks_like_name(p) for p in parts):
            names.extend(parts)
        else:
            rest = segments[index:]
            break
    if not names:
        return ()
    # Without "By", a line in capitals is a label ("MARITIME ASIA · COMMENTARY"), not a name.
    if not has_prefix and all(n.isupper() for n in names):
        return ()
    # Without "By", a name line may still carry the affiliation ("Maria Lopez, Senior Fellow
    # at the Atlantic Council"), but only one that names a role or an institution.
    if not has_prefix and rest and not _is_affiliation(", ".join(rest)):
        return ()
    affiliation = clean_affiliation(", ".join(rest)) if rest else None
    if affiliation and date_line(affiliation):
        affiliation = None
    if affiliation is None and asides and _is_affiliation(asides[0]):
        affiliation = clean_affiliation(asides[0])
    # One affiliation after several names is ambiguous; it belongs to the last one named.
    return tuple(
        Author(name=n, affiliation=affiliation if i == len(names) - 1 else None) for i, n in enumerate(names)
    )


_READING_TIME = re.compile(r"\b\d+\s*(?:min(?:ute)?s?|hours?)\b(?:\s+read)?", re.IGNORECASE)
_MAX_AFFILIATION_WORDS = 15


def _is_affiliation(text: str) -> bool:
    """A short phrase naming a role or an institution, not a sentence."""
    return (
        word_count(text) <= _MAX_AFFILIATION_WORDS
        and not text.rstrip().endswith((".", "!", "?"))
        and _mentions_institution(text)
    )


# Names tools and templates write into metadata when nobody filled it in.
PLACEHOLDER_NAMES = {
    "untitled",
    "anonymous",
    "(unspecified)",
    "unknown",
    "user",
    "author",
    "admin",
    "administrator",
    "python-docx",
    "microsoft office user",
    "windows user",
    "owner",
}


def real_metadata(value: str | None) -> str | None:
    """A metadata value, or None when it is a tool's placeholder rather than a real entry."""
    if not value:
        return None
    text = squash(strip_controls(str(value)))
    if not text or text.casefold() in PLACEHOLDER_NAMES or text.lower().startswith("microsoft word -"):
        return None
    return text


_URL = re.compile(
    r"^(?:https?://|www\.)\S+$|^\S+\.(?:com|org|gov|net|edu|int|eu|uk)(?:/\S*)?$", re.IGNORECASE
)


def is_organisation(name: str) -> bool:
    """A name that is an institution ("U.S. Government Accountability Office"), not a person."""
    words = {w.strip(".,;:()").lower() for w in name.split()}
    return bool(words & _ORG_WORDS) and not looks_like_name(name)


def split_organisations(authors: tuple[Author, ...]) -> tuple[tuple[Author, ...], str | None]:
    """People stay authors; an organisation named as author is the publisher; a URL is neither."""
    people = tuple(a for a in authors if not _URL.match(a.name) and not is_organisation(a.name))
    orgs = [a.name for a in authors if not _URL.match(a.name) and is_organisation(a.name)]
    return people, (orgs[0] if orgs else None)


_PROPERTY_NAME_SPLIT = re.compile(r"\s*[;,]\s*")


def metadata_authors(value: str | None) -> tuple[Author, ...]:
    """Authors from a document property ("Jane Doe; John Roe"), none when it is a placeholder."""
    names = real_metadata(value) or ""
    return tuple(Author(name=n.strip()) for n in _PROPERTY_NAME_SPLIT.split(names) if n.strip())


# --- boilerplate ------------------------------------------------------------------------------

_TERMINAL = (
    ".", "!", "?", "…", ".”", "?”", "!”", '."', '?"', ".’", "?’", ")", ".)", ":",
    "。", "！", "？", "」", "』", "）", "．",  # full stops and closing marks of Chinese and Japanese
)  # fmt: skip
_CHROME_PATTERNS = [
    # related-content and navigation prompts
    re.compile(
        r"^(?:you (?:might|may) also (?:like|enjoy)|related(?: articles?| content| posts?| reading| stories)?"
        r"|read (?:more|next|also)|recommended(?: for you| reading)?|more (?:from|on|in|like this)\b.*"
        r"|most (?:popular|read)|trending(?: now)?|see also|further reading|also read|up next"
        r"|back to (?:top|home)|skip to (?:main )?(?:content|navigation)|scroll to top|jump to\b.*"
        r"|previous(?: article| post)?|next(?: article| post)?|advertisement|sponsored(?: content)?"
        r"|table of contents|main menu|menu|search|close|toggle navigation|loading\.*)"
        r"\s*[:.…]?$",
        re.IGNORECASE,
    ),
    # share bars: only social-network words
    re.compile(
        r"^(?:(?:share|share this(?: article| page| story)?|share on|tweet|email|e-mail|print"
        r"|facebook|twitter|x|linkedin|whatsapp|reddit|telegram|weibo|wechat|copy link|pinterest)"
        r"[\s:|/·•,]*){1,8}$",
        re.IGNORECASE,
    ),
    # newsletters and follow prompts
    re.compile(
        r"^(?:subscribe|sign up|follow us|join our mailing list|get our newsletter)\b.{0,80}$", re.IGNORECASE
    ),
    # tag lists, comment counters, sign-in prompts, previous/next links
    re.compile(r"^(?:tags?|topics?|filed under|categories|keywords)\s*[:：]", re.IGNORECASE),
    re.compile(
        r"^(?:\d+\s+)?comments?\s*(?:\(\d+\))?$|^(?:sign|log) in to (?:comment|reply|join)\b", re.IGNORECASE
    ),
    re.compile(r"^[←→<>«»\s]*(?:previous|next|older|newer) (?:post|article|story|entry)\b", re.IGNORECASE),
    # language menus ("Language : English 简体 繁體")
    re.compile(r"^(?:languages?|select (?:a )?language|choose (?:a )?language)\s*[:：]", re.IGNORECASE),
]
# A label that introduces a list of other articles ("You might also like", "Related stories").
# What follows it, up to the next paragraph of prose, is a list of headlines.
_RELATED_LABEL = re.compile(
    r"^(?:you (?:might|may) also (?:like|enjoy)"
    r"|related(?: articles?| content| posts?| reading| stories| coverage)?"
    r"|read (?:more|next|also)|recommended(?: for you| reading| stories)?"
    r"|more (?:from|on|in|like this|stories)\b.*"
    r"|most (?:popular|read)|trending(?: now)?|see also|further reading|also read|up next|editor'?s picks?"
    r"|(?:more|other|latest) (?:stories|articles|news))\s*[:.…]?$",
    re.IGNORECASE,
)
# The same labels with one headline after them, on one line ("Read more: How herders adapt").
_LABELLED_LINK = re.compile(
    r"^(?:read (?:more|next|also)|also read|related(?: articles?| stories?| content)?|see also|recommended"
    r"|more on this(?: story| topic)?|further reading|editor'?s picks?|watch|listen)\s*[:：|—–]\s*\S",
    re.IGNORECASE,
)
# Calls to action aimed at the reader: an imperative opening plus a word about the site's
# own services. Prose seldom opens with "Subscribe to our", and never inside an article.
_CALL_TO_ACTION = re.compile(
    r"^(?:subscribe|sign up|sign-up|register|follow us|join (?:our|us)|get (?:our|the latest)|don'?t miss"
    r"|never miss|click here|tap here|download (?:our|the)|support (?:our|us)|donate|sign in|log in)\b",
    re.IGNORECASE,
)
_READER_SERVICE = re.compile(
    r"\b(?:our|your|us|newsletters?|updates|inbox|briefings?|alerts?|free|e-?mails?"
    r"|podcasts?|app|here|today|now|discussion|comments?|reply)\b",
    re.IGNORECASE,
)
_MAX_CHROME_SENTENCE_WORDS = 25
# Copyright footers end like sentences, so they are matched apart from the rules above.
# How a copyright line opens; "(c)" only with a year: "(c) Effect of designation.—" is a statute's
# subsection.
_COPYRIGHT_OPENING = r"(?:©|\(c\)\s(?=.*\b(?:19|20)\d\d\b)|copyright\s*(?:©|\(c\)|\d{4}))"
_COPYRIGHT = re.compile(rf"^{_COPYRIGHT_OPENING}.{{0,120}}$|\ball rights reserved\b", re.IGNORECASE)
_COOKIE = re.compile(r"\bcookies?\b", re.IGNORECASE)
# An editor's correction notice ("Correction, Nov. 15, 2019: This article originally ..."): about
# the article, not part of its argument.
_CORRECTION = re.compile(
    r"^(?:correction|clarification|editor['’]s note|update(?:d)?)\b[^:]{0,40}:\s+.{0,60}\b"
    r"(?:this (?:article|story|post|piece|report)|an earlier version|a previous version)\b",
    re.IGNORECASE,
)
_COOKIE_CONTEXT = re.compile(
    r"\b(?:accept|consent|privacy|we use|this (?:site|website)|preferences|agree)\b", re.IGNORECASE
)
_MENU_SEPARATORS = re.compile(r"\s*(?:\||›|»|·|•|/|\t)\s*")
_LANGUAGE_NAMES = {
    "english",
    "español",
    "français",
    "deutsch",
    "русский",
    "中文",
    "简体",
    "繁體",
    "繁体",
    "日本語",
    "한국어",
    "العربية",
    "português",
    "italiano",
    "türkçe",
    "polski",
}


# Scripts written without spaces between words: Han (Chinese, Japanese kanji), kana, and the
# CJK punctuation and full-width forms. Korean hangul is spaced and counts as words already.
_UNSPACED = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u31f0-\u31ff\uff66-\uff9f]")
# Chinese and Japanese words average about two characters; so a run of N characters counts as N/2 words.
_CHARS_PER_WORD = 2


def word_count(text: str) -> int:
    """Words, for any script: space-separated tokens, and for the unspaced scripts (Chinese,
    Japanese) their characters, two to a word, so body and limit rules hold there too."""
    unspaced = len(_UNSPACED.findall(text))
    if not unspaced:
        return len(text.split())
    spaced = len(_UNSPACED.sub(" ", text).split())
    return spaced + unspaced // _CHARS_PER_WORD


def is_chrome(text: str) -> bool:
    """True for a line shaped like site chrome: menus, share bars, cookie notices, footers.

    Chrome is short and does not end like a sentence; prose that merely starts with
    "Subscribe" or mentions English and Français is left alone.
    """
    line = _BULLET.sub("", text.strip())
    if not line:
        return True
    words = word_count(line)
    if words <= 60 and _COOKIE.search(line) and _COOKIE_CONTEXT.search(line):
        return True
    if words <= 25 and _COPYRIGHT.search(line):
        return True
    if words <= 60 and _CORRECTION.match(line):
        return True
    if words <= _MAX_CHROME_SENTENCE_WORDS and (
        _LABELLED_LINK.match(line) or (_CALL_TO_ACTION.match(line) and _READER_SERVICE.search(line))
    ):
        return True
    if words > 12 or (is_sentence_like(line) and not line.endswith(":")):
        return False
    if any(p.search(line) for p in _CHROME_PATTERNS) or _is_share_bar(line):
        return True
    items = [i for i in _MENU_SEPARATORS.split(line) if i]
    if len(items) >= 3 and all(word_count(i) <= 3 for i in items):
        return True
    tokens = {t.strip(",|:").lower() for t in line.split()}
    return len(tokens & _LANGUAGE_NAMES) >= 2


_SHARE_WORDS = {
    "share", "this", "on", "tweet", "post", "email", "e-mail", "print", "facebook", "twitter", "x",
    "linkedin", "whatsapp", "reddit", "telegram", "weibo", "wechat", "copy", "link", "pinterest", "in",
    "f", "mail", "bluesky", "threads", "save", "article",
}  # fmt: skip
_LETTERS = re.compile(r"[^\W\d_]+")


def _is_share_bar(line: str) -> bool:
    """Only the names of share buttons, whatever icons sit between them ("f Facebook 𝕏 Post")."""
    words = [w.lower() for w in _LETTERS.findall(line)]
    return (
        len(words) >= 2
        and all(w in _SHARE_WORDS for w in words)
        and bool(set(words) & {"share", "facebook", "twitter", "linkedin"})
    )


def is_sentence_like(text: str) -> bool:
    """Ends like prose (a full stop, question mark, closing quote...)."""
    return text.rstrip().endswith(_TERMINAL)


def is_body(text: str) -> bool:
    """A block that is clearly article prose (used to find where the body starts)."""
    words = word_count(text)
    return words >= 20 or (words >= 8 and is_sentence_like(text))


def is_heading_like(text: str) -> bool:
    """A short line that does not end like a sentence and starts with a capital or a number."""
    words = word_count(text)
    return (
        1 <= words <= 14
        and not text.rstrip().endswith((".", ",", ";", ":", "!"))
        and (text[0].isupper() or text[0].isdigit())
    )


# --- assembly ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Block:
    """One unit of text from a reader.

    kind: "text" (the rules decide what it is), "para" (known body text),
    "heading" (known section heading), "title" (known document title).
    lines: for "text" blocks, the separate lines (the head is judged line by line).
    """

    text: str
    kind: str = "text"
    lines: tuple[str, ...] = ()
    page: int | None = None  # the source page it starts on, where the format has pages


@dataclass(frozen=True)
class Hints:
    """Metadata the format declares; used where the text itself says nothing."""

    title: str | None = None
    authors: tuple[Author, ...] = ()
    date: str | None = None
    publisher: str | None = None
    language: str = "en"
    prefer: frozenset[str] = field(default_factory=frozenset)  # fields where the hint wins


@dataclass
class _Head:
    title: str | None = None
    date: str | None = None
    authors: list[Author] = field(default_factory=list)


def assemble(blocks: list[Block], *, source: Source, hints: Hints, fallback_title: str) -> Document:
    """Apply the shared rules to a reader's blocks and build the `Document`."""
    if len(blocks) > MAX_BLOCKS:
        raise over(source.path, "the text", len(blocks), MAX_BLOCKS, "blocks of lines")
    blocks = _drop_related_lists(blocks)
    blocks = [b for b in (_clean_block(b) for b in blocks) if b is not None]
    start = _body_start(blocks)
    head, body = blocks[:start], blocks[start:]
    found = _read_head(head, hints)
    body = _trim_tail(body)
    known = tuple(found.authors) or hints.authors
    body = [b for b in _drop_back_matter(body, known) if not _is_credit(b.text)]
    body = _drop_figure_furniture(body)
    body = _drop_listings(body)

    paragraphs: list[Paragraph] = []
    heading: str | None = None
    # Headings in the head after the title (e.g. "## Summary" right before the first paragraph).
    seen_title = found.title is None
    for block in head:
        if block.kind == "title" or block.text == found.title:
            seen_title = True
        elif block.kind == "heading" and seen_title and not _is_listing_heading(block.text):
            heading = block.text
    title_norm = (found.title or hints.title or "").casefold()
    for index, block in enumerate(body):
        if block.kind == "title" or (not paragraphs and block.text.casefold() == title_norm):
            continue
        if block.kind == "heading" or (block.kind == "text" and _inferred_heading(body, index)):
            heading = block.text
            continue
        if not paragraphs and block.kind == "text" and date_line(block.text):
            continue
        paragraphs.append(
            Paragraph(id=f"p{len(paragraphs) + 1}", text=block.text, heading=heading, page=block.page)
        )

    if len(paragraphs) > MAX_PARAGRAPHS:
        raise over(source.path, "the text", len(paragraphs), MAX_PARAGRAPHS, "paragraphs")
    meta = Meta(
        title=_plain(_pick("title", found.title, hints)) or fallback_title,
        authors=tuple(
            Author(name=_said_once(_plain(a.name)), affiliation=_plain(a.affiliation) or None)
            for a in _pick("authors", tuple(found.authors), hints) or ()
            if _plain(a.name)
        ),
        date=_pick("date", found.date, hints),
        publisher=_plain(hints.publisher) or None,
        language=_language(hints.language, paragraphs),
    )
    return Document(source=source, meta=meta, paragraphs=tuple(paragraphs))


_KANA = re.compile("[\u3040-\u30ff]")


def _language(declared: str | None, paragraphs: list[Paragraph]) -> str:
    """The declared language, except that a text mostly in Chinese or Japanese script
    declared as nothing or as the default English is that language (kana mean Japanese)."""
    if declared and declared != "en":
        return declared
    sample = "".join(p.text for p in paragraphs[:20])[:5000]
    unspaced = len(_UNSPACED.findall(sample))
    if sample and unspaced > 0.3 * len(sample):
        return "ja" if _KANA.search(sample) else "zh"
    return declared or "en"


def _said_once(name: str) -> str:
    """ "Sean Martin Sean Martin" (a name and its link text run together) -> "Sean Martin"."""
    words = name.split()
    half = len(words) // 2
    return " ".join(words[:half]) if len(words) >= 4 and words[:half] == words[half:] else name


def _plain(text: str | None) -> str:
    """Metadata as one clean line: whatever a format's metadata held (an HTML <meta>, a PDF
    property), it reaches the memo's title, header and footer without controls."""
    return squash(strip_controls(text)) if text else ""


def _pick(name: str, from_text, hints: Hints):
    hint = getattr(hints, name)
    if name in hints.prefer and hint:
        if name == "authors" and from_text:
            # The declared names win; the byline in the text may still add their affiliation.
            found = {a.name.casefold(): a for a in from_text}
            return tuple(
                Author(name=a.name, affiliation=a.affiliation or found[a.name.casefold()].affiliation)
                if a.name.casefold() in found
                else a
                for a in hint
            )
        return hint
    return from_text or hint


def _clean_block(block: Block) -> Block | None:
    all_lines = tuple(ln for ln in (squash(x) for x in (block.lines or (block.text,))) if ln)
    lines = tuple(ln for ln in all_lines if not is_chrome(ln))
    if not lines:
        return None
    # Rejoin only when a chrome line was cut out; else keep the reader's own joining
    # (the PDF reader has already mended hyphenated line breaks).
    text = squash(" ".join(lines)) if block.kind == "text" and lines != all_lines else squash(block.text)
    if not text or (block.kind != "title" and is_chrome(text)):
        return None
    return Block(text=text, kind=block.kind, lines=lines, page=block.page)


def _is_headline(line: str) -> bool:
    """A line shaped like the headline of another article: short, not ending like a statement."""
    words = word_count(line)
    return 1 <= words <= 16 and not line.rstrip().endswith((".", ",", ";", ":", ".”", '."'))


def _drop_related_lists(blocks: list[Block]) -> list[Block]:
    """Inside the body, drop a "You might also like" label and the headlines listed under it.

    The list runs from the label to the next paragraph of prose; a heading right before
    prose ends it too (it is the article's next section, not another headline). Before the
    body starts nothing is dropped here: the head rules judge those lines, and a title
    must never be taken for a listed headline.
    """
    out: list[Block] = []
    in_body = in_list = False
    items_as_lines = False  # the list's items are lines of one block, as in scraped text
    for index, block in enumerate(blocks):
        lines = [ln for ln in (squash(x) for x in (block.lines or (block.text,))) if ln]
        if block.kind in ("title", "para") or not lines:
            in_list = False
            out.append(block)
            in_body = in_body or block.kind == "para"
            continue
        if in_list:
            following = blocks[index + 1] if index + 1 < len(blocks) else None
            # Once items came as lines of one block, a lone line before prose is a section
            # heading; where each item is its own block (an HTML list) only a marked heading is.
            lone = block.kind == "heading" or (items_as_lines and len(lines) == 1)
            section_starts = lone and following is not None and is_body(following.text)
            if all(_is_headline(ln) for ln in lines) and not section_starts and not is_body(block.text):
                items_as_lines = items_as_lines or len(lines) > 1
                continue
            in_list = False
        label_at = next((i for i, ln in enumerate(lines) if _RELATED_LABEL.match(_BULLET.sub("", ln))), None)
        if in_body and label_at is not None and all(_is_headline(ln) for ln in lines[label_at + 1 :]):
            in_list = True
            items_as_lines = len(lines) - label_at > 2
            kept = lines[:label_at]
            if kept:
                out.append(Block(text=" ".join(kept), kind=block.kind, lines=tuple(kept)))
            continue
        in_body = in_body or is_body(block.text)
        out.append(block)
    return out


def _body_start(blocks: list[Block]) -> int:
    """The first block of prose, unless a byline or date block follows within two blocks: then
    that prose was the standfirst (the summary set under the headline) and the body starts
    after the byline."""
    index = 0
    while index < len(blocks):
        if _starts_body(blocks[index]):
            ahead = blocks[index + 1 : index + 3]
            meta_at = next((i for i, b in enumerate(ahead) if _is_meta_block(b)), None)
            if meta_at is None or blocks[index].kind == "para":
                return index
            index += meta_at + 2
            continue
        index += 1
    return len(blocks)


def _starts_body(block: Block) -> bool:
    if block.kind == "para" or (block.kind == "text" and len(block.lines) == 1 and is_body(block.text)):
        return True
    return (
        block.kind == "text"
        and len(block.lines) > 1
        and is_body(block.text)
        and not any(_is_meta_line(ln) for ln in block.lines)
    )


def _is_meta_block(block: Block) -> bool:
    """A byline or date block: its first line is a byline or a date (an affiliation may follow)."""
    return block.kind == "text" and bool(block.lines) and _is_meta_line(block.lines[0])


# "Posted on 12 May 2025 by Jane Doe", "Published March 3, 2024 by Jane Doe and John Roe".
_POSTED_BY = re.compile(
    r"^(?:(?:posted|published|written|updated|first published)\s+)?(?:on\s+)?"
    r"(?P<date>.{6,40}?)\s+by\s+(?P<names>\S.*)$",
    re.IGNORECASE,
)


def line_meta(line: str) -> tuple[tuple[Author, ...], str | None]:
    """The authors and the date a byline or date line states: "By A | Published 02 Nov 2024 |
    9 min read", "Posted on 12 May 2025 by A", "March 3, 2024", "By A and B"."""
    text = _BULLET.sub("", line.strip())
    if len(text) > 300:
        return (), None
    posted = _POSTED_BY.match(text)
    if posted and (date := date_line(posted.group("date"))):
        return parse_byline("By " + posted.group("names")), date
    date = date_line(text)
    if date and not _BY_PREFIX.match(text) and not _ASIDE_SEPARATOR.search(text):
        return (), date
    if date is None and _ASIDE_SEPARATOR.search(text):
        date = next((d for d in map(date_line, _ASIDE_SEPARATOR.split(text)) if d), None)
    return parse_byline(text), date


def _is_meta_line(line: str) -> bool:
    """A date line or a byline that says so ("By ...", "Posted on ... by ..."); a bare name
    could be a headline and is judged by `_without_byline_lines`."""
    text = _BULLET.sub("", line.strip())
    _, date = line_meta(line)
    if date:
        return True
    if word_count(text) > _MAX_BYLINE_WORDS:
        return False
    # Prose can open on "By" ("By contrast, ...", "By widening the port, officials ..."): a "By"
    # line is a byline when it names someone or does not end like a sentence ("By the Editors").
    if _BY_PREFIX.match(text):
        return bool(parse_byline(text)) or not is_sentence_like(text)
    return bool(_BULLET.match(line))


_MAX_BYLINE_WORDS = 30  # names, roles and an affiliation; a longer line is prose


# A kicker: section labels set above a headline ("Analysis | Maritime Security", "WORLD · ASIA").
_KICKER_SEPARATOR = re.compile(r"\s*[|·•/›»]\s*")  # not ":", which short headlines use


def is_kicker(line: str) -> bool:
    """Section labels, not a headline: short parts between separators ("Analysis | Maritime
    Security", "WORLD · ENERGY")."""
    parts = [p for p in _KICKER_SEPARATOR.split(line.strip()) if p]
    return len(parts) >= 2 and all(word_count(p) <= 3 for p in parts) and not is_sentence_like(line)


def _read_head(head: list[Block], hints: Hints) -> _Head:
    """Title, date and byline from the lines before the body; everything else there is chrome."""
    found = _Head()
    items: list[tuple[str, str]] = []  # (kind, line)
    first_of_block: list[int] = []  # for each item, the index of the first item of its block
    for block in head:
        start = len(items)
        if block.kind in ("title", "heading", "para"):
            items.append((block.kind, block.text))
        else:
            items.extend(("text", line) for line in block.lines)
        first_of_block.extend([start] * (len(items) - start))

    title_at: int | None
    explicit = [i for i, (kind, _) in enumerate(items) if kind == "title"]
    if explicit:
        title_at = explicit[0]
    else:
        meta_at = next(
            (i for i, (kind, line) in enumerate(items) if kind == "text" and _is_meta_line(line)), None
        )
        # The lower-case tail of a sentence (what is left when the page before it was lost)
        # is never a title.
        candidates = [
            i
            for i, (kind, line) in enumerate(items[:meta_at])
            if kind in ("text", "heading")
            and not date_line(line)
            and not (line[:1].islower() and is_sentence_like(line))
        ]
        candidates = _without_byline_lines(items, candidates)
        # A kicker above the headline and a standfirst under it are not the title, when a
        # better-shaped line is there.
        shaped = [i for i in candidates if not is_kicker(items[i][1])]
        candidates = shaped or candidates
        headline = [i for i in candidates if not items[i][1].rstrip().endswith((".", "!"))]
        candidates = headline or candidates
        if hints.title and "title" in hints.prefer:
            same = [i for i in candidates if items[i][1].casefold() == hints.title.casefold()]
            candidates = same or candidates
        if meta_at is not None or not candidates:
            # The title is the last block before the date/byline block (section labels sit above
            # it); a subtitle set on the line right under the title shares its block.
            title_at = candidates[-1] if candidates else None
            if title_at is not None and first_of_block[title_at] in candidates:
                title_at = first_of_block[title_at]
        else:
            # No byline to anchor on: skip one- or two-word section labels, and take the first
            # real line (a standfirst under the title is longer, not earlier).
            title_at = next((i for i in candidates if word_count(items[i][1]) >= 3), candidates[-1])
    if title_at is not None:
        found.title = items[title_at][1]

    after = items[title_at + 1 :] if title_at is not None else items
    pending: Author | None = None  # a name line whose affiliation may follow
    for kind, line in after:
        if kind != "text":
            continue
        # "By Jane Doe | March 3, 2024" is both a byline and a date line.
        authors, date = line_meta(line)
        if date:
            found.date = found.date or date
            pending = None
        if authors:
            known = {a.name for a in found.authors}
            found.authors.extend(a for a in authors if a.name not in known)
            pending = authors[-1] if authors[-1].affiliation is None else None
        if date or authors:
            continue
        if pending is not None and not is_sentence_like(line) and _mentions_institution(line):
            affiliation = clean_affiliation(_BULLET.sub("", line))
            if affiliation:
                found.authors[-1] = Author(name=pending.name, affiliation=affiliation)
            pending = None
            continue
        pending = None
    if found.date is None:
        for kind, line in items:
            if kind == "text" and (date := line_meta(line)[1]):
                found.date = date
                break
    return found


def _without_byline_lines(items: list[tuple[str, str]], candidates: list[int]) -> list[int]:
    """Drop a bare author name (and the affiliation line under it) from the title candidates,
    unless nothing above it could be the title."""
    kept: list[int] = []
    after_name = False
    for i in candidates:
        line = items[i][1]
        if kept and items[i][0] == "text" and parse_byline(line):
            after_name = True
            continue
        if after_name and _mentions_institution(line) and not is_sentence_like(line):
            continue
        after_name = False
        kept.append(i)
    return kept


def _mentions_institution(line: str) -> bool:
    """An affiliation line names an institution or a role ("5 min read" does neither)."""
    words = {w.strip(".,;:()").lower() for w in line.split()}
    return bool(words & _ORG_WORDS or words & _ROLE_WORDS)


def _inferred_heading(body: list[Block], index: int) -> bool:
    block = body[index]
    if len(block.lines) != 1 or not is_heading_like(block.text):
        return False
    following = body[index + 1] if index + 1 < len(body) else None
    return (
        following is not None and following.kind in ("text", "para") and not is_heading_like(following.text)
    )


def _trim_tail(body: list[Block]) -> list[Block]:
    """Drop short non-prose lines after the last body paragraph ("Back to Top", link lists)."""
    end = len(body)
    while end > 0:
        block = body[end - 1]
        if block.kind == "para" or (block.kind == "text" and is_body(block.text)):
            break
        if block.kind == "text" and is_sentence_like(block.text) and word_count(block.text) > 3:
            break
        end -= 1
    return body[:end]


# Back matter: what follows the argument and is about the piece, not part of it.
_BACK_MATTER = re.compile(
    r"^(?:about the (?:authors?|writers?|contributors?)\b"
    r"|(?:the )?(?:views|opinions) (?:expressed|in this)\b"
    r"|this (?:commentary|report|paper|article|brief|analysis|publication|essay) (?:is|was) "
    r"(?:part of|published|produced|written)"
    r"|cite (?:this|as)\b|suggested citation\b|to cite\b"
    r"|©|\(c\)\s(?=.*\b(?:19|20)\d\d\b)|copyright\b|reproduction\b|all rights reserved"
    r"|disclaimer\b"
    r"|(?:[A-Z][\w-]+ ){0,4}(?:report|brief|paper|commentary|memo|note)s? no\.?\s*\d)",
    re.IGNORECASE,
)
_BIO_VERB = re.compile(
    r"^(?P<name>(?:[A-Z][\w'’.-]+\s+){1,4}?)"
    r"(?:is|was|leads|heads|directs|serves|works|teaches|has been|writes)\b"
)
# Who drew the figures or wrote earlier versions: credits, never the argument.
_CREDIT = re.compile(
    r"\b(?:created|prepared|produced|designed|drew|made)\b.{0,30}\b(?:figures?|maps?|graphics?|charts?|illustrations?)\b"
    r"|^(?:figures?|maps?|graphics?|charts?|illustrations?)\s+(?:prepared|created|produced|designed) by\b"
    r"|\bco-?authored (?:previous|earlier|prior) versions?\b",
    re.IGNORECASE,
)


# The furniture of tables and figures in a report: captions ("Table 1. ..."), their source and
# note lines, chart-tool residue, a table's rows kept as text, the lettered notes under a table.
_CAPTION = re.compile(
    r"^(?:table|figure|fig\.|chart|map|exhibit|graph|box)\s+[A-Z]?[\dIVX]+(?:[.-]\d+)?\s*[.:–—]\s*\S", re.I
)
_FIGURE_NOTE = re.compile(
    r"^(?:sources?|notes?|source and notes?)\s*[:：]"
    r"|^(?:this )?(?:figure|table|map|chart|graphic) is interactive\b"
    r"|^created with [A-Z]\w+|^data (?:current|as) of\b",
    re.IGNORECASE,
)
_LETTERED_NOTE = re.compile(r"^[a-z]\.\s+\S")


def _drop_figure_furniture(body: list[Block]) -> list[Block]:
    """Leave out table and figure captions, their "Source:"/"Note:" lines and text-table rows;
    lettered notes ("a. ...") go only right after such furniture, where they annotate a table."""
    out: list[Block] = []
    after_figure = False
    for block in body:
        text = _BULLET.sub("", block.text.strip()).lstrip("*_ ")
        caption = word_count(text) <= 40 and bool(_CAPTION.match(text))
        row = text.count(" | ") >= 2 or (text.count("|") >= 3 and not is_sentence_like(text))
        if block.kind != "heading" and (caption or row or _FIGURE_NOTE.match(text)):
            after_figure = True
            continue
        if after_figure and block.kind != "heading" and _LETTERED_NOTE.match(text):
            continue
        after_figure = False
        out.append(block)
    return out


# The front-matter lists of a report (contents, lists of tables and figures, abbreviations): the
# headings GAO, CRS, CBO and most agency and think-tank reports give them, in any format.
_LISTING_HEADINGS = frozenset(
    {
        "contents",
        "table of contents",
        "tables",
        "figures",
        "tables and figures",
        "list of tables",
        "list of figures",
        "list of tables and figures",
        "abbreviations",
        "acronyms",
        "abbreviations and acronyms",
        "acronyms and abbreviations",
        "list of abbreviations",
        "list of acronyms",
    }
)
# A contents entry: "Table 3: Examples of Overlapping Timing ... 41", "Appendix II Department of ... 62".
_LISTING_ENTRY = re.compile(
    r"\b(?:Table|Figure|Appendix|Chart|Map|Box|Exhibit|Annex|Chapter)\s+(?:\d{1,3}|[IVXLC]{1,6})"
    r"(?:[.-]\d{1,3})?:?\s+[^.!?]{3,200}?\s\d{1,3}(?=\s|$)"
)
_ACRONYM_WORD = re.compile(r"^[A-Z][A-Z0-9&/-]*[A-Z0-9]s?$")
# The small words an expanded abbreviation is written with ("Bureau of Alcohol, Tobacco, and ...").
_GLOSSARY_GLUE = frozenset({"of", "and", "for", "the", "on", "in", "to", "at", "upon", "a", "an", "&"})
_MIN_GLOSSARY_WORDS = 20


def is_listing(text: str) -> bool:
    """A list of contents, tables or figures (three entries or more with their page numbers), or an
    abbreviations glossary (acronyms, each with its expansion, and almost no other lower-case
    word): no prose, though a PDF or a pasted text gives it as a paragraph."""
    if len(_LISTING_ENTRY.findall(text)) >= 3:
        return True
    words = [w.strip(",;:()") for w in text.split()]
    words = [w for w in words if w]
    if len(words) < _MIN_GLOSSARY_WORDS:
        return False
    at = [i for i, w in enumerate(words) if len(w) >= 2 and _ACRONYM_WORD.match(w)]
    prose = sum(1 for w in words if w[:1].islower() and w.lower() not in _GLOSSARY_GLUE)
    # Most acronyms are followed by their expansion: "FEMA Federal Emergency ..." (a list of
    # places, "June 10 – Tampa, FL @ ...", is acronyms too, but none is spelled out).
    spelled = sum(1 for i in at if i + 1 < len(words) and words[i + 1][:1] == words[i][:1])
    return (
        len(at) >= 6
        and len(at) >= 0.12 * len(words)
        and prose <= 0.08 * len(words)
        and spelled >= max(4, 0.4 * len(at))
    )


def _is_listing_heading(text: str) -> bool:
    return text.strip().rstrip(":").casefold() in _LISTING_HEADINGS


def _drop_listings(body: list[Block]) -> list[Block]:
    """Leave out front-matter lists and the headings over them (a "Tables" heading would otherwise
    label the paragraphs after it)."""
    out: list[Block] = []
    for block in body:
        if block.kind == "heading" and _is_listing_heading(block.text):
            continue
        if block.kind != "heading" and is_listing(block.text):
            continue
        out.append(block)
    return out


def _is_credit(text: str) -> bool:
    return word_count(text) <= 30 and bool(_CREDIT.search(text))


def _drop_back_matter(body: list[Block], authors: tuple[Author, ...]) -> list[Block]:
    """Drop what closes a piece after its argument: an "About the author" note or an author
    bio ("Jane Doe is a senior fellow at ..."), disclaimers, citation advice, copyright and
    series numbers. Only trailing blocks go; the same words earlier are left to the body."""
    names = {a.name.casefold() for a in authors} | {a.name.split()[-1].casefold() for a in authors if a.name}
    body = _before_colophon(body)
    end = len(body)
    while end > 0:
        block = body[end - 1]
        if block.kind == "heading" or not _is_back_matter(block.text, names):
            break
        end -= 1
    # A heading left with nothing under it ("About the authors") goes with its section.
    while end > 0 and body[end - 1].kind == "heading":
        end -= 1
    return body[:end] if end < len(body) else body


# The publisher's closing pages start with a copyright or public-domain notice: "This is a work of
# the U.S. government and is not subject to copyright protection ...", "© 2024 ... All rights
# reserved." After it come the publisher's mission, how to order copies, contacts and addresses
# (a GAO report's last four pages), none of it the argument.
_COLOPHON = re.compile(
    r"\bis a work of the (?:u\.s\.|united states|federal) government\b|\bnot subject to copyright\b"
    r"|\bmay be reproduced and distributed\b|\ball rights reserved\b",
    re.IGNORECASE,
)
# A bare copyright line is a weaker sign (a photo credit can start "© Reuters 2024"): it cuts only
# in the last 15 % of the body.
_COPYRIGHT_LINE = re.compile(f"^{_COPYRIGHT_OPENING}", re.IGNORECASE)
_COLOPHON_SHARE = 0.7  # only in the last part of the body: a notice earlier is the title page's
_COPYRIGHT_SHARE = 0.85
_MAX_COLOPHON_WORDS = 120


# The headings of a publisher's closing pages, the same in every report it issues: GAO's back cover
# (every GAO report and testimony since the 2000s), the inspector-general "report fraud" pages, and
# the "about" and contact pages think tanks and agencies close with.
_CLOSING_HEADINGS = re.compile(
    r"^(?:gao['’]s mission|obtaining copies of gao reports and testimony|order by (?:mail or )?phone"
    r"|to report fraud,? waste,? and abuse\b.*|connect with gao|congressional relations|public affairs"
    r"|strategic planning and external liaison|about (?:this (?:report|document|publication)|the publisher)"
    r"|contact us|for more information|media (?:contact|inquiries)|related (?:gao )?products)(?:\s|$)",
    re.IGNORECASE,
)


_SPACED_CAPITAL = re.compile(r"(?<=\b[A-Z]) (?=[a-z])")  # PDF text: "To R eport F raud"


def _before_colophon(body: list[Block]) -> list[Block]:
    """The body up to the first copyright or public-domain notice, or the first heading of the
    publisher's closing pages, in its last 30 % of paragraphs."""
    texts = [i for i, b in enumerate(body) if b.kind != "heading"]
    if not texts:
        return body
    rank = {index: k for k, index in enumerate(texts)}  # position among the text blocks
    start = texts[int(len(texts) * _COLOPHON_SHARE)]
    for index in range(start, len(body)):
        block = body[index]
        if block.kind == "heading":
            # PDF text may space a word apart: compare without those spaces too
            heading = block.text.strip()
            if _CLOSING_HEADINGS.match(heading) or _CLOSING_HEADINGS.match(_SPACED_CAPITAL.sub("", heading)):
                return body[:index]
            continue
        if word_count(block.text) > _MAX_COLOPHON_WORDS:
            continue
        late = rank[index] >= len(texts) * _COPYRIGHT_SHARE
        if _COLOPHON.search(block.text) or (late and _COPYRIGHT_LINE.match(block.text)):
            return body[:index]
    return body


def _is_back_matter(text: str, names: set[str]) -> bool:
    line = _BULLET.sub("", text.strip()).lstrip("*_ ")
    if _BACK_MATTER.match(line):
        return True
    bio = _BIO_VERB.match(line)
    if bio and word_count(line) <= 80:
        name = bio.group("name").strip().casefold()
        words = {w.strip(".,;:()").lower() for w in line.split()}
        if (
            name in names
            or name.split()[-1] in names
            or (looks_like_name(bio.group("name").strip()) and words & _ROLE_WORDS)
        ):
            return True
    return False


def title_from_path(path) -> str:
    """Last resort when a source states no title: its file name, humanised."""
    from pathlib import Path

    stem = Path(path).stem.replace("_", " ").replace("-", " ").strip()
    return stem[:1].upper() + stem[1:] if stem else "Untitled"
