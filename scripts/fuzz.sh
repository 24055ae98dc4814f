#!/usr/bin/env bash
# Runs every native Go fuzz target briefly, one at a time (go test takes
# one -fuzz pattern per call): the parsers and validators that see outside
# data (opening hours, recurrences, place fields and dates, the standard's
# CSV/JSON, search queries and API bodies, ActivityPub objects, HTTP
# signatures, public keys, stored records). A failure writes the input that broke the target
# to the package's testdata/fuzz/FuzzXxx/, where plain 'go test' replays it
# from then on: commit it with the fix.
#
# Usage: ./scripts/fuzz.sh [executions per target]   (default: $FUZZEXECS or 1000)
# The budget is a count of executions, not a duration: with a duration,
# Go 1.26's fuzzing coordinator can fail a target with a bare "context
# deadline exceeded" when its time is up (golang/go#75804, fixed in Go
# 1.27), and a count has no deadline to race. The whole run takes about a
# minute once the instrumented packages are in the build cache (the first
# run also compiles them, go-fed included).
set -euo pipefail
cd "$(dirname "$0")/.."

fuzztime=${1:-${FUZZEXECS:-1000}}x

targets=(
  "./catalogue FuzzParseHours"
  "./catalogue FuzzRecurrence"
  "./catalogue FuzzPlaceValidate"
  "./catalogue FuzzCleanText"
  "./catalogue FuzzSearch"
  "./catalogue FuzzTerms"
  "./catalogue/standard FuzzRead"
  "./federation FuzzObjects"
  "./federation FuzzVerify"
  "./federation FuzzDecodePublicKey"
  "./storage FuzzDecode"
  "./ui/internal/server FuzzQuery"
  "./ui/internal/server FuzzDecodeBody"
  "./ui FuzzPublicQueries"
)

log=$(mktemp)
trap 'rm -f "$log"' EXIT
failed=()
for t in "${targets[@]}"; do
  read -r pkg target <<<"$t"
  echo "fuzz.sh: $pkg $target ($fuzztime)" >&2
  if ! go test -run '^$' -fuzz "^${target}\$" -fuzztime "$fuzztime" "$pkg" >"$log" 2>&1; then
    cat "$log" >&2
    failed+=("$pkg $target")
  fi
done
if [ "${#failed[@]}" -gt 0 ]; then
  echo "fuzz.sh: failed: ${failed[*]}" >&2
  exit 1
fi
echo "fuzz.sh: ${#targets[@]} targets, no failure" >&2
