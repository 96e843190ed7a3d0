package spec

import (
	"reflect"
	"testing"
)

func TestWithDefaults(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want Spec
	}{{
		name: "minimal",
		src:  "version: 1\nsite:\n  dir: public\n",
		want: Spec{Version: 1, Debian: Debian{Suite: DefaultSuite, Suites: []string{"trixie", "trixie-updates", "trixie-security"}}, Server: Server{Port: DefaultPort, Compress: DefaultCompress}, Site: Site{Dir: "public"}},
	}, {
		name: "full keeps values, trims mirror, cleans dir",
		src:  fullSpec,
		want: Spec{
			Version: 1,
			Epoch:   int64p(1700000000),
			Debian:  Debian{Suite: "trixie", Mirror: "https://example.org/debian", Suites: []string{"trixie", "trixie-updates", "trixie-security"}, Exclude: []string{"perl-base", "libc-bin"}},
			Server:  Server{Port: 8081, Compress: DefaultCompress},
			Site:    Site{Dir: "public"},
		},
	}, {
		name: "suites opt out, security mirror trimmed",
		src:  "version: 1\ndebian:\n  suite: bookworm\n  suites: [bookworm]\n  security_mirror: https://example.org/debian-security/\nsite: {dir: public}\n",
		want: Spec{Version: 1, Debian: Debian{Suite: "bookworm", SecurityMirror: "https://example.org/debian-security", Suites: []string{"bookworm"}}, Server: Server{Port: DefaultPort, Compress: DefaultCompress}, Site: Site{Dir: "public"}},
	}, {
		name: "dot dir",
		src:  "version: 1\nsite: {dir: ./}\n",
		want: Spec{Version: 1, Debian: Debian{Suite: DefaultSuite, Suites: []string{"trixie", "trixie-updates", "trixie-security"}}, Server: Server{Port: DefaultPort, Compress: DefaultCompress}, Site: Site{Dir: "."}},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := mustParse(t, tt.src)
			before := s.Clone()
			got := s.WithDefaults()
			tt.want.file, tt.want.pos = "Dockerfile", s.pos
			if !sameSpec(got, &tt.want) {
				t.Errorf("WithDefaults(%q) = %+v, want %+v", tt.src, *got, tt.want)
			}
			if !sameSpec(s, before) {
				t.Errorf("WithDefaults(%q) changed its input to %+v, want %+v", tt.src, *s, *before)
			}
			if err := got.Validate(); err != nil {
				t.Errorf("WithDefaults(%q).Validate() = %v, want nil", tt.src, err)
			}
		})
	}
}

// The copy shares no mutable memory with its input.
func TestWithDefaultsCopies(t *testing.T) {
	s := mustParse(t, fullSpec)
	got := s.WithDefaults()
	got.Debian.Exclude[0] = "changed"
	*got.Epoch = 1
	if s.Debian.Exclude[0] != "perl-base" || *s.Epoch != 1700000000 {
		t.Errorf("WithDefaults() result aliases its input: %+v", *s)
	}
}

func TestLoad(t *testing.T) {
	got, err := Load("Dockerfile", []byte("version: 1\nsite: {dir: public}\n"))
	if err != nil {
		t.Fatalf("Load() error = %v, want nil", err)
	}
	want := Spec{Version: 1, Debian: Debian{Suite: DefaultSuite, Suites: []string{"trixie", "trixie-updates", "trixie-security"}}, Server: Server{Port: DefaultPort, Compress: DefaultCompress}, Site: Site{Dir: "public"}}
	if !reflect.DeepEqual(got.Site, want.Site) || !reflect.DeepEqual(got.Server, want.Server) || got.Debian.Suite != want.Debian.Suite {
		t.Errorf("Load() = %+v, want %+v", *got, want)
	}
	if _, err := Load("Dockerfile", []byte("version: 2\nsite: {dir: public}\n")); err == nil {
		t.Errorf("Load(version 2) error = nil, want an error")
	}
}
