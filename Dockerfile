# Builds the layercake frontend image: one static binary on scratch.
#
#   docker buildx build -t <registry>/layercake:1 --push .
#
# Where no public registry is reachable (as on this project's machines), build
# the binary on the host and package it with the `prebuilt` target instead:
#
#   CGO_ENABLED=0 go build -ldflags "-X github.com/layercake-build/layercake/frontend.Version=$(git describe --tags --always --dirty)" \
#     -o out/layercake ./cmd/layercake
#   buildctl build --frontend dockerfile.v0 --local context=out --local dockerfile=. \
#     --opt target=prebuilt --output type=image,name=<registry>/layercake:dev,push=true
#
# hack/frontend-image does exactly that.

ARG GO_VERSION=1.26

FROM scratch AS base
LABEL org.opencontainers.image.title="layercake" \
      org.opencontainers.image.description="BuildKit frontend: a static site spec in, a small reproducible nginx image out"
# BuildKit reads these: the frontend needs no network, and what it supports.
LABEL moby.buildkit.frontend.network.none="true" \
      moby.buildkit.frontend.caps="moby.buildkit.frontend.inputs,moby.buildkit.frontend.subrequests,moby.buildkit.frontend.contexts"
ENTRYPOINT ["/bin/layercake"]

FROM base AS prebuilt
COPY layercake /bin/layercake

# What hack/release publishes: one binary per platform, cross-compiled on the
# host, in a context folder per platform (amd64, arm64, armv7, ppc64le,
# s390x), so no platform needs emulation. The labels say which source it is.
FROM base AS release
ARG TARGETARCH TARGETVARIANT
ARG VERSION COMMIT SOURCE_URL CREATED
LABEL org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${COMMIT}" \
      org.opencontainers.image.source="${SOURCE_URL}" \
      org.opencontainers.image.created="${CREATED}"
COPY --chmod=0755 ${TARGETARCH}${TARGETVARIANT}/layercake /bin/layercake

# Cross-compiles on the build platform: no emulation for a multi-platform push.
# VERSION is what `layercake version` and the SBOM report, e.g.
# --build-arg VERSION=$(git describe --tags --always --dirty).
FROM --platform=$BUILDPLATFORM golang:${GO_VERSION} AS build
ARG TARGETOS TARGETARCH
ARG VERSION=unknown
WORKDIR /src
ENV CGO_ENABLED=0
RUN --mount=type=bind,target=. --mount=type=cache,target=/root/.cache/go-build \
    --mount=type=cache,target=/go/pkg/mod \
    GOOS=$TARGETOS GOARCH=$TARGETARCH go build -trimpath \
      -ldflags "-s -X github.com/layercake-build/layercake/frontend.Version=${VERSION}" \
      -o /out/layercake ./cmd/layercake

FROM base AS frontend
COPY --from=build /out/layercake /bin/layercake
