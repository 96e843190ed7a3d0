package frontend

import (
	"errors"
	"fmt"
	"slices"

	"github.com/layercake-build/layercake/debian"
)

// toolchainError explains a toolchain that does not resolve. When a name
// of site.build.packages itself has no package, it points at that item of
// the list (the resolver's error already offers the index's nearest names).
func (b *builder) toolchainError(toolchain []string, arch string, err error) error {
	err = fmt.Errorf("site.build.packages: resolving the toolchain %v for %s: %w", toolchain, arch, err)
	pos := b.spec.Pos("site.build.packages")
	var nc *debian.NoCandidateError
	if errors.As(err, &nc) && nc.RequiredBy == "" {
		if i := slices.Index(b.spec.Site.Build.Packages, nc.Name); i >= 0 {
			pos = b.spec.Pos(fmt.Sprintf("site.build.packages[%d]", i))
		}
	}
	return b.src.withPositions(err, pos)
}
