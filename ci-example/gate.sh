#!/usr/bin/env bash
# The rollout gate of the CI example, the same on GitHub Actions, GitLab CI and a laptop (run-locally.sh):
#   ci-example/gate.sh OUT [BASELINE] [-- RUN_OPTIONS...]
# runs ci-example/scenario.yaml $REPEAT times into OUT/ (run-1/ ... with their reports, and repeat.json, summary.md,
# junit.xml on the medians), then, when BASELINE (a repeat.json, a result.json or a folder holding one) exists,
# diffs OUT against it into OUT/diff.md. Exit: the run's code when it is 2, 3 or 130 (bad input, run failed or
# invalid, interrupted); else 1 when a gate of the run or of the diff failed; else 0.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="${1:?usage: gate.sh OUT [BASELINE] [-- RUN_OPTIONS...]}"
shift
baseline=""
if [ $# -gt 0 ] && [ "$1" != "--" ]; then
  baseline="$1"
  shift
fi
[ "${1:-}" = "--" ] && shift
# The command to run: the launcher, or e.g. "java -cp CLASSPATH dev.rolloutlab.cli.Main" in a test.
read -r -a rollout_lab <<< "${ROLLOUT_LAB:-$here/../rollout-lab}"
scenario="${SCENARIO:-$here/scenario.yaml}"
# 4 runs a side is the fewest with which the diff's test can find a change at p < 0.05.
repeat="${REPEAT:-4}"
# How far the candidate's medians may move before a significant change fails the pull request.
gates=(--gate latencyP50Ms=+25% --gate latencyP95Ms=+25% --gate errorRate=+0.01 --gate downtimeSeconds=+0)

"${rollout_lab[@]}" run "$scenario" --repeat "$repeat" --out "$out" "$@"
run_exit=$?
case $run_exit in
  0 | 1) ;;
  *) echo "gate.sh: the run ended with exit $run_exit; no diff" >&2; exit $run_exit ;;
esac

diff_exit=0
if [ -n "$baseline" ] && [ -e "$baseline" ]; then
  "${rollout_lab[@]}" diff "$baseline" "$out" "${gates[@]}" --markdown "$out/diff.md"
  diff_exit=$?
  [ $diff_exit -le 1 ] || { echo "gate.sh: diff ended with exit $diff_exit" >&2; exit $diff_exit; }
elif [ -n "$baseline" ]; then
  echo "gate.sh: no baseline at $baseline (first run on this branch?): gates of the run only" >&2
fi
[ $run_exit -eq 0 ] && [ $diff_exit -eq 0 ] && exit 0
exit 1
