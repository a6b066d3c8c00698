"""Name matching quality (issue 10): precision and recall of the registry name matcher
at the threshold in use (REGISTRY_NAME_MIN_SCORE) on the labelled pairs in
tests/data/name_pairs.tsv, overall and per kind of pair, one JSON line per figure.
Targets: precision ≥ 0.98, recall ≥ 0.95. `--show` lists the pairs it gets wrong."""

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402

from dinsos_sync.matching import measure, read_pairs  # noqa: E402

TABLE = ROOT / "tests" / "data" / "name_pairs.tsv"


def main() -> None:
    pairs = read_pairs(TABLE)
    threshold = settings.REGISTRY_NAME_MIN_SCORE
    overall = measure([(a, b, same) for a, b, same, _kind in pairs], threshold)
    print(
        json.dumps(
            {
                "benchmark": "name_matching",
                "pairs": len(pairs),
                "same": sum(1 for p in pairs if p[2]),
                "threshold": threshold,
                "precision": round(overall.precision, 4),
                "recall": round(overall.recall, 4),
                "targets": {"precision": 0.98, "recall": 0.95},
                "met": overall.precision >= 0.98 and overall.recall >= 0.95,
            }
        )
    )
    for kind in sorted({p[3] for p in pairs}):
        chosen = [(a, b, same) for a, b, same, k in pairs if k == kind]
        part = measure(chosen, threshold)
        # Per kind: how many of its same-person pairs are matched, and how many of its
        # different-people pairs are wrongly matched (precision needs both at once).
        print(
            json.dumps(
                {
                    "benchmark": "name_matching",
                    "kind": kind,
                    "pairs": len(chosen),
                    "same_matched": f"{sum(1 for p in chosen if p[2]) - len(part.missed_matches)}"
                    f"/{sum(1 for p in chosen if p[2])}",
                    "different_matched": f"{len(part.false_matches)}"
                    f"/{sum(1 for p in chosen if not p[2])}",
                }
            )
        )
    if "--show" in sys.argv:
        for a, b, score in overall.false_matches:
            print(f"false match  {score:3d}  {a} / {b}")
        for a, b, score in overall.missed_matches:
            print(f"missed match {score:3d}  {a} / {b}")


if __name__ == "__main__":
    main()
