package frontend

import (
	"reflect"
	"strings"
	"testing"

	"github.com/layercake-build/layercake/debian"
	"github.com/layercake-build/layercake/debian/deb"
)

// cover is the one lock policy: what the build resolves and --check reports.
func TestCover(t *testing.T) {
	req := request{suite: "trixie", roots: []string{"nginx"}, exclude: []string{"dpkg"}, toolchain: []string{"hugo"}}
	lock := &debian.Lock{Suite: "trixie", Roots: []string{"nginx"}, Exclude: []string{"dpkg"}, Toolchain: []string{"hugo"},
		Architectures: map[string]*debian.ArchLock{"amd64": {Runtime: []deb.Locked{{Name: "nginx"}}, Toolchain: []deb.Locked{{Name: "hugo"}}}}}
	other := *lock
	other.Toolchain = []string{"mkdocs"}
	stale := *lock
	stale.Suite = "forky"
	forkyLock := *lock
	forky := &forkyLock
	forky.ToolchainArchives = []debian.LockArchive{{Suite: "forky"}}
	for _, tc := range []struct {
		name          string
		lock          *debian.Lock
		arches        []string
		toolchainArch string
		want          coverage
	}{
		{"covered", lock, []string{"amd64"}, "amd64", coverage{}},
		{"prebuilt site", lock, []string{"amd64"}, "", coverage{}},
		{"missing platform", lock, []string{"amd64", "arm64"}, "amd64", coverage{arches: []string{"arm64"}}},
		{"no toolchain for the build platform", lock, []string{"amd64"}, "arm64", coverage{noToolchain: true}},
		{"another toolchain", &other, []string{"amd64"}, "amd64", coverage{toolchain: "layercake.lock pins the toolchain [mkdocs] but site.build.packages is [hugo]", toolchainField: "site.build.packages"}},
		{"toolchain from another suite", forky, []string{"amd64"}, "amd64", coverage{toolchain: "layercake.lock takes the toolchain from [forky] but site.build.suite asks for the runtime's archives", toolchainField: "site.build.suite"}},
		{"stale outranks the rest", &stale, []string{"arm64"}, "arm64", coverage{stale: "layercake.lock is for Debian forky but the spec asks for trixie"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := req.cover(tc.lock, tc.arches, tc.toolchainArch); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("cover() = %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestRequestStale(t *testing.T) {
	req := request{suite: "trixie", roots: []string{"nginx"}, exclude: []string{"debconf", "dpkg"}}
	for _, tc := range []struct {
		name string
		lock debian.Lock
		want string // "" means the lock serves the request
	}{
		{"matches", debian.Lock{Suite: "trixie", Roots: []string{"nginx"}, Exclude: []string{"debconf", "dpkg"}}, ""},
		{"other suite", debian.Lock{Suite: "bookworm", Roots: []string{"nginx"}, Exclude: []string{"debconf", "dpkg"}}, "is for Debian bookworm but the spec asks for trixie"},
		{"other roots", debian.Lock{Suite: "trixie", Roots: []string{"apache2"}, Exclude: []string{"debconf", "dpkg"}}, "pins the closure of [apache2]"},
		{"other exclusions", debian.Lock{Suite: "trixie", Roots: []string{"nginx"}, Exclude: []string{"debconf"}}, "another debian.exclude list"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := req.stale(&tc.lock)
			if (tc.want == "") != (got == "") || !strings.Contains(got, tc.want) {
				t.Errorf("stale() = %q, want %q", got, tc.want)
			}
		})
	}
}
