package spec

import (
	"slices"
	"strings"
	"testing"
)

func TestToolchainSuites(t *testing.T) {
	for _, tc := range []struct {
		name, debian, suite string
		want                []string
	}{
		{"absent: the runtime's archives", "", "", nil},
		{"testing alone", "", "forky", []string{"forky"}},
		{"backports with the suite's archives", "", "trixie-backports", []string{"trixie", "trixie-updates", "trixie-security", "trixie-backports"}},
		{"backports of debian.suites as written", "debian:\n  suite: trixie\n  suites: [trixie]\n", "trixie-backports", []string{"trixie", "trixie-backports"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := "version: 1\n" + tc.debian + "site:\n  build:\n    packages: [hugo]\n    run: hugo\n    output: public\n"
			if tc.suite != "" {
				src += "    suite: " + tc.suite + "\n"
			}
			s, err := Load("Dockerfile", []byte(src))
			if err != nil {
				t.Fatalf("Load() error = %v", err)
			}
			if got := s.ToolchainSuites(); !slices.Equal(got, tc.want) {
				t.Errorf("ToolchainSuites() = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestToolchainSuiteErrors(t *testing.T) {
	for _, tc := range []struct{ suite, want string }{
		{"Forky", `Dockerfile:7:12: site.build.suite: "Forky" is not a suite name`},
		{"trixie", `Dockerfile:7:12: site.build.suite: "trixie" is debian.suite already`},
		{"forky-security", `Dockerfile:7:12: site.build.suite: "forky-security" is an archive of a suite`},
		{"trixie-updates", `Dockerfile:7:12: site.build.suite: "trixie-updates" is an archive of a suite`},
		{"bookworm-backports", `Dockerfile:7:12: site.build.suite: "bookworm-backports" backports bookworm, but debian.suite is trixie; backports need their suite's packages, so use "trixie-backports"`},
		{`""`, `Dockerfile:7:12: site.build.suite: "" is not a suite name`},
	} {
		t.Run(tc.suite, func(t *testing.T) {
			src := "version: 1\nsite:\n  build:\n    packages: [hugo]\n    run: hugo\n    output: public\n    suite: " + tc.suite + "\n"
			_, err := Load("Dockerfile", []byte(src))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Load(suite: %s) error = %v, want %q", tc.suite, err, tc.want)
			}
		})
	}
}
