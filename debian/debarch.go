package debian

import "fmt"

// DebArch maps an OCI platform architecture and variant to a Debian
// architecture: amd64 -> amd64, arm64 -> arm64, arm/v7 (or no variant) ->
// armhf, arm/v6 and arm/v5 -> armel, 386 -> i386, ppc64le -> ppc64el,
// s390x -> s390x, riscv64 -> riscv64, mips64le -> mips64el. Other
// architectures are an error.
func DebArch(goarch, variant string) (string, error) {
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
