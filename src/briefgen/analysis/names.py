"""Patterns for names of instruments, shared by the frameworks (which report them) and the actor
finder (which must not take a word inside one for an actor: "Lower Costs for Everyday Americans Act").

Every run of words is bounded: at most MAX_NAME_WORDS words, each matched possessively and started
at a word boundary, so no input (a 60,000-character word, 10,000 capitalised words without a full
stop) makes a pattern backtrack over a run.
"""

from __future__ import annotations

import re

from . import lexicon

MAX_NAME_WORDS = 12
INSTRUMENT_HEADS = lexicon.alternation("instrument_words")
# A capitalised phrase ending in an instrument word (data/instrument_words.txt); connectors may sit
# between its capitalised words; "of 2016" and "on the Law of the Sea" may follow.
INSTRUMENT_NAME = re.compile(
    r"(?<![\w.-])((?:(?:[A-Z][\w.\-]*+|\d{1,4})\s++(?:(?:of|the|and|for|on|in|to|&)\s++){0,3})"
    rf"{{1,{MAX_NAME_WORDS}}}"
    rf"(?:{INSTRUMENT_HEADS}))(?![\w-])(?:\s+of\s+(\d{{4}}))?"
    # "Convention on the Law of the Sea", "Agreement on the Path to Normalisation", "Plan of Action"
    r"(?P<tail>\s+(?:on|against|for|of)\s+(?:the\s+)?[A-Z][\w\-]*+"
    rf"(?:\s++(?:(?:of|the|and|on|in|to)\s++){{0,3}}[A-Z][\w\-]*+){{0,{MAX_NAME_WORDS}}})?"
    # A name running on in capitals past the head word ("Standardized Program Structure and
    # Definitions", "Initiative Agencies") is something else, not this instrument.
    r"(?!\s+[A-Z][a-z])"
)
