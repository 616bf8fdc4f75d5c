"""`make bench`: every benchmark in turn, each printing its figures and its baseline ratio."""

from __future__ import annotations

import asyncio
import importlib

BENCHMARKS = ["bench.architecture", "bench.footprint", "bench.ack", "bench.delivery",
              "bench.scaleout", "bench.email_intake", "bench.similar", "bench.themes",
              "bench.themes_scale", "bench.replies", "bench.subprojects", "bench.wishes",
              "bench.guidelines", "bench.guideline_cards", "bench.site",
              "bench.decision_scale", "bench.scale", "bench.export_ack"]


def main() -> int:
    status = 0
    for name in BENCHMARKS:
        module = importlib.import_module(name)
        status |= asyncio.run(module.main())
        print()
    return status


if __name__ == "__main__":
    raise SystemExit(main())
