package spec

import (
	"reflect"
	"testing"
)

const fullSpec = `# syntax=127.0.0.1:5000/layercake:dev
version: 1
epoch: 1700000000
debian:
  suite: trixie
  mirror: https://example.org/debian/
  exclude: [perl-base, libc-bin]
server:
  port: 8081
site:
  dir: ./public/
`

func TestParseValid(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want Spec
	}{{
		name: "full",
		src:  fullSpec,
		want: Spec{
			Version: 1,
			Epoch:   int64p(1700000000),
			Debian:  Debian{Suite: "trixie", Mirror: "https://example.org/debian/", Exclude: []string{"perl-base", "libc-bin"}},
			Server:  Server{Port: 8081},
			Site:    Site{Dir: "./public/"},
		},
	}, {
		name: "minimal",
		src:  "version: 1\nsite:\n  dir: public\n",
		want: Spec{Version: 1, Site: Site{Dir: "public"}},
	}, {
		name: "extension keys at every level",
		src: "x-top: {anything: [1, 2]}\nversion: 1\ndebian:\n  x-note: hi\nserver:\n  x-a: 1\n" +
			"site:\n  dir: public\n  x-b:\n    - nested\n",
		want: Spec{Version: 1, Site: Site{Dir: "public"}},
	}, {
		name: "empty sections are empty mappings",
		src:  "version: 1\ndebian:\n  # suite: bookworm\nserver:\nsite:\n  dir: .\n",
		want: Spec{Version: 1, Site: Site{Dir: "."}},
	}, {
		name: "aliases",
		src:  "version: &v 1\nx-dirs: &d public\nsite: {dir: *d}\n",
		want: Spec{Version: 1, Site: Site{Dir: "public"}},
	}, {
		name: "flow style and hex integer",
		src:  "{version: 1, server: {port: 0x1F90}, site: {dir: public}}",
		want: Spec{Version: 1, Server: Server{Port: 8080}, Site: Site{Dir: "public"}},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := mustParse(t, tt.src)
			tt.want.file, tt.want.pos = "Dockerfile", got.pos
			if !sameSpec(got, &tt.want) {
				t.Errorf("parse(%q) = %+v, want %+v", tt.src, *got, tt.want)
			}
			if got.File() != "Dockerfile" {
				t.Errorf("parse(%q).File() = %q, want %q", tt.src, got.File(), "Dockerfile")
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want string
	}{{
		name: "empty file",
		src:  "",
		want: `Dockerfile:1:1: the file has no settings; add "version: 1" and a "site:" section`,
	}, {
		name: "only comments",
		src:  "# syntax=example/layercake\n\n# nothing else\n",
		want: `Dockerfile:1:1: the file has no settings; add "version: 1" and a "site:" section`,
	}, {
		name: "multiple documents",
		src:  "version: 1\nsite: {dir: public}\n---\nversion: 1\n",
		want: `Dockerfile:3:1: a second YAML document starts here; a spec file holds one document, so remove this "---" and what follows or merge it into the first`,
	}, {
		// yaml.v3 names the line where the unclosed construct's context starts.
		name: "syntax error",
		src:  "version: 1\nsite:\n  dir: [public\n",
		want: `Dockerfile:3:1: invalid YAML: did not find expected ',' or ']'`,
	}, {
		// yaml.v3 gives no line here, so the error points at the top of the file.
		name: "syntax error without a line",
		src:  "version: 1: 2\n",
		want: `Dockerfile:1:1: invalid YAML: mapping values are not allowed in this context`,
	}, {
		name: "tab indentation",
		src:  "version: 1\nsite:\n\tdir: public\n",
		want: `Dockerfile:3:1: invalid YAML: found character that cannot start any token`,
	}, {
		name: "top level list",
		src:  "- version: 1\n",
		want: `Dockerfile:1:1: expected a mapping with keys version, epoch, debian, server, site, got a list`,
	}, {
		name: "unknown top-level key",
		src:  "version: 1\nsites: {dir: public}\n",
		want: `Dockerfile:2:1: sites: unknown key; allowed here: version, epoch, debian, server, site (and keys starting with "x-")`,
	}, {
		name: "unknown nested key",
		src:  "version: 1\ndebian:\n  suite: trixie\n  mirrors: [a]\nsite: {dir: public}\n",
		want: `Dockerfile:4:3: debian.mirrors: unknown key; allowed here: suite, mirror, security_mirror, suites, exclude, keys (and keys starting with "x-")`,
	}, {
		name: "duplicate key",
		src:  "version: 1\nsite: {dir: a}\nversion: 1\n",
		want: `Dockerfile:3:1: version: duplicate key (first at line 1); keep only one`,
	}, {
		name: "quoted port",
		src:  "version: 1\nserver:\n  port: \"8080\"\n",
		want: `Dockerfile:3:9: server.port: expected an integer, got the string "8080"; write the number without quotes`,
	}, {
		name: "float version",
		src:  "version: 1.0\n",
		want: `Dockerfile:1:10: version: expected an integer, got the number 1.0`,
	}, {
		name: "list for debian",
		src:  "version: 1\ndebian: [trixie]\n",
		want: `Dockerfile:2:9: debian: expected a mapping with keys suite, mirror, security_mirror, suites, exclude, keys, got a list`,
	}, {
		name: "number for dir",
		src:  "version: 1\nsite:\n  dir: 2024\n",
		want: `Dockerfile:3:8: site.dir: expected a string, got the integer 2024; put it in quotes ("2024") if you mean that text`,
	}, {
		name: "null dir",
		src:  "version: 1\nsite:\n  dir:\n",
		want: `Dockerfile:3:7: site.dir: expected a string, got no value`,
	}, {
		name: "string for exclude",
		src:  "version: 1\ndebian:\n  exclude: perl-base\n",
		want: `Dockerfile:3:12: debian.exclude: expected a list of strings, got the string "perl-base"; write [a, b] or one "- item" per line`,
	}, {
		name: "mapping in exclude",
		src:  "version: 1\ndebian:\n  exclude:\n    - perl-base\n    - {name: x}\n",
		want: `Dockerfile:5:7: debian.exclude[1]: expected a string, got a mapping`,
	}, {
		name: "epoch too large",
		src:  "version: 1\nepoch: 99999999999999999999\n",
		want: `Dockerfile:2:8: epoch: expected an integer, got the number 99999999999999999999`,
	}, {
		name: "non-scalar key",
		src:  "version: 1\n? [a]\n: b\n",
		want: `Dockerfile:2:3: keys must be plain names, got a list`,
	}, {
		name: "several errors in file order",
		src:  "version: \"1\"\ndebian:\n  suite: 13\n  colour: red\nserver: 8080\n",
		want: `Dockerfile:1:10: version: expected an integer, got the string "1"; write the number without quotes` + "\n" +
			`Dockerfile:3:10: debian.suite: expected a string, got the integer 13; put it in quotes ("13") if you mean that text` + "\n" +
			`Dockerfile:4:3: debian.colour: unknown key; allowed here: suite, mirror, security_mirror, suites, exclude, keys (and keys starting with "x-")` + "\n" +
			`Dockerfile:5:9: server: expected a mapping with keys port, headers, include, compress, health, ipv6, got the integer 8080`,
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := parse("Dockerfile", []byte(tt.src))
			if got := errText(err); got != tt.want {
				t.Errorf("parse(%q) error = %v, want %v", tt.src, got, tt.want)
			}
			if s != nil {
				t.Errorf("parse(%q) = %+v, want nil on error", tt.src, *s)
			}
			for _, e := range Errors(err) {
				if e.File != "Dockerfile" || (e.Pos.Line < 1 && e.Msg[:8] != "invalid ") {
					t.Errorf("parse(%q) error %#v lacks a file or position", tt.src, e)
				}
			}
		})
	}
}

func TestErrors(t *testing.T) {
	_, err := parse("f", []byte("a: 1\nb: 2\n"))
	got := Errors(err)
	want := []*Error{
		{File: "f", Pos: Pos{1, 1}, Path: "a", Msg: `unknown key; allowed here: version, epoch, debian, server, site (and keys starting with "x-")`},
		{File: "f", Pos: Pos{2, 1}, Path: "b", Msg: `unknown key; allowed here: version, epoch, debian, server, site (and keys starting with "x-")`},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Errors(%v) = %v, want %v", err, got, want)
	}
}

func TestErrorString(t *testing.T) {
	tests := []struct {
		e    Error
		want string
	}{
		{Error{File: "f", Pos: Pos{2, 3}, Path: "a.b", Msg: "bad"}, "f:2:3: a.b: bad"},
		{Error{File: "f", Pos: Pos{2, 3}, Msg: "bad"}, "f:2:3: bad"},
		{Error{File: "f", Msg: "bad"}, "f: bad"},
		{Error{Pos: Pos{1, 1}, Path: "p", Msg: "bad"}, "1:1: p: bad"},
		{Error{Msg: "bad"}, "bad"},
	}
	for _, tt := range tests {
		if got := tt.e.Error(); got != tt.want {
			t.Errorf("%#v.Error() = %q, want %q", tt.e, got, tt.want)
		}
	}
}
