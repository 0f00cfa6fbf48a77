"""briefgen: turn source documents into cited policy memos."""

__version__ = "0.1.0"
