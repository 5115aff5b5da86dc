"""LetterDesk: plan, request and track letters of recommendation."""

__version__ = "0.1.0"
APP_NAME = "LetterDesk"
