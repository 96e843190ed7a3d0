package debian

import (
	"os"
	"testing"
)

// TestResolveRealNginx resolves nginx against a real Packages file named by
// LAYERCAKE_PACKAGES_FILE (uncompressed) and logs the closure.
func TestResolveRealNginx(t *testing.T) {
	path := os.Getenv("LAYERCAKE_PACKAGES_FILE")
	if path == "" {
		t.Skip("set LAYERCAKE_PACKAGES_FILE to an uncompressed Packages index to run")
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	pkgs, err := ParsePackages(f)
	if err != nil {
		t.Fatal(err)
	}
	closure, err := Resolve(NewIndex(pkgs), []string{"nginx"}, DefaultExclude)
	if err != nil {
		t.Fatal(err)
	}
	var total int64
	for _, p := range closure {
		t.Logf("%-26s %-34s %-6s %9d %s", p.Name, p.Version, p.Architecture, p.Size, p.Filename)
		total += p.Size
	}
	t.Logf("%d packages, %d bytes of .debs (from %d in the index)", len(closure), total, len(pkgs))
	for _, p := range closure {
		for _, bad := range []string{"debconf", "iproute2", "perl-base", "dpkg"} {
			if p.Name == bad {
				t.Errorf("closure contains %s", bad)
			}
		}
	}
}
