// Package integration holds layercake's end-to-end tests. They build real
// images through `docker buildx build` and the `# syntax=` line against real
// buildkitd daemons (OCI worker, runc) and a registry on 127.0.0.1, then run
// the images with runc and talk to nginx over loopback.
//
// They need the tools hack/tools installs and root (for buildkitd and runc).
// Without LAYERCAKE_INTEGRATION=1 (or CI=true) they are skipped; with it, a
// missing tool fails them.
package integration
