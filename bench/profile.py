#!/usr/bin/env python3
"""Where does an okr command spend its time? Samples it with `perf record` and sorts every sample into a phase
by the okr (or gix) frames on its stack.

    bench/profile.py [--okr PATH] [--freq HZ] [--perf-data FILE] -- -C REPO history --quarter 2025-Q1 --format json

Prints, per phase, the share of all CPU samples (every thread), the estimated CPU seconds and how much of
it is spent inside the allocator. Needs `perf`
(linux-perf) and a release binary with line tables (the crate's release profile has `debug =
"line-tables-only"`). Phases are matched by function names anywhere on the stack, in the priority order of PHASES. Names that stop matching after a refactor fall
into "other okr": update PHASES then. okr's walk cache applies as in any run (a repeated run skips most of
the walk): set OKR_CACHE=off to profile a first run.
"""

from __future__ import annotations

import argparse
import collections
import os
import subprocess
import sys
import tempfile

# (phase, substrings of a frame's symbol), in priority order: a sample belongs to the first phase any frame of
# its stack matches.
ALLOCATOR = ["mi_", "malloc", "_int_free", "cfree", "realloc", "__libc_free"]
PHASES = [
    ("decode to model (okr::core::decode)", ["okr::core::decode::"]),
    ("YAML parse (saphyr + okr::core::yaml)", ["okr::core::yaml::", "saphyr"]),
    ("cutting files into pieces, assembling revisions (okr::core::piecewise)", ["okr::core::piecewise::"]),
    ("semantic compare (okr::core::compare, merge)", ["okr::core::compare::", "okr::core::merge::"]),
    ("the walk: the quarter folder's tree in each commit (touching, folder_at)",
     ["okr::repo::git::touching::", "okr::repo::git::folder_at", "okr::repo::git::folder_in", "okr::repo::walk::",
      "okr::repo::walk_cache::"]),
    ("folder tree listings (list_files)", ["okr::repo::git::list_files", "okr::repo::git::Git::files_in",
                                           "okr::repo::git::Reader::files_in", "okr::repo::revisions::Revisions::listing"]),
    ("commit metadata (read_commit)", ["okr::repo::git::read_commit", "okr::repo::git::Git::commit"]),
    ("blob reads (read_blob, with_blob)", ["okr::repo::git::read_blob", "with_blob", "okr::repo::git::Git::blob"]),
    ("output (okr::render, serde_json, okr::Output, anstream)",
     ["okr::render::", "serde_json::", "okr::Output", "anstream", "anstyle"]),
    ("snapshots, events, check-ins (okr::repo::changes/history/revisions)",
     ["okr::repo::changes::", "okr::repo::history::", "okr::repo::revisions::"]),
    ("validate rules (okr::core::rules)", ["okr::core::rules::"]),
    ("file reading + per-file bookkeeping (okr::repo::load::load, std::fs, walkdir)", ["okr::repo::load::load", "std::fs::", "walkdir"]),
    ("other okr", ["okr::"]),
    ("gix (other)", ["gix"]),
    ("rayon scheduling / idle", ["rayon_core::"]),
]


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    p.add_argument("--okr", default=os.path.join(root, "target", "release", "okr"))
    p.add_argument("--freq", type=int, default=2000)
    p.add_argument("--perf-data", help="keep perf's data here (default: a temporary file)")
    p.add_argument("args", nargs=argparse.REMAINDER, help="okr's arguments, after --")
    a = p.parse_args()
    args = a.args[1:] if a.args[:1] == ["--"] else a.args
    if not args:
        p.error("give okr's arguments after --")
    with tempfile.TemporaryDirectory() as tmp:
        data = a.perf_data or os.path.join(tmp, "perf.data")
        with open(os.devnull, "wb") as null:
            subprocess.run(["perf", "record", "-q", "-F", str(a.freq), "--call-graph", "dwarf,32768", "-o", data,
                            a.okr, *args], stdout=null, check=True)
        script = subprocess.run(["perf", "script", "-i", data, "-F", "comm,tid,period,ip,sym"],
                                capture_output=True, text=True, check=True).stdout
    counts: collections.Counter[str] = collections.Counter()
    alloc: collections.Counter[str] = collections.Counter()
    other: collections.Counter[str] = collections.Counter()  # innermost okr frame of "other okr" samples
    total = 0
    for block in script.split("\n\n"):
        lines = [l.strip() for l in block.strip().splitlines()]
        if len(lines) < 2:
            continue
        total += 1
        phase = None
        innermost = lines[1].split(" ", 1)[1] if " " in lines[1] else lines[1]
        in_allocator = any(n in innermost for n in ALLOCATOR)
        syms = [f.split(" ", 1)[1] if " " in f else f for f in lines[1:]]
        for name, needles in PHASES:
            if any(n in sym for sym in syms for n in needles):
                phase = name
                break
        counts[phase or "kernel / libc / start-up"] += 1
        if phase == "other okr":
            other[next(sym for sym in syms if "okr::" in sym)] += 1
        if in_allocator:
            alloc[phase or "kernel / libc / start-up"] += 1
    if not total:
        sys.exit("profile.py: perf recorded no samples")
    seconds = total / a.freq
    print(f"{total} samples at {a.freq} Hz = about {seconds:.2f} s of CPU (all threads)")
    print("  share  CPU s   (of it in malloc/free)  phase")
    for name, n in counts.most_common():
        print(f"{100 * n / total:6.1f}%  {n / a.freq:6.3f} s  ({100 * alloc[name] / total:4.1f}%)  {name}")
    print(f"malloc/free in all: {100 * sum(alloc.values()) / total:.1f}%")
    if other:
        print("'other okr', by innermost okr function:")
        for sym, n in other.most_common(8):
            print(f"{100 * n / total:6.1f}%  {sym[:110]}")


if __name__ == "__main__":
    main()
