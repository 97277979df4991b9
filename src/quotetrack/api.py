"""The Python API: one function per CLI command, with the same name and parameters.

Each function composes the stage modules (ingest → extract → resolve → store → publish);
none of them prints. ``cli.py`` is a thin layer over this module.
"""

from __future__ import annotations
