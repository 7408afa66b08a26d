#!/usr/bin/env bash
# Runs the CI example's pipeline on this machine with the same commands as the workflows, and checks the files and
# exit codes they rely on:
#   1. main: gate.sh without a baseline -> exit 0; its repeat.json is kept as the baseline (the CI artifact)
#   2. a pull request that changes nothing -> the diff against main finds no change, exit 0
#   3. a pull request whose v2 is 50 ms slower -> the diff says "changed", exit 1
# 12 runs of 6 s load (+ 4 s warm-up) each: about 3 minutes. ci-example/run-locally.sh [OUT] (default a temp dir).
# RUN_OPTIONS adds options to every run, e.g. RUN_OPTIONS="--set load.maxGeneratorLimited=5%" on a machine too busy
# for the generator's default bounds (every run would be invalid, exit 3): the output then says it was used.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="${1:-$(mktemp -d)}"
export REPEAT="${REPEAT:-4}"
read -r -a run_options <<< "${RUN_OPTIONS:-}"
[ ${#run_options[@]} -eq 0 ] || echo "run-locally.sh: every run with ${run_options[*]}"
mkdir -p "$out"

fail() {
  echo "run-locally.sh: FAILED: $*" >&2
  exit 1
}

# expect_exit CODE COMMAND...: runs COMMAND, fails unless it exits CODE.
expect_exit() {
  local want=$1 got=0
  shift
  "$@" || got=$?
  [ "$got" -eq "$want" ] || fail "$* exited $got, expected $want"
}

# The files the workflows publish: summary and junit.xml of the repeat, each run's reports.
check_repeat() {
  local dir=$1
  for f in repeat.json summary.md junit.xml; do
    [ -s "$dir/$f" ] || fail "$dir/$f missing or empty"
  done
  for i in $(seq 1 "$REPEAT"); do
    for f in result.json report.html summary.md junit.xml; do
      [ -s "$dir/run-$i/$f" ] || fail "$dir/run-$i/$f missing or empty"
    done
  done
  grep -q '<testsuites name="rollout-lab"' "$dir/junit.xml" || fail "$dir/junit.xml is not a JUnit report"
  grep -q '"kind" : "repeat"' "$dir/repeat.json" || fail "$dir/repeat.json is not a repeat summary"
}

# What the workflows append to the step summary ($GITHUB_STEP_SUMMARY; a file here).
publish() {
  local dir=$1 summary=$2
  cat "$dir/summary.md" >> "$summary"
  [ ! -f "$dir/diff.md" ] || cat "$dir/diff.md" >> "$summary"
}

echo "== 1. main: runs without a baseline, keeps repeat.json as the baseline artifact"
expect_exit 0 "$here/gate.sh" "$out/main" -- "${run_options[@]}"
check_repeat "$out/main"
mkdir -p "$out/baseline" && cp "$out/main/repeat.json" "$out/baseline/repeat.json"
publish "$out/main" "$out/main-step-summary.md"

echo "== 2. pull request, nothing changed: no significant change beyond the bounds"
expect_exit 0 "$here/gate.sh" "$out/same" "$out/baseline/repeat.json" -- "${run_options[@]}"
check_repeat "$out/same"
grep -q "Run diff, all 4 gates passed" "$out/same/diff.md" || fail "$out/same/diff.md does not pass all gates"
publish "$out/same" "$out/same-step-summary.md"
grep -q "^## Run diff\|^## ✅ Run diff" "$out/same-step-summary.md" || fail "the step summary lacks the diff"

echo "== 3. pull request, v2 50 ms slower: a significant change beyond the bounds fails it"
expect_exit 1 "$here/gate.sh" "$out/slow" "$out/baseline/repeat.json" -- "${run_options[@]}" \
  --set service.candidate.behavior.latency=70ms
check_repeat "$out/slow"
grep -q "changed | ❌ failed" "$out/slow/diff.md" || fail "$out/slow/diff.md reports no significant change"
publish "$out/slow" "$out/slow-step-summary.md"

echo "run-locally.sh: passed; everything is in $out"
