"""Extraction gives the very same text as when the digests were written (speed work must not change it).

The digests cover every Markdown file of the repository (handbook, test
fixtures, exercises), seeded generated handbooks like the benchmarks' and a
few odd cases; see :mod:`extraction_corpus`.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from extraction_corpus import DIGESTS, digests


def test_extraction_output_is_unchanged() -> None:
    expected = json.loads(DIGESTS.read_text(encoding="utf-8"))
    found = digests()
    assert found.keys() == expected.keys()
    changed = sorted(name for name in found if found[name] != expected[name])
    assert not changed, f"extraction output changed for {changed[:10]}"
