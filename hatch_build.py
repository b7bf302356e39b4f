"""Wheel build hook: add a validated, pre-indexed snapshot of the corpus (see kzcli/snapshot.py).

Editable installs and sdists get none: there kz parses data/report.json as usual.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class SnapshotBuildHook(BuildHookInterface):  # type: ignore[type-arg]
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel" or version == "editable":
            return
        root = Path(self.root)
        sys.path.insert(0, str(root / "src"))
        try:
            from kzcli.snapshot import SNAPSHOT_NAME, make

            snapshot = make((root / "data" / "report.json").read_bytes())
        finally:
            sys.path.remove(str(root / "src"))
        out = Path(tempfile.mkdtemp(prefix="kz-snapshot-")) / SNAPSHOT_NAME
        out.write_bytes(snapshot)
        build_data["force_include"][str(out)] = f"kzcli/data/{SNAPSHOT_NAME}"
