#!/usr/bin/env bash
# Benchmark (not a test): from the API call that creates an event on a
# Maillage instance to the status appearing in a GoToSocial follower's
# /api/v1/accounts/{id}/statuses, N tries (20 by default); prints each
# time, the median and the p95.
#
# Needs a GoToSocial on 127.0.0.1:8081 whose user carol already follows
# the Maillage network (see ../shared/reference/gotosocial/README.md and
# docs/BENCHMARKS.md), and a Maillage serving on MLG (its --url), with an
# API token and one place:
#   GTS_DIR=~/gts MLG=http://127.0.0.1:8090 TOKEN=... PLACE=... HANDLE=arsenic13 scripts/bench-gotosocial.sh
set -euo pipefail
: "${GTS_DIR:?GoToSocial directory}" "${MLG:?Maillage base URL}" "${TOKEN:?Maillage API token}" "${PLACE:?a place id}"
HANDLE=${HANDLE:-arsenic13}
N=${N:-20}
G=http://127.0.0.1:8081
A="Authorization: Bearer $(cat "$GTS_DIR"/token-carol.txt)"
host=${MLG#http://}
ID=$(curl -fsS -H "$A" "$G/api/v2/search?q=@$HANDLE@$host&resolve=true&type=accounts" | python3 -c 'import json,sys; print(json.load(sys.stdin)["accounts"][0]["id"])')
times=()
for i in $(seq 1 "$N"); do
	start=$(date -d "+$((i + 1)) days" +%Y-%m-%dT14:00:00+01:00)
	end=$(date -d "+$((i + 1)) days" +%Y-%m-%dT16:00:00+01:00)
	t0=$(date +%s%N)
	url=$(curl -fsS -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
		-d "{\"nom\":\"Atelier mesure $i\",\"debut\":\"$start\",\"fin\":\"$end\",\"lieu\":\"$PLACE\",\"frais_a_charge\":[\"Gratuit\"]}" \
		"$MLG/api/v1/events" | sed -n 's/.*"ap_id":"\([^"]*\)".*/\1/p')
	# (no python3 inside the timed part: on a loaded machine its start-up
	# alone takes seconds)
	# Read the whole answer before matching: grep -q in a pipe would stop
	# curl early, and pipefail would count that as not found.
	until [[ $(curl -fsS -H "$A" "$G/api/v1/accounts/$ID/statuses?limit=5") == *"$url"* ]]; do
		sleep 0.02
		if (( ($(date +%s%N) - t0) > 30000000000 )); then echo "try $i: not seen after 30 s" >&2; exit 1; fi
	done
	t1=$(date +%s%N)
	ms=$(( (t1 - t0) / 1000000 ))
	times+=("$ms")
	echo "try $i: $ms ms"
done
printf '%s\n' "${times[@]}" | sort -n | python3 -c '
import sys
v = [int(x) for x in sys.stdin]
def pct(p):
    k = max(0, min(len(v) - 1, round(p / 100 * len(v) + 0.5) - 1))
    return v[k]
print(f"n={len(v)} median={v[(len(v)-1)//2] if len(v)%2 else (v[len(v)//2-1]+v[len(v)//2])//2} ms p95={pct(95)} ms min={v[0]} ms max={v[-1]} ms")'
