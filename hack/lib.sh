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
