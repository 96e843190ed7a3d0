package spec

import "testing"

const posSpec = `# syntax=127.0.0.1:5000/layercake:dev

# The release.
version: 1

debian:
  # Trimmed from the runtime.

  exclude:
    - perl-base   # not needed

    - libc-bin
  mirror:   https://example.org/debian
site:
  dir: public
`

func TestPos(t *testing.T) {
	s := mustParse(t, posSpec)
	tests := []struct {
		path string
		want Pos
	}{
		{"version", Pos{4, 10}},
		{"debian", Pos{9, 3}}, // a block mapping starts at its first key
		{"debian.exclude", Pos{10, 5}},
		{"debian.exclude[0]", Pos{10, 7}},
		{"debian.exclude[1]", Pos{12, 7}},
		{"debian.mirror", Pos{13, 13}},
		{"debian.suite", Pos{6, 1}},      // absent: the "debian" key
		{"debian.exclude[5]", Pos{9, 3}}, // absent: the "exclude" key
		{"site", Pos{15, 3}},
		{"site.dir", Pos{15, 8}},
		{"server.port", Pos{1, 1}}, // no parent present
		{"", Pos{1, 1}},
		{"no.such[path", Pos{1, 1}},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			if got := s.Pos(tt.path); got != tt.want {
				t.Errorf("Pos(%q) = %v, want %v", tt.path, got, tt.want)
			}
		})
	}
}

func TestPosAfterDefaults(t *testing.T) {
	s := mustParse(t, posSpec).WithDefaults()
	if got, want := s.Pos("debian.mirror"), (Pos{13, 13}); got != want {
		t.Errorf("WithDefaults().Pos(%q) = %v, want %v", "debian.mirror", got, want)
	}
	var zero *Spec
	if got, want := zero.Pos("site"), (Pos{1, 1}); got != want {
		t.Errorf("(*Spec)(nil).Pos(%q) = %v, want %v", "site", got, want)
	}
}
