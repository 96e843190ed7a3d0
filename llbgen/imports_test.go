package llbgen

import (
	"go/build"
	"strings"
	"testing"
)

// llbgen is pure: it imports none of layercake's I/O packages (the archive
// client, with HTTP and OpenPGP) and nothing that does network or file I/O.
func TestImportsNoIO(t *testing.T) {
	pkg, err := build.Default.ImportDir(".", 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, imp := range pkg.Imports {
		if imp == "github.com/layercake-build/layercake/debian" || imp == "os" || strings.HasPrefix(imp, "net") ||
			strings.Contains(imp, "openpgp") || strings.Contains(imp, "gateway") {
			t.Errorf("llbgen imports %s", imp)
		}
	}
}
