package frontend

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/layercake-build/layercake/debian"
)

// toolchainError explains a toolchain that does not resolve. When a name
// of site.build.packages itself has no package, it points at that item and
// offers the index's nearest names ("did you mean hugo?").
func (b *builder) toolchainError(idx *debian.Index, toolchain []string, arch string, err error) error {
	err = fmt.Errorf("site.build.packages: resolving the toolchain %v for %s: %w", toolchain, arch, err)
	pos := b.spec.Pos("site.build.packages")
	var nc *debian.NoCandidateError
	if errors.As(err, &nc) && nc.RequiredBy == "" {
		if i := slices.Index(b.spec.Site.Build.Packages, nc.Name); i >= 0 {
			pos = b.spec.Pos(fmt.Sprintf("site.build.packages[%d]", i))
		}
		err = fmt.Errorf("%w%s", err, didYouMean(idx.Suggest(nc.Name)))
	}
	return b.src.withPositions(err, pos)
}

// didYouMean turns suggestions into "; did you mean a or b?", or "".
func didYouMean(names []string) string {
	switch len(names) {
	case 0:
		return ""
	case 1:
		return "; did you mean " + names[0] + "?"
	}
	return "; did you mean " + strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1] + "?"
}
