// Package deb holds what layercake knows about a Debian package without any
// I/O: a pinned .deb (Locked) and the Debian names of OCI platform
// architectures (Arch). llbgen imports it instead of debian, whose archive
// client carries HTTP and OpenPGP.
package deb

import "fmt"

// Locked pins one .deb: what a lock records and a build fetches.
type Locked struct {
	// Name is the binary package name.
	Name string `json:"name"`
	// Version is the package version.
	Version string `json:"version"`
	// Architecture is the package's architecture, the lock's key or "all".
	Architecture string `json:"architecture"`
	// Archive is the suite of the archive that serves the .deb, e.g.
	// "trixie-security"; Path is relative to that archive's URL. A lock of
	// format 1 has none: its packages come from its one suite.
	Archive string `json:"archive,omitempty"`
	// Path is mirror-relative, e.g. "pool/main/n/nginx/nginx_1.26.3-3_amd64.deb".
	Path string `json:"path"`
	// Size is the .deb's size in bytes.
	Size int64 `json:"size"`
	// SHA256 is the .deb's lowercase hex sha256.
	SHA256 string `json:"sha256"`
}

// Arch maps an OCI platform architecture and variant to a Debian
// architecture: amd64 -> amd64, arm64 -> arm64, arm/v7 (or no variant) ->
// armhf, arm/v6 and arm/v5 -> armel, 386 -> i386, ppc64le -> ppc64el,
// s390x -> s390x, riscv64 -> riscv64, mips64le -> mips64el. Other
// architectures are an error.
func Arch(goarch, variant string) (string, error) {
	switch goarch {
	case "amd64", "arm64", "s390x", "riscv64":
		return goarch, nil
	case "386":
		return "i386", nil
	case "ppc64le":
		return "ppc64el", nil
	case "mips64le":
		return "mips64el", nil
	case "arm":
		return armArch(variant)
	}
	return "", fmt.Errorf("no Debian architecture for platform architecture %q", goarch)
}

func armArch(variant string) (string, error) {
	switch variant {
	case "", "v7":
		return "armhf", nil
	case "v6", "v5":
		return "armel", nil
	}
	return "", fmt.Errorf("no Debian architecture for arm variant %q", variant)
}
