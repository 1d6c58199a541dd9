#!/usr/bin/env bash
# Exercism's test runner contract: run.sh <exercise-slug> <solution-dir> <output-dir>.
# Grades the solution with every check of the lab named by the slug (`customer-mapping`,
# `01` or `01-customer-mapping`), writes <output-dir>/results.json (version 3) and exits 0
# whatever the verdict: the verdict is in the file. The solution folder is only read.
set -uo pipefail

if [ "$#" -lt 3 ]; then
  echo "usage: $0 <exercise-slug> <solution-dir> <output-dir>" >&2
  exit 2
fi
slug="$1"
solution="${2%/}"
output="${3%/}"
project="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
results="$output/results.json"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT

mkdir -p "$output"
rm -f "$results"
timeout --kill-after=5 "${LAB_GRADING_TIMEOUT_SECONDS:-540}" \
  node "$project/bin/lab.js" grade "$slug" "$solution" --format exercism --out "$results" --exit-zero 2>"$log"
code=$?
cat "$log" >&2

# The grader writes results for every verdict; when it could not (unknown slug, a kill at the
# time limit, a crash), the student still gets a results.json that says why.
if ! node -e 'JSON.parse(require("node:fs").readFileSync(process.argv[1], "utf8"))' "$results" 2>/dev/null; then
  case "$code" in
    124 | 137) reason="Grading did not finish within ${LAB_GRADING_TIMEOUT_SECONDS:-540} seconds, so it was stopped." ;;
    *) reason="The grader stopped with exit code $code before it wrote results: $(tail -c 2000 "$log")" ;;
  esac
  node -e 'require("node:fs").writeFileSync(process.argv[1], JSON.stringify({ version: 3, status: "error", message: process.argv[2], tests: [] }, null, 2) + "\n")' "$results" "$reason" 2>/dev/null \
    || printf '{"version": 3, "status": "error", "message": "The grader could not run (exit code %s).", "tests": []}\n' "$code" >"$results"
fi
exit 0
