package frontend

import (
	"strings"
	"testing"

	"github.com/layercake-build/layercake/debian"
)

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
