# The language server's latency: `BENCH_SHAPE=lsp bench/run` sources this file after building okr and defining
# its helpers (repo_for, validate_tree, fmt, log, die), and measures with bench/lsp.py, a client speaking LSP to
# `okr lsp` over its stdin and stdout, as an editor does:
#   - diagnostics: the time from writing a `didChange` (the whole text, as okr asks editors to send it) of one
#     file to reading the `publishDiagnostics` for it, over BENCH_LSP_EDITS edits, in two trees of 10,000
#     files: bench/run's validate tree (40 quarters of 250 teams) and one quarter of 10,000 teams (the
#     organisation shape, where the cross-file rules compare the edited file with 9,999 others); an edit
#     other files cannot see (a confidence), and an objective's id renamed, in a team's file and in the
#     file of `company`, which every team aligns to; in the organisation shape, each also by a client that
#     watches files for the server (as VS Code does: lsp.py --watch), which spares it looking for files
#     changed on disk at each edit; and company's rename by a watching client once more with edits 100 ms
#     apart (lsp.py --pause), as keystrokes come, where the others are sent back to back;
#   - hover with history: on a key result of the newest quarter of the 5,000-commit repository, the first
#     hover (which reads the quarter's history from git) and BENCH_LSP_HOVERS more (which find it kept), once
#     with an empty walk cache and once with the cache the first server filled.
# Results go to stdout and target/bench/results-lsp.md; docs/performance.md explains them.
#
# Settings (environment), besides bench/run's BENCH_SKIP_BUILD and BENCH_SEED:
#   BENCH_LSP_EDITS=50    edits timed in each tree
#   BENCH_LSP_HOVERS=20   repeated hovers timed after the first

lsp_edits=${BENCH_LSP_EDITS:-50}
lsp_hovers=${BENCH_LSP_HOVERS:-20}
results="$out_dir/results-lsp.md"
for n in "$lsp_edits" "$lsp_hovers"; do
  [[ $n =~ ^[0-9]+$ ]] && (( n >= 1 )) || die "BENCH_LSP_EDITS and BENCH_LSP_HOVERS must be whole numbers >= 1"
done

# One quarter of 10,000 team files (no git: diagnostics need none).
one_quarter_tree() {
  local dir="$out_dir/lsp-quarter-s$seed-f10000-$gen_key"
  if [[ ! -f $dir.complete ]]; then
    rm -rf "$dir"
    log "generating one quarter of 10000 team files into ${dir#"$root/"}"
    python3 bench/generate.py --seed "$seed" --validate-files 10000 --quarters 1 --teams 10000 --out "$dir" >&2 \
      || die "generate.py --validate-files failed"
    touch "$dir.complete"
  fi
  echo "$dir"
}

# Keeps the fields of lsp.py's JSON line that the tables show.
field() { python3 -c 'import json, sys; v = json.loads(sys.argv[1])
for k in sys.argv[2].split("."): v = v[k]
print(v)' "$1" "$2"; }

diagnostic_rows=()
many=$(validate_tree)
one=$(one_quarter_tree)
# tree, edit, file name ("-" for the middle file of the tree), client ("-", or "watch" for one watching
# files), milliseconds between edits ("-" for none: each edit sent as soon as the last one's diagnostics came)
specs=("$many confidence - - -")
for client in - watch; do
  specs+=("$one confidence - $client -" "$one id - $client -" "$one id company.yaml $client -" "$one aligns_to - $client -")
done
# The rename thousands of files align to, typed: a keystroke comes after the server has checked those files
# for the last one, so its own file's diagnostics are what the editor waits for.
specs+=("$one id company.yaml watch 100")
for spec in "${specs[@]}"; do
  read -r tree edit name client pause <<<"$spec"
  [[ $name == - ]] && name=
  [[ $client == - ]] && client=
  [[ $pause == - ]] && pause=
  log "lsp: diagnostics after $lsp_edits edits ($edit${name:+ of $name}${client:+, a client watching files}${pause:+, $pause ms apart}) in ${tree#"$root/"}"
  line=$(python3 bench/lsp.py diagnostics --okr "$okr" --tree "$tree" --edits "$lsp_edits" --edit "$edit" ${name:+--file "$name"} ${client:+--watch} ${pause:+--pause "$pause"}) \
    || die "lsp.py diagnostics failed"
  gap=${pause:+$pause ms}
  diagnostic_rows+=("| $(field "$line" files) files, $(field "$line" files_in_quarter) in the edited file's quarter | $(field "$line" file) | $edit | ${client:-no} | ${gap:-none} | $(field "$line" median_ms) ms | $(field "$line" p95_ms) ms | $(field "$line" max_ms) ms | $(field "$line" initialize_ms) ms |")
  echo "   $line" >&2
done

repo=$(repo_for 5000)
hover_rows=()
cache=$(mktemp -d)
for start in "empty walk cache" "walk cache filled"; do
  log "lsp: hover with history on the 5000-commit repository, $start"
  line=$(OKR_CACHE_DIR="$cache" python3 bench/lsp.py hover --okr "$okr" --repo "$repo" --repeats "$lsp_hovers") \
    || die "lsp.py hover failed"
  hover_rows+=("| $start | $(field "$line" quarter_commits) | $(field "$line" first_ms) ms | $(field "$line" repeated.median_ms) ms | $(field "$line" repeated.p95_ms) ms |")
  echo "   $line" >&2
done
rm -rf "$cache"

total=$(awk -v a="$started" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.0f", b - a }')
load_end=$(cut -d' ' -f1-3 /proc/loadavg)
{
  echo "# okr lsp latency ($(date -u +%Y-%m-%dT%H:%MZ); okr at $okr_rev, built $okr_built)"
  echo
  echo "Machine: $(nproc) cores, $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo), $(awk '/^MemTotal/ { printf "%.0f GB", $2 / 1048576 }' /proc/meminfo) RAM; $(rustc --version)"
  echo "Load average before / after: $load_start / $load_end"
  echo
  echo "## Diagnostics: didChange → publishDiagnostics ($lsp_edits edits of one file)"
  echo
  echo "| tree | file | edit | client watches files | pause between edits | median | p95 | max | initialize (reading the tree) |"
  echo "|---|---|---|---|---|---|---|---|---|"
  printf '%s\n' "${diagnostic_rows[@]}"
  echo
  echo "## Hover with history (a key result of the newest quarter, 5,000-commit repository)"
  echo
  echo "| server started with | quarter's commits | first hover | repeated, median | repeated, p95 |"
  echo "|---|---|---|---|---|"
  printf '%s\n' "${hover_rows[@]}"
  echo
  echo "Goals: diagnostics within 50 ms of the change; hover with history within 300 ms."
  echo
  echo "Total bench/run time: $total s"
} | tee "$results"
echo >&2
log "results written to ${results#"$root/"}"
