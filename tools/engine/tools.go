//go:build tools

// Package engine only records the Docker Engine commands hack/tools builds,
// so `go mod tidy` keeps their dependencies.
package engine

import (
	_ "github.com/docker/docker/cmd/docker-proxy"
	_ "github.com/docker/docker/cmd/dockerd"
)
