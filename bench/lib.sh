# Shared helpers for the bench/ scripts: the plain Dockerfile's base image,
# fresh buildkitds, timed builds that push, and the registry's view of the
# pushed images. Source it after hack/lib.sh and `eval "$(hack/env)"`, with
# $work set to the script's temporary folder; do not run it.

registry=127.0.0.1:5000
base_image=$registry/debian:trixie
cache="$TOOLS/bench"                # the debootstrapped rootfs, kept between runs
rootfs_tar="$cache/debian-trixie-minbase.tar"
bk_pid=                             # the buildkitd this script started
builder=                            # its buildx name

# ---------------------------------------------------------------------------
# The plain Dockerfile's base image: debootstrap (cached), then FROM scratch + ADD.

# make_rootfs debootstraps a minimal trixie into a tarball, once, and slims
# it the way Debian's official images are: no apt lists or downloaded .debs,
# and apt configured to keep none (the official images' docker-clean), so a
# Dockerfile's RUN apt-get layer holds what a user's would.
make_rootfs() {
	[ -f "$rootfs_tar" ] && return
	command -v debootstrap >/dev/null || apt-get install -y debootstrap >&2
	log "debootstrap --variant=minbase trixie (cached in $cache)"
	mkdir -p "$cache"
	local dir="$cache/rootfs.tmp"
	rm -rf "$dir"
	debootstrap --variant=minbase trixie "$dir" "$DEBIAN_MIRROR" >"$work/debootstrap.log" 2>&1 ||
		{ tail -30 "$work/debootstrap.log" >&2; exit 1; }
	rm -rf "$dir"/var/lib/apt/lists/* "$dir"/var/cache/apt/*.bin "$dir"/var/cache/apt/archives/*.deb \
		"$dir/etc/apt/sources.list" # it names the mirror; the Dockerfile writes its own sources
	cat >"$dir/etc/apt/apt.conf.d/docker-clean" <<'APT'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
APT
	echo 'Acquire::Languages "none";' >"$dir/etc/apt/apt.conf.d/docker-no-languages"
	tar --numeric-owner -C "$dir" -cf "$rootfs_tar.tmp" .
	mv "$rootfs_tar.tmp" "$rootfs_tar"
	rm -rf "$dir"
}

# push_base_image packages the rootfs as $base_image with the dev buildkitd.
push_base_image() {
	log "packaging $base_image"
	local ctx="$work/base"
	mkdir -p "$ctx"
	ln "$rootfs_tar" "$ctx/rootfs.tar" 2>/dev/null || cp "$rootfs_tar" "$ctx/rootfs.tar"
	printf 'FROM scratch\nADD rootfs.tar /\nCMD ["bash"]\n' >"$ctx/Dockerfile"
	buildctl --addr "unix://$TOOLS/run/buildkitd.sock" build --progress=plain \
		--frontend dockerfile.v0 --local context="$ctx" --local dockerfile="$ctx" \
		--output "type=image,name=$base_image,push=true,registry.insecure=true" >"$work/base.log" 2>&1 ||
		{ tail -30 "$work/base.log" >&2; exit 1; }
}

# ---------------------------------------------------------------------------
# Fresh builders: an empty buildkitd state directory each time.

# start_builder starts buildkitd with state dir $work/state-$1 and registers
# it with buildx as bench-$1.
start_builder() {
	local sock="$work/bk.sock"
	printf '[registry."%s"]\n  http = true\n' "$registry" >"$work/buildkitd.toml"
	buildkitd --config "$work/buildkitd.toml" --oci-worker=true --containerd-worker=false \
		--root "$work/state-$1" --addr "unix://$sock" --otel-socket-path "$work/otel-$1.sock" >"$work/buildkitd-$1.log" 2>&1 &
	bk_pid=$!
	for _ in $(seq 100); do buildctl --addr "unix://$sock" debug workers >/dev/null 2>&1 && break; sleep 0.2; done
	docker buildx rm "bench-$1" >/dev/null 2>&1 || true
	docker buildx create --name "bench-$1" --driver remote "unix://$sock" >/dev/null
	builder="bench-$1"
}

# stop_builder stops the buildkitd this script started and forgets its state.
stop_builder() {
	[ -n "$bk_pid" ] || return 0
	docker buildx rm "$builder" >/dev/null 2>&1 || true
	kill "$bk_pid" 2>/dev/null || true
	wait "$bk_pid" 2>/dev/null || true
	bk_pid=
	rm -rf "$work"/state-*
}

# ---------------------------------------------------------------------------
# Builds and the registry's view of them.

# build_push_to builds the context $1 on the current builder and pushes it as
# $2 (a full reference); prints the seconds it took, push included. The
# progress (plain, or BENCH_PROGRESS=rawjson for step times) is in
# $work/build.log.
build_push_to() {
	local start end
	start=$(date +%s%N)
	docker buildx build --builder "$builder" --progress="${BENCH_PROGRESS:-plain}" --build-arg DEBIAN_MIRROR="$DEBIAN_MIRROR" \
		--output "type=image,name=$2,push=true" "$1" >"$work/build.log" 2>&1 ||
		{ tail -30 "$work/build.log" >&2; exit 1; }
	end=$(date +%s%N)
	awk -v ns=$((end - start)) 'BEGIN { printf "%.1f", ns / 1e9 }'
}

manifest_types="application/vnd.oci.image.index.v1+json,application/vnd.docker.distribution.manifest.list.v2+json"
manifest_types+=",application/vnd.oci.image.manifest.v1+json,application/vnd.docker.distribution.manifest.v2+json"

# manifest prints the manifest or index $registry/$1 at tag or digest $2.
manifest() {
	curl -fsS -H "Accept: $manifest_types" "http://$registry/v2/$1/manifests/$2"
}

# platform_digest prints the linux/amd64 image manifest digest of $1:$2:
# picked from the index, or the tag's own digest when it is no index.
platform_digest() {
	local m
	m=$(manifest "$1" "$2")
	if jq -e 'has("manifests")' >/dev/null <<<"$m"; then
		jq -r '[.manifests[] | select(.platform.os == "linux" and .platform.architecture == "amd64")][0].digest' <<<"$m"
	else
		curl -fsS -o /dev/null -D - -H "Accept: $manifest_types" "http://$registry/v2/$1/manifests/$2" |
			awk 'tolower($1) == "docker-content-digest:" { sub(/\r$/, "", $2); print $2 }'
	fi
}

# layers prints "digest size" for each layer of $1:$2's amd64 image.
layers() {
	manifest "$1" "$(platform_digest "$1" "$2")" | jq -r '.layers[] | "\(.digest) \(.size)"'
}

# config_blob prints "digest size" of $1:$2's amd64 image config.
config_blob() {
	manifest "$1" "$(platform_digest "$1" "$2")" | jq -r '"\(.config.digest) \(.config.size)"'
}

# new_blobs prints "digest size" of the layers and config of $1:$3 that
# $1:$2 does not have: what a push of $3 uploads after $2 was pushed.
new_blobs() {
	comm -13 <({ layers "$1" "$2"; config_blob "$1" "$2"; } | sort -u) \
		<({ layers "$1" "$3"; config_blob "$1" "$3"; } | sort -u)
}

# ---------------------------------------------------------------------------
# Numbers for the tables.

# median prints the median of its arguments (the lower middle one for an even count).
median() {
	printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

# mb prints bytes as MB (10^6) with two decimals, or kB below 100 kB.
mb() {
	awk -v b="$1" 'BEGIN { if (b < 100000) printf "%.1f kB", b / 1e3; else printf "%.2f MB", b / 1e6 }'
}

# met prints "yes" or "no" for an awk condition over a and b.
met() {
	awk -v a="$1" -v b="$2" "BEGIN { print ($3) ? \"yes\" : \"no\" }"
}

same() { [ "$1" = "$2" ] && echo yes || echo no; }
