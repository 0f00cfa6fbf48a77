"""Every default value and bound of the build options, as plain constants.

`options.BuildOptions` (the schema: types, validation) takes its defaults from here, and so do the
CLI's flags; nothing else writes these numbers. Nothing heavy is imported: reading a default costs
nothing.
"""

from __future__ import annotations

from typing import Literal

Format = Literal["docx", "pdf"]
FORMATS: tuple[Format, ...] = ("docx", "pdf")
DEFAULT_AUDIENCES = ("memo",)
DEFAULT_FORMATS = FORMATS
DEFAULT_OUT = "out"

KEY_POINTS_DEFAULT = 6  # what an analysis selects when neither the audience nor the user says
KEY_POINTS_RANGE = (1, 50)
# A source larger than this is refused before it is read: no policy document is 50 MB of text,
# and a reader given one would hold several copies of it in memory.
MAX_BYTES = 50_000_000
# The analysis keeps a parse of every sentence (about 1 GB of memory per MB of text) and runs in
# time linear in the text. Two million characters (some 300,000 words, longer than any report)
# bounds both; a longer text is refused before the slow part starts.
MAX_CHARS = 2_000_000
# Wall-clock seconds one source may take (read, analyse, render every memo of it). A 300-page
# report takes about a minute on one core; ten minutes leaves room for a slow machine while
# still ending a source that would never finish.
TIMEOUT = 600.0
