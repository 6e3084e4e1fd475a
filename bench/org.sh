# The organisation shape of okr's benchmark: `BENCH_SHAPE=org bench/run` sources this file after building
# okr and defining its measuring functions (measure, median, maxof, mb, fmt, ratio, history_compare,
# history_pass), and it measures, side by side in one run:
#   - one quarter of a large history with every team in one repository (400 teams, 8 quarters): okr history
#     as a first run (empty walk cache) and repeated, against git log -p -- okrs/Q/, for each size in
#     BENCH_ORG_COMMITS (the growth table);
#   - okr report against okr validate over one quarter of 10,000 and 100,000 team files in a repository of one
#     commit: reading the files is the work, assembling the report should not be;
#   - the same with BENCH_BASELINE (a commit of okr, built once into target/bench/) where it is set, so the
#     numbers of the revision measured stand beside the old ones, on the same machine in the same run.
# Results go to stdout and target/bench/results-org.md; docs/performance.md explains them.
#
# Settings (environment), besides bench/run's BENCH_RUNS and BENCH_SKIP_BUILD:
#   BENCH_ORG_SEED=7 BENCH_ORG_TEAMS=400 BENCH_ORG_QUARTERS=8
#   BENCH_ORG_COMMITS="10000 100000"   commits touching okrs/ in each history repository
#   BENCH_ORG_FILES="10000 100000"     team files of the one quarter for report against validate
#   BENCH_BASELINE=5694234             okr revision to measure beside this one ("" for none)
#   BENCH_BASELINE_TIMEOUT=300         seconds after which a run of the baseline is stopped (its report over
#                                      100,000 files was quadratic): the table then says "> 300 s"
#   BENCH_BASELINE_RUNS=1              timed runs of the baseline (it takes minutes where it was quadratic);
#                                      one run has no warm-up (the run of this revision just before warmed
#                                      the same files)

org_seed=${BENCH_ORG_SEED:-7}
org_teams=${BENCH_ORG_TEAMS:-400}
org_quarters=${BENCH_ORG_QUARTERS:-8}
org_commits=${BENCH_ORG_COMMITS:-"10000 100000"}
org_files=${BENCH_ORG_FILES:-"10000 100000"}
baseline=${BENCH_BASELINE-5694234}
baseline_runs=${BENCH_BASELINE_RUNS:-1}
baseline_timeout=${BENCH_BASELINE_TIMEOUT:-300}
results="$out_dir/results-org.md"

for n in "$org_seed" "$org_teams" "$org_quarters" "$baseline_runs" "$baseline_timeout" $org_commits $org_files; do
  [[ $n =~ ^[0-9]+$ ]] || die "settings must be whole numbers (got '$n')"
done

# --- the baseline binary ---------------------------------------------------------------------------------
# Built from a worktree of this repository at that revision, once: target/bench/baseline-<id>/okr.
under_test=$okr
baseline_okr=""
if [[ -n $baseline ]]; then
  baseline_id=$(git -C "$root" rev-parse --short=10 --verify -q "$baseline^{commit}") \
    || die "BENCH_BASELINE=$baseline names no commit of this repository"
  baseline_okr="$out_dir/baseline-$baseline_id/okr"
  if [[ ! -x $baseline_okr ]]; then
    log "building the baseline okr at $baseline_id (once; kept in ${baseline_okr#"$root/"})"
    worktree="$out_dir/baseline-$baseline_id-src"
    rm -rf "$worktree"
    git -C "$root" worktree prune
    git -C "$root" worktree add --quiet --detach "$worktree" "$baseline_id" || die "git worktree add failed"
    (cd "$worktree" && CARGO_TARGET_DIR="$out_dir/baseline-target" cargo build --release --quiet) \
      || die "building the baseline failed"
    mkdir -p "$(dirname "$baseline_okr")"
    cp "$out_dir/baseline-target/release/okr" "$baseline_okr"
    git -C "$root" worktree remove --force "$worktree"
  fi
fi

# --- repositories ----------------------------------------------------------------------------------------
org_repo_for() {
  local size=$1
  local dir="$out_dir/org-s$org_seed-t$org_teams-q$org_quarters-c$size-$gen_key"
  if [[ ! -f $dir.complete ]]; then
    rm -rf "$dir"
    log "generating the $size-commit organisation repository ($org_teams teams x $org_quarters quarters) into ${dir#"$root/"}"
    python3 bench/generate.py --seed "$org_seed" --teams "$org_teams" --quarters "$org_quarters" \
      --commits "$size" --out "$dir" >&2 || die "generate.py failed for $size commits"
    touch "$dir.complete"
  fi
  echo "$dir"
}

# A quarter of FILES team files, committed once before its kickoff (the plan as it stood at kickoff).
one_commit_repo_for() {
  local files=$1
  local dir="$out_dir/quarter-s$org_seed-f$files-$gen_key"
  if [[ ! -f $dir.complete ]]; then
    rm -rf "$dir"
    log "generating one quarter of $files team files, in one commit, into ${dir#"$root/"}"
    python3 bench/generate.py --seed "$org_seed" --validate-files "$files" --quarters 1 --teams "$files" \
      --out "$dir" >&2 || die "generate.py --validate-files failed for $files files"
    git -C "$dir" init --quiet
    git -C "$dir" add -A
    GIT_AUTHOR_DATE=2026-01-05T10:00:00Z GIT_COMMITTER_DATE=2026-01-05T10:00:00Z \
      git -C "$dir" -c user.name=bench -c user.email=bench@example.invalid commit --quiet -m "Plan 2026-Q1" \
      || die "git commit failed in $dir"
    touch "$dir.complete"
  fi
  echo "$dir"
}

# The quarter of REPO with the most commits.
busiest_quarter() {
  local repo=$1 q n best="" best_n=-1
  for q in $(quarters_of "$repo"); do
    n=$(git -C "$repo" rev-list --count HEAD -- "okrs/$q/")
    if (( n > best_n )); then best=$q; best_n=$n; fi
  done
  echo "$best $best_n"
}

# timed N CMD...: N runs, after a warm-up when N > 1; sets t_wall (median), t_cpu (median), t_rss (max), and
# t_over to 1 when a run was stopped at measure_limit (then the rest are not run).
timed() {
  local n=$1 r w=() c=() m=()
  shift
  t_over=0
  (( n > 1 )) && measure "$@"
  for ((r = 0; r < n; r++)); do
    measure "$@"
    w+=("$m_wall"); c+=("$m_cpu"); m+=("$m_rss")
    if (( m_over )); then t_over=1; break; fi
  done
  t_wall=$(median "${w[@]}"); t_cpu=$(median "${c[@]}"); t_rss=$(maxof "${m[@]}")
}

# The baseline's wall time as a cell: "> N s (stopped)" when it ran past BENCH_BASELINE_TIMEOUT.
baseline_time() { if (( $2 )); then echo "> $baseline_timeout s (stopped)"; else echo "$(fmt "$1") s"; fi; }

# --- history at an organisation's scale ------------------------------------------------------------------
history_rows=()
growth_rows=()
goal_lines=()
for size in $org_commits; do
  repo=$(org_repo_for "$size")
  read -r quarter qn < <(busiest_quarter "$repo")
  files=$(git -C "$repo" ls-tree --name-only "HEAD:okrs/$quarter" | grep -c '\.yaml$' || true)
  all_commits=$(git -C "$repo" rev-list --count HEAD)
  log "$size commits: history of $quarter ($qn commits, $files files), $runs runs (+1 warm-up) of okr and git"
  okr=$under_test
  history_compare "$repo" "$quarter"
  old="—"
  if [[ -n $baseline_okr ]]; then
    log "$size commits: the baseline's history of $quarter, $baseline_runs runs"
    okr=$baseline_okr
    measure_limit=$baseline_timeout
    bw=(); brss=(); over=0
    (( baseline_runs > 1 )) && history_pass "$repo" okr-cold "$quarter"
    for ((r = 0; r < baseline_runs; r++)); do
      history_pass "$repo" okr-cold "$quarter"; bw+=("$h_wall"); brss+=("$h_rss")
      if (( m_over )); then over=1; break; fi
    done
    measure_limit=""
    okr=$under_test
    old_t=$(median "${bw[@]}"); old_m=$(maxof "${brss[@]}")
    old="$(baseline_time "$old_t" "$over"), $(mb "$old_m") MB ($(ratio "$old_t" "$git_t"))"
  fi
  history_rows+=("| $size ($all_commits in all) | $quarter: $qn commits, $files files | $(fmt "$okr_t") s ($okr_c s CPU), $(mb "$okr_m") MB | $(fmt "$warm_t") s, $(mb "$warm_m") MB | $(fmt "$git_t") s ($git_c s CPU), $(mb "$git_m") MB | $(ratio "$okr_t" "$git_t") | $(ratio "$warm_t" "$git_t") | $old |")
  growth_rows+=("| $size | $qn | $files | $(awk -v t="$okr_t" -v n="$qn" 'BEGIN { printf "%.0f", t / n * 1e6 }') µs | $(awk -v t="$git_t" -v n="$qn" 'BEGIN { printf "%.0f", t / n * 1e6 }') µs | $(mb "$okr_m") MB | $(mb "$git_m") MB |")
  goal_lines+=("history of one quarter, $size commits: $(ratio "$okr_t" "$git_t") x git log -p first run (goal <= 1.0), $(ratio "$warm_t" "$git_t") repeated (goal <= 0.5); peak RSS $(mb "$(maxof "$okr_m" "$warm_m")") MB (goal <= 150 MB)")
  echo "   $size commits: okr $(fmt "$okr_t") s first run, $(fmt "$warm_t") s repeated, git $(fmt "$git_t") s" >&2
done

# --- report against validate over one quarter of many files ----------------------------------------------
report_rows=()
for files in $org_files; do
  repo=$(one_commit_repo_for "$files")
  log "$files files: okr validate and okr report, $runs runs (+1 warm-up) each"
  timed "$runs" "$under_test" -C "$repo" validate --format json
  val_t=$t_wall; val_c=$t_cpu; val_m=$t_rss
  timed "$runs" env OKR_CACHE=off "$under_test" -C "$repo" report --format json
  rep_t=$t_wall; rep_c=$t_cpu; rep_m=$t_rss
  old="—"
  if [[ -n $baseline_okr ]]; then
    log "$files files: the baseline's validate and report, $baseline_runs runs each"
    measure_limit=$baseline_timeout
    timed "$baseline_runs" "$baseline_okr" -C "$repo" validate --format json
    oval_t=$t_wall; oval_over=$t_over
    timed "$baseline_runs" env OKR_CACHE=off "$baseline_okr" -C "$repo" report --format json
    measure_limit=""
    old="report $(baseline_time "$t_wall" "$t_over"), $(mb "$t_rss") MB; validate $(baseline_time "$oval_t" "$oval_over")"
    (( t_over || oval_over )) || old+=" ($(ratio "$t_wall" "$oval_t"))"
  fi
  report_rows+=("| $files | $(fmt "$val_t") s ($val_c s CPU), $(mb "$val_m") MB | $(fmt "$rep_t") s ($rep_c s CPU), $(mb "$rep_m") MB | $(ratio "$rep_t" "$val_t") | $old |")
  goal_lines+=("report over $files files: $(ratio "$rep_t" "$val_t") x okr validate (goal <= 1.5)")
  echo "   $files files: validate $(fmt "$val_t") s, report $(fmt "$rep_t") s" >&2
done

# --- results ---------------------------------------------------------------------------------------------
total=$(awk -v a="$started" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.0f", b - a }')
load_end=$(cut -d' ' -f1-3 /proc/loadavg)
{
  echo "# okr benchmark, organisation shape ($(date -u +%Y-%m-%dT%H:%MZ); okr at $okr_rev, built $okr_built)"
  echo
  echo "Machine: $(nproc) cores, $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo), $(awk '/^MemTotal/ { printf "%.0f GB", $2 / 1048576 }' /proc/meminfo) RAM; $(rustc --version); $(git --version)"
  echo "Load average before / after: $load_start / $load_end"
  echo "Medians of $runs runs after a warm-up (baseline: $baseline_runs); peak RSS is the largest seen. Baseline: ${baseline:-none}${baseline_okr:+ (${baseline_id})}."
  echo "Repositories: seed $org_seed, $org_teams teams x $org_quarters quarters; the busiest quarter of each."
  echo
  echo "## History of one quarter (okr history --quarter Q --format json; git log -p -- okrs/Q/)"
  echo
  echo "| okrs/ commits | quarter | okr, first run | okr, repeated | git log -p | okr/git, first run | repeated | baseline, first run (/git) |"
  echo "|---|---|---|---|---|---|---|---|"
  printf '%s\n' "${history_rows[@]}"
  echo
  echo "## Growth (first runs, per commit of the quarter)"
  echo
  echo "| okrs/ commits | quarter's commits | files | okr per commit | git log -p per commit | okr peak RSS | git peak RSS |"
  echo "|---|---|---|---|---|---|---|"
  printf '%s\n' "${growth_rows[@]}"
  echo
  echo "## Report against validate (one quarter, one commit; okr report --format json, cache off)"
  echo
  echo "| team files | okr validate | okr report | report/validate | baseline (report/validate) |"
  echo "|---|---|---|---|---|"
  printf '%s\n' "${report_rows[@]}"
  echo
  echo "## Goals"
  echo
  printf -- '- %s\n' "${goal_lines[@]}"
  echo
  echo "Total bench/run time: $total s"
} | tee "$results"
echo >&2
log "results written to ${results#"$root/"}"
