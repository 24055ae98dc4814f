#!/bin/sh
# Builds static maillage binaries for linux/amd64 and linux/arm64 into
# dist/, with the version and commit stamped (see `maillage version`),
# and their SHA-256 sums.
#
#   scripts/release.sh            # version from `git describe`
#   scripts/release.sh v1.2.0     # or given
#   OUT=/tmp/rel scripts/release.sh v1.2.0
set -eu
cd "$(dirname "$0")/.."

version=${1:-$(git describe --tags --always --dirty 2>/dev/null || echo dev)}
commit=$(git rev-parse HEAD 2>/dev/null || echo inconnu)
out=${OUT:-dist}
mkdir -p "$out"

for arch in amd64 arm64; do
	bin="$out/maillage-$version-linux-$arch"
	echo "build $bin"
	CGO_ENABLED=0 GOOS=linux GOARCH=$arch go build -trimpath \
		-ldflags "-s -w -X main.version=$version -X main.commit=$commit" \
		-o "$bin" ./cmd/maillage
done
(cd "$out" && sha256sum maillage-"$version"-linux-* >"SHA256SUMS-$version")
echo "binaires dans $out/ ; vérifiez avec : (cd $out && sha256sum -c SHA256SUMS-$version)"
