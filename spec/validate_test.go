package spec

import "testing"

func TestValidate(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want string
	}{{
		name: "full spec is valid",
		src:  fullSpec,
	}, {
		name: "minimal spec is valid",
		src:  "version: 1\nsite:\n  dir: .\n",
	}, {
		// Lists and mappings whose items are all commented out are empty, not wrong.
		name: "lists and mappings with no value",
		src:  "version: 1\ndebian:\n  exclude:\n  keys:\nserver:\n  headers:\n  include:\n    server:\nsite: {dir: public}\n",
	}, {
		name: "version missing",
		src:  "site: {dir: public}\n",
		want: `Dockerfile:1:1: version: missing; add "version: 1" at the top of the file`,
	}, {
		name: "version wrong",
		src:  "version: 2\nsite: {dir: public}\n",
		want: `Dockerfile:1:10: version: 2 is not supported; this layercake reads "version: 1"`,
	}, {
		name: "version zero",
		src:  "version: 0\nsite: {dir: public}\n",
		want: `Dockerfile:1:10: version: 0 is not supported; this layercake reads "version: 1"`,
	}, {
		name: "negative epoch",
		src:  "version: 1\nepoch: -1\nsite: {dir: public}\n",
		want: `Dockerfile:2:8: epoch: -1 is negative; use seconds since 1970-01-01 UTC (0 or more), or remove it`,
	}, {
		name: "bad suite",
		src:  "version: 1\ndebian:\n  suite: Trixie\nsite: {dir: public}\n",
		want: `Dockerfile:3:10: debian.suite: "Trixie" is not a suite name; use a Debian codename such as "trixie" (lowercase letters, digits, "." and "-"), or remove it for "trixie"`,
	}, {
		name: "empty suite",
		src:  "version: 1\ndebian:\n  suite: \"\"\nsite: {dir: public}\n",
		want: `Dockerfile:3:10: debian.suite: "" is not a suite name; use a Debian codename such as "trixie" (lowercase letters, digits, "." and "-"), or remove it for "trixie"`,
	}, {
		name: "suites opt out",
		src:  "version: 1\ndebian:\n  suites: [trixie]\nsite: {dir: public}\n",
	}, {
		name: "suites of another release, repeated, without the suite",
		src:  "version: 1\ndebian:\n  suite: trixie\n  suites: [trixie-security, bookworm-updates, trixie-security]\nsite: {dir: public}\n",
		want: `Dockerfile:4:11: debian.suites: does not list "trixie"; the suite itself holds most packages, list it first: [trixie, trixie-security, bookworm-updates, trixie-security]
Dockerfile:4:29: debian.suites[1]: "bookworm-updates" is not an archive of debian.suite "trixie"; use trixie, trixie-updates or trixie-security
Dockerfile:4:47: debian.suites[2]: "trixie-security" is already listed at debian.suites[0]; remove one`,
	}, {
		name: "empty suites",
		src:  "version: 1\ndebian:\n  suites: []\nsite: {dir: public}\n",
		want: `Dockerfile:3:11: debian.suites: empty; list the archives packages come from, such as [trixie] (or remove it for [trixie trixie-updates trixie-security])`,
	}, {
		name: "relative security mirror",
		src:  "version: 1\ndebian:\n  security_mirror: deb.example.org/debian-security\nsite: {dir: public}\n",
		want: `Dockerfile:3:20: debian.security_mirror: "deb.example.org/debian-security" is not an absolute URL; use an absolute http or https URL such as https://deb.example.org/debian-security, or remove it and pass --build-arg DEBIAN_SECURITY_MIRROR`,
	}, {
		name: "empty mirror",
		src:  "version: 1\ndebian:\n  mirror: ''\nsite: {dir: public}\n",
		want: `Dockerfile:3:11: debian.mirror: empty; ` + mirrorHint,
	}, {
		name: "relative mirror",
		src:  "version: 1\ndebian:\n  mirror: deb.example.org/debian\nsite: {dir: public}\n",
		want: `Dockerfile:3:11: debian.mirror: "deb.example.org/debian" is not an absolute URL; ` + mirrorHint,
	}, {
		name: "ftp mirror",
		src:  "version: 1\ndebian:\n  mirror: ftp://example.org/debian\nsite: {dir: public}\n",
		want: `Dockerfile:3:11: debian.mirror: "ftp://example.org/debian" uses scheme "ftp"; ` + mirrorHint,
	}, {
		name: "mirror with query",
		src:  "version: 1\ndebian:\n  mirror: https://example.org/debian?x=1\nsite: {dir: public}\n",
		want: `Dockerfile:3:11: debian.mirror: "https://example.org/debian?x=1" has a query or fragment; use the archive's base URL, the folder holding dists/ and pool/`,
	}, {
		name: "mirror with fragment",
		src:  "version: 1\ndebian:\n  mirror: 'https://example.org/debian#top'\nsite: {dir: public}\n",
		want: `Dockerfile:3:11: debian.mirror: "https://example.org/debian#top" has a query or fragment; use the archive's base URL, the folder holding dists/ and pool/`,
	}, {
		name: "mirror with credentials",
		src:  "version: 1\ndebian:\n  mirror: https://u:p@example.org/debian\nsite: {dir: public}\n",
		want: `Dockerfile:3:11: debian.mirror: "https://u:p@example.org/debian" holds credentials; remove them, the spec file is not a secret`,
	}, {
		name: "bad and duplicate excludes",
		src:  "version: 1\ndebian:\n  exclude:\n    - perl-base\n    - Perl\n    - perl-base\nsite: {dir: public}\n",
		want: `Dockerfile:5:7: debian.exclude[1]: "Perl" is not a Debian package name; use the binary package name as apt shows it, such as "perl-base"` + "\n" +
			`Dockerfile:6:7: debian.exclude[2]: "perl-base" is already listed at debian.exclude[0]; remove one`,
	}, {
		name: "port out of range",
		src:  "version: 1\nserver:\n  port: 80000\nsite: {dir: public}\n",
		want: `Dockerfile:3:9: server.port: 80000 is out of range; use a port from 1024 to 65535 (nginx runs as a non-root user)`,
	}, {
		name: "port zero",
		src:  "version: 1\nserver:\n  port: 0\nsite: {dir: public}\n",
		want: `Dockerfile:3:9: server.port: 0 is out of range; use a port from 1024 to 65535 (nginx runs as a non-root user)`,
	}, {
		name: "site missing",
		src:  "version: 1\n",
		want: `Dockerfile:1:1: site: missing; add "site: {dir: public}" naming the folder to serve, or a "site.build" section that generates it`,
	}, {
		name: "site dir missing",
		src:  "version: 1\n\nsite:\n  x-later: true\n",
		want: `Dockerfile:3:1: site.dir: missing; add "dir: public" naming the folder in the build context to serve ("." serves the whole context)`,
	}, {
		name: "site dir empty",
		src:  "version: 1\nsite:\n  dir: ''\n",
		want: `Dockerfile:3:8: site.dir: empty; ` + dirHint,
	}, {
		name: "site dir absolute",
		src:  "version: 1\nsite:\n  dir: /srv/www\n",
		want: `Dockerfile:3:8: site.dir: "/srv/www" is absolute; ` + dirHint,
	}, {
		name: "site dir escapes",
		src:  "version: 1\nsite:\n  dir: public/../..\n",
		want: `Dockerfile:3:8: site.dir: "public/../.." leads outside the build context; ` + dirHint,
	}, {
		name: "site dir with backslash",
		src:  "version: 1\nsite:\n  dir: 'public\\www'\n",
		want: `Dockerfile:3:8: site.dir: "public\\www" contains a backslash; ` + dirHint,
	}, {
		name: "site dir inner dotdot is fine",
		src:  "version: 1\nsite:\n  dir: a/../public\n",
	}, {
		name: "every problem, in file order",
		src:  "debian:\n  suite: Sid\n  exclude: [a]\nserver: {port: -1}\nsite: {dir: ../x}\n",
		want: `Dockerfile:1:1: version: missing; add "version: 1" at the top of the file` + "\n" +
			`Dockerfile:2:10: debian.suite: "Sid" is not a suite name; use a Debian codename such as "trixie" (lowercase letters, digits, "." and "-"), or remove it for "trixie"` + "\n" +
			`Dockerfile:3:13: debian.exclude[0]: "a" is not a Debian package name; use the binary package name as apt shows it, such as "perl-base"` + "\n" +
			`Dockerfile:4:16: server.port: -1 is out of range; use a port from 1024 to 65535 (nginx runs as a non-root user)` + "\n" +
			`Dockerfile:5:13: site.dir: "../x" leads outside the build context; ` + dirHint,
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := mustParse(t, tt.src)
			before := s.Clone()
			err := s.Validate()
			if got := errText(err); got != tt.want {
				t.Errorf("Validate(%q) error = %v, want %v", tt.src, got, tt.want)
			}
			if !sameSpec(s, before) {
				t.Errorf("Validate(%q) changed the spec to %+v, want %+v", tt.src, *s, *before)
			}
		})
	}
}

const (
	mirrorHint = "use an absolute http or https URL such as https://deb.example.org/debian, or remove it and pass --build-arg DEBIAN_MIRROR"
	dirHint    = `use a path relative to the build context with "/" separators, such as "public" ("." serves the whole context)`
)

// A spec built in Go, with no positions, validates against its zero values.
func TestValidateWithoutPositions(t *testing.T) {
	tests := []struct {
		name string
		s    Spec
		want string
	}{{
		name: "zero spec",
		want: `1:1: site: missing; add "site: {dir: public}" naming the folder to serve, or a "site.build" section that generates it` + "\n" +
			`1:1: version: missing; add "version: 1" at the top of the file`,
	}, {
		name: "valid",
		s:    Spec{Version: 1, Site: Site{Dir: "public"}},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := errText(tt.s.Validate()); got != tt.want {
				t.Errorf("%+v.Validate() = %v, want %v", tt.s, got, tt.want)
			}
		})
	}
}
