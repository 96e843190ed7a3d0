#!/usr/bin/env bash
# The deploy loop for compose.yaml: build the image with layercake, replace
# the running container, and remove this site's images that no container
# uses any more (the replaced one).
set -euo pipefail
cd "$(dirname "$0")"
: "${DEBIAN_MIRROR:?set DEBIAN_MIRROR to a Debian archive URL}"
docker compose build
docker compose up --force-recreate -d
docker image prune --force --filter label=org.example.site=my-site
