#!/usr/bin/env python3
"""Latency of `okr lsp`, measured as an editor sees it: a client speaking LSP over the server's stdin/stdout.

  lsp.py diagnostics --okr BIN --tree DIR [--edits 50] [--edit confidence|id|aligns_to] [--file NAME] [--watch]
                      [--pause MS]
      Opens one file of the tree DIR (an okr workspace, e.g. from `generate.py --validate-files`), then sends
      EDITS whole-text changes to it, each waiting for the diagnostics published for it; prints the time from
      writing each `didChange` to reading its `publishDiagnostics`. Edits alternate between the file edited
      and the file as it was: `confidence` makes a key result's confidence 7 (a problem in the file, nothing
      another file sees), `id` renames the first objective (what other files align to), `aligns_to` cuts the
      last three characters of the first `aligns_to` value, as while it is typed (an unknown alignment, whose
      "did you mean" is chosen among the quarter's names). With --watch the client watches files for the
      server (as VS Code does), so the server need not look for files changed on disk at each edit.
      With --pause the client waits MS milliseconds (untimed) before each edit, as keystrokes are apart:
      what the server does after publishing an edit's diagnostics (checking the other files the edit
      touches) is then not counted in the next edit's time, as it is when edits follow at once.

  lsp.py hover --okr BIN --repo DIR [--repeats 20]
      Hovers on a key result's id in the newest quarter of the git repository DIR (e.g. bench/run's 5,000-commit
      repository): the first hover reads the quarter's history from git, the next REPEATS find it kept. Run with
      an empty walk cache (OKR_CACHE_DIR pointing at an empty folder) for a first start, again for a repeated one.

Prints one JSON object per run on stdout; times in milliseconds (median, p95, max of the runs).
"""

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path


class Client:
    def __init__(self, okr: str, root: Path):
        self.proc = subprocess.Popen([okr, "lsp"], cwd=root, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self.next_id = 1
        self.root = root.resolve()

    def send(self, message: dict) -> None:
        body = json.dumps(message).encode()
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def read(self) -> dict:
        length = None
        while True:
            line = self.proc.stdout.readline()
            if not line:
                sys.exit("lsp.py: okr lsp closed its output")
            line = line.strip()
            if not line:
                break
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        return json.loads(self.proc.stdout.read(length))

    def request(self, method: str, params: dict) -> dict:
        request_id = self.next_id
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": request_id, "method": method, "params": params})
        while True:
            message = self.read()
            if message.get("id") == request_id:
                if "error" in message:
                    sys.exit(f"lsp.py: {method} failed: {message['error']}")
                return message["result"]

    def notify(self, method: str, params: dict) -> None:
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def wait_diagnostics(self, uri: str, version: int) -> list:
        """The diagnostics okr lsp publishes for `uri` at `version` of its text; those of an earlier version
        (another open file's edit can republish this one) are not the answer timed."""
        while True:
            message = self.read()
            if (message.get("method") == "textDocument/publishDiagnostics" and message["params"]["uri"] == uri
                    and message["params"].get("version") == version):
                return message["params"]["diagnostics"]

    def initialize(self, watch: bool = False) -> float:
        """With `watch`, the client says it can watch files for the server, as VS Code does, and agrees when
        okr asks it to (it never reports a change: the tree does not change while it is measured)."""
        started = time.perf_counter()
        root = self.root.as_uri()
        capabilities = {"workspace": {"didChangeWatchedFiles": {"dynamicRegistration": True}}} if watch else {}
        self.request("initialize", {"processId": None, "rootUri": root, "capabilities": capabilities,
                                    "workspaceFolders": [{"uri": root, "name": "bench"}]})
        self.notify("initialized", {})
        if watch:
            while True:
                message = self.read()
                if message.get("method") == "client/registerCapability":
                    self.send({"jsonrpc": "2.0", "id": message["id"], "result": None})
                    break
        return (time.perf_counter() - started) * 1000

    def close(self) -> None:
        self.request("shutdown", None)
        self.notify("exit", None)
        self.proc.wait(timeout=30)


def summary(times: list) -> dict:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return {"runs": len(times), "median_ms": round(statistics.median(ordered), 2), "p95_ms": round(p95, 2),
            "max_ms": round(ordered[-1], 2)}


def diagnostics(args) -> None:
    tree = Path(args.tree).resolve()
    files = sorted((tree / "okrs").glob("*/*.yaml"))
    if not files:
        sys.exit(f"lsp.py: no OKR files under {tree}/okrs")
    # A file in the middle of the tree, so neither the first nor the last quarter or team; or the one named.
    path = files[len(files) // 2]
    if args.file:
        named = [f for f in files if f.name == args.file]
        if not named:
            sys.exit(f"lsp.py: no file named {args.file} in {tree}")
        path = named[len(named) // 2]
    aligned = re.compile(r"(?m)^(    aligns_to: )(\S+)\S{3}$")
    if args.edit == "aligns_to" and not args.file:
        # Not every team aligns to something: the middle file of those that do.
        with_alignment = [f for f in files if aligned.search(f.read_text())]
        if not with_alignment:
            sys.exit(f"lsp.py: no file of {tree} has an aligns_to")
        path = with_alignment[len(with_alignment) // 2]
    text = path.read_text()
    if args.edit == "id":
        # The first objective's id renamed: what it defines changes, so the files aligning to it are checked.
        edited = re.sub(r"(?m)^(  - id: )(\S+)$", r"\1\2-renamed", text, count=1)
    elif args.edit == "aligns_to":
        # The first `aligns_to` value half typed (its last three characters not yet): unknown, so a "did you
        # mean" is chosen among the quarter's names.
        edited = aligned.sub(r"\1\2", text, count=1)
    else:
        # A key result's confidence out of range: its own confidence replaced, else one added under its title.
        edited = re.sub(r"(?m)^( {8})confidence: \S+$", r"\1confidence: 7", text, count=1)
        if edited == text:
            edited = re.sub(r"(?m)^( {8})title: (.*)$", r"\1title: \2\n\1confidence: 7", text, count=1)
    if edited == text:
        sys.exit(f"lsp.py: {path} has nothing to edit")
    client = Client(args.okr, tree)
    load_ms = client.initialize(args.watch)
    uri = path.as_uri()
    started = time.perf_counter()
    client.notify("textDocument/didOpen",
                  {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": text}})
    client.wait_diagnostics(uri, 1)
    open_ms = (time.perf_counter() - started) * 1000
    times = []
    for edit in range(args.edits):
        body = edited if edit % 2 == 0 else text
        if args.pause:
            time.sleep(args.pause / 1000)
        started = time.perf_counter()
        version = edit + 2
        client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version},
                                                 "contentChanges": [{"text": body}]})
        found = client.wait_diagnostics(uri, version)
        times.append((time.perf_counter() - started) * 1000)
        codes = [d.get("code") for d in found]
        expected = {"confidence": "invalid-value", "aligns_to": "unknown-alignment"}.get(args.edit)
        if expected and (edit % 2 == 0) != (expected in codes):
            sys.exit(f"lsp.py: edit {edit}: unexpected diagnostics {codes}")
    client.close()
    quarter_files = len(list(path.parent.glob("*.yaml")))
    print(json.dumps({"measure": "didChange → publishDiagnostics", "edit": args.edit, "watch": args.watch, "pause_ms": args.pause,
                      "files": len(files),
                      "files_in_quarter": quarter_files, "file": str(path.relative_to(tree)),
                      "initialize_ms": round(load_ms, 1), "open_ms": round(open_ms, 1), **summary(times)}))


def hover(args) -> None:
    repo = Path(args.repo).resolve()
    quarters = sorted(p for p in (repo / "okrs").iterdir() if p.is_dir())
    files = sorted(quarters[-1].glob("*.yaml"))
    if not files:
        sys.exit(f"lsp.py: no OKR files in {quarters[-1]}")
    path = files[len(files) // 2]
    text = path.read_text()
    lines = text.split("\n")
    # The second key result id of the file: `      - id: ...` under `key_results:`.
    spots = [(n, line.index("id:") + 4) for n, line in enumerate(lines) if re.match(r"^ {6}- id: \S", line)]
    if not spots:
        sys.exit(f"lsp.py: no key result id in {path}")
    line, character = spots[min(1, len(spots) - 1)]
    client = Client(args.okr, repo)
    client.initialize()
    uri = path.as_uri()
    client.notify("textDocument/didOpen",
                  {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": text}})
    client.wait_diagnostics(uri, 1)
    params = {"textDocument": {"uri": uri}, "position": {"line": line, "character": character}}
    times = []
    shown = ""
    for _ in range(args.repeats + 1):
        started = time.perf_counter()
        result = client.request("textDocument/hover", params)
        times.append((time.perf_counter() - started) * 1000)
        shown = (result or {}).get("contents", {}).get("value", "")
    client.close()
    if "History this quarter" not in shown:
        sys.exit(f"lsp.py: the hover shows no history:\n{shown}")
    commits = subprocess.run(["git", "-C", str(repo), "rev-list", "--count", "HEAD", "--", f"okrs/{quarters[-1].name}"],
                             capture_output=True, text=True, check=True).stdout.strip()
    print(json.dumps({"measure": "hover with history", "file": str(path.relative_to(repo)),
                      "quarter_commits": int(commits), "first_ms": round(times[0], 2),
                      "repeated": summary(times[1:]),
                      "history_line": next((l for l in shown.split("\n") if "History" in l), "")}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="what", required=True)
    d = sub.add_parser("diagnostics")
    d.add_argument("--okr", required=True)
    d.add_argument("--tree", required=True)
    d.add_argument("--edits", type=int, default=50)
    d.add_argument("--edit", choices=["confidence", "id", "aligns_to"], default="confidence")
    d.add_argument("--file", help="the name of the file to edit (the middle one of that name)")
    d.add_argument("--watch", action="store_true", help="a client that watches files for the server")
    d.add_argument("--pause", type=float, default=0, help="milliseconds waited (untimed) before each edit")
    h = sub.add_parser("hover")
    h.add_argument("--okr", required=True)
    h.add_argument("--repo", required=True)
    h.add_argument("--repeats", type=int, default=20)
    args = parser.parse_args()
    if not os.access(args.okr, os.X_OK):
        sys.exit(f"lsp.py: {args.okr} is not an executable")
    {"diagnostics": diagnostics, "hover": hover}[args.what](args)


if __name__ == "__main__":
    main()
