#!/usr/bin/env python3
"""Regenerate the fact columns of requirements.tsv from the shared catalog.

Facts (id, section, title, actor, level, testable, descriptive, since) are copied or derived from
virtio-requirements.tsv; the `summary` column is our own wording and is kept from the existing file,
matched by id. The script refuses to write a row that has no summary yet unless --allow-missing is given,
so the catalog's sentences can never leak into the project by accident.

usage: sync-requirements.py CATALOG.tsv REQUIREMENTS.tsv [--allow-missing]
"""
import csv
import re
import sys

# README section 6 of the catalog: statements absent from VirtIO 1.2.
SINCE_1_3 = ["features.drv.3", "features.drv.4", "features.drv.7", "features.dev.4",
             "mmio.dev.14", "mmio.drv.31", "blk.drv.11", "blk.dev.19", "blk.dev.20"]
SINCE_1_3_RANGES = [("blk.drv", 5, 10), ("blk.drv", 27, 39), ("blk.dev", 5, 18),
                    ("blk.dev", 37, 59), ("blk-desc.dev", 14, 18)]
SINCE_1_4 = ["blk-desc.dev.4"]
COLUMNS = ["id", "section", "title", "actor", "level", "testable", "descriptive", "since", "summary"]


def since(req_id):
    if req_id.startswith("suspend.") or req_id in SINCE_1_4:
        return "1.4"
    if req_id in SINCE_1_3:
        return "1.3"
    prefix, number = req_id.rsplit(".", 1)
    if any(prefix == p and lo <= int(number) <= hi for p, lo, hi in SINCE_1_3_RANGES):
        return "1.3"
    return "1.2"


def read_tsv(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


def main(catalog_path, target_path, allow_missing):
    try:
        summaries = {row["id"]: row["summary"] for row in read_tsv(target_path)}
    except FileNotFoundError:
        summaries = {}
    rows, missing = [], []
    for entry in read_tsv(catalog_path):
        req_id = entry["id"]
        summary = summaries.get(req_id, "")
        if not summary:
            missing.append(req_id)
        rows.append([req_id, entry["spec_section"], entry["section_title"], entry["actor"],
                     entry["level"], entry["driver_side_testable"],
                     "true" if re.match(r"\[descriptive", entry["summary"]) else "false",
                     since(req_id), summary])
    if missing and not allow_missing:
        sys.exit(f"{len(missing)} ids have no summary yet, first: {missing[0]}")
    with open(target_path, "w", newline="", encoding="utf-8") as f:
        f.write("\t".join(COLUMNS) + "\n")
        for row in rows:
            f.write("\t".join(row) + "\n")


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    if len(args) != 2:
        sys.exit(__doc__)
    main(args[0], args[1], "--allow-missing" in sys.argv)
