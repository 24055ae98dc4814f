#!/usr/bin/env bash
# Every test, including the two that drive Fedify (federation/fedify_test.go)
# and the browser tests of the pages (ui/web, ui/admin). Installs what
# those need first: Node.js >= 20 and Chromium (with apt-get when run as
# root), and the locked npm packages of federation/testdata/fedify and
# ui/internal/uitest/testdata/axe (axe-core).
#
# Usage: ./scripts/test.sh [go test arguments]   (default: ./..., then
# scripts/fuzz.sh: each fuzz target for a few seconds)
set -euo pipefail
cd "$(dirname "$0")/.."

fedify=federation/testdata/fedify
axe=ui/internal/uitest/testdata/axe
apt_updated=

if ! command -v node >/dev/null; then
  if [ "$(id -u)" -eq 0 ]; then
    echo "test.sh: installing Node.js and npm with apt-get" >&2
    apt-get update -q
    apt_updated=1
    apt-get install -y -q nodejs npm
  else
    echo "test.sh: node is missing. Install Node.js >= 20 and npm (apt-get install nodejs npm, or NodeSource" >&2
    echo "test.sh: where the distribution's Node.js is older, as Debian 12's 18 is)," >&2
    echo "test.sh: or run 'go test ./...' alone, which skips the Fedify tests." >&2
    exit 1
  fi
fi
major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$major" -lt 20 ]; then
  echo "test.sh: Fedify needs Node.js >= 20; this is $(node --version). Install a newer one (e.g. from NodeSource)." >&2
  exit 1
fi

# Chromium for the browser tests of ui/web and ui/admin (Debian's package: /usr/bin/chromium).
if [ -z "${MAILLAGE_CHROMIUM:-}" ] && ! command -v chromium >/dev/null && ! command -v chromium-browser >/dev/null; then
  if [ "$(id -u)" -eq 0 ]; then
    echo "test.sh: installing Chromium with apt-get" >&2
    if [ -z "$apt_updated" ]; then
      apt-get update -q
    fi
    apt-get install -y -q chromium
  else
    echo "test.sh: chromium is missing. Install it (apt-get install chromium) or set MAILLAGE_CHROMIUM," >&2
    echo "test.sh: or run 'go test ./...' alone, which skips the browser tests." >&2
    exit 1
  fi
fi

# npm ci when node_modules is absent or was installed from another lockfile.
for dir in "$fedify" "$axe"; do
  stamp=$dir/node_modules/.maillage-lock.json
  if ! cmp -s "$dir/package-lock.json" "$stamp"; then
    if ! command -v npm >/dev/null; then
      echo "test.sh: npm is missing; install it (e.g. apt-get install npm)." >&2
      exit 1
    fi
    echo "test.sh: npm ci in $dir" >&2
    (cd "$dir" && npm ci --no-audit --no-fund)
    cp "$dir/package-lock.json" "$stamp"
  fi
done

if [ "$#" -eq 0 ]; then
  # Every package, then each fuzz target briefly (scripts/fuzz.sh).
  go test ./...
  exec ./scripts/fuzz.sh
fi
exec go test "$@"
