"""Wheel build hook: add a validated, pre-indexed snapshot of the corpus (see kzcli/memory.py).

Editable installs and sdists get none: there kz parses data/report.json as usual.
"""

from __future__ import annotations

import shutil
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
            from kzcli.loading import make_snapshot
            from kzcli.validity import SNAPSHOT_NAME

            snapshot = make_snapshot(str(root / "data" / "report.json"))
        finally:
            sys.path.remove(str(root / "src"))
        self._scratch = Path(tempfile.mkdtemp(prefix="kz-snapshot-"))
        out = self._scratch / SNAPSHOT_NAME
        out.write_bytes(snapshot)
        build_data["force_include"][str(out)] = f"kzcli/data/{SNAPSHOT_NAME}"

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        scratch = getattr(self, "_scratch", None)
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)
