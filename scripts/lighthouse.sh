#!/usr/bin/env bash
# Lighthouse 12 (mobile: its default emulated phone, simulated slow 4G and
# 4× CPU slowdown) on the pages people use, over an instance seeded with
# the demo's data (maillage serve --demo-seed --handle arsenic13), in the
# installed Chromium. Prints one row per page and fails when a target is
# missed: performance ≥ 95, accessibility 100, best practices 100, SEO 100
# where the page is meant to be indexed (a noindex page must say so and
# pass every other SEO audit), total blocking time ≤ 150 ms, no console
# error.
#
# A benchmark, not part of scripts/test.sh: each run takes 15–40 s a page
# on a loaded 2-core machine. Installs Lighthouse from the npm lockfile in
# scripts/lighthouse (npm ci, like the axe and Fedify setups of
# scripts/test.sh). Everything listens on 127.0.0.1, the maps' tiles come
# from a local tile server (scripts/lighthouse/tiles.mjs), and Chromium
# resolves no other host, so no request leaves the machine.
#
# Usage: ./scripts/lighthouse.sh [-runs N] [-cpu X|auto] [-keep DIR] [PAGE...]
#   -runs N    runs per page; the table shows the median (by performance) (default 1)
#   -cpu X     CPU slowdown of the emulated phone (default 4, Lighthouse's own).
#              auto: calibrated before each run from the machine's speed as
#              Lighthouse measures it (its BenchmarkIndex), with the formula of
#              Lighthouse's docs/throttling.md calculator: a machine loaded by
#              other work gets a smaller slowdown, so that the figures are
#              those of the intended phone, not of the load.
#   -keep DIR  writes the JSON and HTML reports in DIR (default: a temporary directory, removed)
#   PAGE       only these pages: home search place agenda event orientation admin-place
# Environment: MAILLAGE_CHROMIUM (default: chromium on the PATH).
set -euo pipefail
cd "$(dirname "$0")/.."

runs=1
keep=
cpu=4
while [ "$#" -gt 0 ]; do
  case "$1" in
    -runs) runs=$2; shift 2 ;;
    -keep) keep=$2; shift 2 ;;
    -cpu) cpu=$2; shift 2 ;;
    -h|-help|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    -*) echo "lighthouse.sh: unknown flag $1 (see --help)" >&2; exit 2 ;;
    *) break ;;
  esac
done
only=" $* "

lh=scripts/lighthouse
chrome=${MAILLAGE_CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}
if [ -z "$chrome" ]; then
  echo "lighthouse.sh: chromium is missing (apt-get install chromium, or set MAILLAGE_CHROMIUM)" >&2
  exit 1
fi
for tool in node npm curl go; do
  if ! command -v "$tool" >/dev/null; then
    echo "lighthouse.sh: $tool is missing" >&2
    exit 1
  fi
done
stamp=$lh/node_modules/.maillage-lock.json
if ! cmp -s "$lh/package-lock.json" "$stamp"; then
  echo "lighthouse.sh: npm ci in $lh" >&2
  (cd "$lh" && npm ci --no-audit --no-fund)
  cp "$lh/package-lock.json" "$stamp"
fi

tmp=$(mktemp -d)
out=${keep:-$tmp/reports}
mkdir -p "$out"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$tmp"
}
trap cleanup EXIT

freeport() {
  node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })'
}

echo "lighthouse.sh: building maillage" >&2
nice go build -o "$tmp/maillage" ./cmd/maillage
port=$(freeport)
tiles=$(freeport)
base=http://127.0.0.1:$port
email=lighthouse@arsenic13.example
password=lighthouse-$RANDOM-$RANDOM
# The first command fixes the instance's address; token create takes --url.
"$tmp/maillage" token create --data "$tmp/data" --url "$base" --label lighthouse >/dev/null
printf '%s\n' "$password" | "$tmp/maillage" user add --data "$tmp/data" --email "$email" --role admin >/dev/null
node "$lh/tiles.mjs" "$tiles" &
pids+=($!)
"$tmp/maillage" serve --data "$tmp/data" --listen "127.0.0.1:$port" --url "$base" --name "Arsenic 13" \
  --handle arsenic13 --demo-seed --tiles "http://127.0.0.1:$tiles/{z}/{x}/{y}.png" >"$tmp/serve.log" 2>&1 &
pids+=($!)
for i in $(seq 600); do
  if curl -fs -o /dev/null "$base/lieux"; then
    break
  fi
  if [ "$i" -eq 600 ]; then
    echo "lighthouse.sh: the instance did not start:" >&2
    cat "$tmp/serve.log" >&2
    exit 1
  fi
  sleep 0.1
done

# The session cookie of the admin account, for the admin page.
jar=$tmp/cookies
csrf=$(curl -fsS -c "$jar" -b "$jar" "$base/admin/connexion" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -n1)
curl -fsS -o /dev/null -c "$jar" -b "$jar" --data-urlencode "csrf=$csrf" --data-urlencode "email=$email" \
  --data-urlencode "password=$password" "$base/admin/connexion"
session=$(awk '$6 == "maillage_session" { print $7 }' "$jar")
if [ -z "$session" ]; then
  echo "lighthouse.sh: the login failed" >&2
  exit 1
fi

# A place and an event of the demo's data, near Marseille.
place=$(curl -fsS "$base/lieux?ou=Marseille" | grep -o 'href="/lieux/[^"?#/]*"' | head -n1 | sed 's/href="\(.*\)"/\1/')
event=$(curl -fsS "$base/evenements?vue=liste" | grep -o 'href="/evenements/[^"?#/]*"' | head -n1 | sed 's/href="\(.*\)"/\1/')
if [ -z "$place" ] || [ -z "$event" ]; then
  echo "lighthouse.sh: no place or no event in the demo's data (place=$place event=$event)" >&2
  exit 1
fi
svc=$(node -p 'encodeURIComponent("Maîtrise des outils numériques du quotidien")')
aide=$(node -p 'encodeURIComponent("Aide aux démarches administratives")')

# name, indexed (1) or noindex (0), path.
pages=(
  "home 1 /"
  "search 0 /lieux?ou=Marseille&frais=Gratuit&public=Seniors&radius_km=10&service=$svc"
  "place 1 $place"
  "agenda 1 /evenements"
  "event 1 $event"
  "orientation 0 /orientation?ou=Marseille&service=$aide"
  "admin-place 0 /admin/lieux/nouveau"
)

manifest=$tmp/manifest.tsv
: >"$manifest"
export CHROME_PATH=$chrome
flags="--headless=new --no-sandbox --disable-gpu --host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"
echo "lighthouse.sh: $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg), $("$chrome" --version 2>/dev/null | head -n1), Lighthouse $("$lh/node_modules/.bin/lighthouse" --version)" >&2
for entry in "${pages[@]}"; do
  read -r name indexed path <<<"$entry"
  if [ "$only" != "  " ] && [[ "$only" != *" $name "* ]]; then
    continue
  fi
  extra=()
  if [ "$name" = admin-place ]; then
    printf '{"Cookie": "maillage_session=%s"}' "$session" >"$tmp/headers.json"
    extra=(--extra-headers "$tmp/headers.json")
  fi
  for run in $(seq "$runs"); do
    mult=$cpu
    if [ "$cpu" = auto ]; then
      # A short run whose only use is Lighthouse's BenchmarkIndex.
      "$lh/node_modules/.bin/lighthouse" "$base/" --quiet --chrome-flags="$flags" --only-audits=viewport \
        --output=json --output-path="$tmp/calibration.json"
      mult=$(node -e '
        const bi = JSON.parse(require("fs").readFileSync(process.argv[1])).environment.benchmarkIndex;
        const m = bi >= 1300 ? 3 + (bi - 1300) / 233 : bi >= 800 ? 2 + (bi - 800) / 500 : 1 + (bi - 150) / 650;
        console.log(Math.min(4, Math.max(1, m)).toFixed(2));' "$tmp/calibration.json")
    fi
    echo "lighthouse.sh: $name ($path), run $run/$runs, CPU slowdown $mult, load $(cut -d' ' -f1 /proc/loadavg)" >&2
    nice "$lh/node_modules/.bin/lighthouse" "$base$path" --quiet --chrome-flags="$flags" \
      --throttling.cpuSlowdownMultiplier="$mult" \
      --only-categories=performance,accessibility,best-practices,seo \
      --output=json --output=html --output-path="$out/$name-$run" "${extra[@]}"
    printf '%s\t%s\t%s\n' "$name" "$indexed" "$out/$name-$run.report.json" >>"$manifest"
  done
done
if [ ! -s "$manifest" ]; then
  echo "lighthouse.sh: no page named$only(pages: home search place agenda event orientation admin-place)" >&2
  exit 2
fi
node "$lh/summary.mjs" "$manifest"
