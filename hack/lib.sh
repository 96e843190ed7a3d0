# Shared helpers for layercake's scripts. Source it; do not run it.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TOOLS="$REPO/.tools"
export PATH="$TOOLS/bin:/usr/local/go/bin:$PATH"

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

# debian_mirror prints the Debian archive URL from this machine's apt
# configuration, so no mirror host name is ever written into the repository.
debian_mirror() {
	local m
	m=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/*.sources 2>/dev/null || true)
	if [ -z "$m" ] && [ -f /etc/apt/sources.list ]; then
		m=$(awk '$1 == "deb" {for (i = 2; i <= NF; i++) if ($i ~ /^https?:/) {print $i; exit}}' /etc/apt/sources.list)
	fi
	[ -n "$m" ] || { echo "no Debian mirror in /etc/apt/sources.list.d/*.sources or /etc/apt/sources.list" >&2; return 1; }
	printf '%s\n' "${m%/}"
}

# layercake_version prints the version the binary is stamped with: $VERSION
# when set, else `git describe` of the checkout, else "unknown".
layercake_version() {
	if [ -n "${VERSION:-}" ]; then
		printf '%s\n' "$VERSION"
		return
	fi
	git -C "$REPO" describe --tags --always --dirty 2>/dev/null || echo unknown
}

# build_layercake OUT builds the static layercake binary into OUT with its
# version and commit set at link time (what `layercake version`,
# `--call version` and the SBOM report).
build_layercake() {
	local out=${1:?usage: build_layercake OUT}
	local commit
	commit=$(git -C "$REPO" rev-parse HEAD 2>/dev/null || echo unknown)
	(cd "$REPO" && CGO_ENABLED=0 go build -trimpath \
		-ldflags "-s -X github.com/layercake-build/layercake/frontend.Version=$(layercake_version) -X github.com/layercake-build/layercake/frontend.Commit=$commit" \
		-o "$out" ./cmd/layercake)
}
