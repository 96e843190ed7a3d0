package frontend

import (
	"encoding/json"
	"fmt"

	"github.com/moby/buildkit/frontend/gateway/client"
)

// requestVersion is `docker buildx build --call version`: which layercake
// answered, so a user can tell the frontend a `# syntax=` digest runs.
const requestVersion = "frontend.version"

// VersionInfo is the result of --call version (its result.json).
type VersionInfo struct {
	// Version is the release, e.g. 1.2.3, or what `git describe` said.
	Version string `json:"version"`
	// Commit is the full git commit the binary was built from.
	Commit string `json:"commit"`
}

// versionResult answers --call version. It reads nothing of the build: it
// works without a spec, a lock or a mirror.
func versionResult() *client.Result {
	info := VersionInfo{Version: Version, Commit: Commit}
	dt, _ := json.Marshal(info) // two strings: cannot fail
	res := client.NewResult()
	res.AddMeta("result.json", dt)
	res.AddMeta("result.txt", fmt.Appendf(nil, "layercake %s (commit %s)\n", info.Version, info.Commit))
	return res
}
