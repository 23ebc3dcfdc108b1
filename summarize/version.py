"""The tool's version: in every brief, run.json and the article key (a new version redoes every article)."""

__version__ = "0.1.0"
