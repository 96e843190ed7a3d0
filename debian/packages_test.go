package debian

import (
	"reflect"
	"strings"
	"testing"
)

const sha = "222f1f296cb91a67323fdca0e37c4f34a7be78d14de043f15b2f76acdd8750a9"

func TestParsePackages(t *testing.T) {
	in := "\n\nPackage: nginx\nVersion: 1.26.3-3\nArchitecture: amd64\n" +
		"Depends: libc6 (>= 2.34),\n zlib1g (>= 1:1.1.4)\n" +
		"Pre-Depends: init-system-helpers\n" +
		"Provides: httpd, nginx-abi (= 1.26.3-1)\n" +
		"Description: web server\n more text\n .\n end\n" +
		"Source: nginx-src (1.26.3-3)\n" +
		"Multi-Arch: foreign\nFilename: pool/main/n/nginx/nginx_1.26.3-3_amd64.deb\nSize: 613548\nSHA256: " + sha + "\n" +
		"\n\n\n" +
		"Package: nginx-common\nVersion: 1.26.3-3\nArchitecture: all" // no trailing newline
	got, err := ParsePackages(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	want := []Package{{
		Name: "nginx", Version: "1.26.3-3", Architecture: "amd64",
		Filename: "pool/main/n/nginx/nginx_1.26.3-3_amd64.deb", SHA256: sha, Source: "nginx-src", Size: 613548,
		Depends: []Dependency{
			{{Name: "libc6", Op: ">=", Version: "2.34"}},
			{{Name: "zlib1g", Op: ">=", Version: "1:1.1.4"}},
		},
		PreDepends: []Dependency{{{Name: "init-system-helpers"}}},
		Provides:   []Relation{{Name: "httpd"}, {Name: "nginx-abi", Op: "=", Version: "1.26.3-1"}},
		MultiArch:  "foreign",
	}, {
		Name: "nginx-common", Version: "1.26.3-3", Architecture: "all", Source: "nginx-common",
	}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ParsePackages() =\n%+v\nwant\n%+v", got, want)
	}
}

func TestParsePackagesEmpty(t *testing.T) {
	got, err := ParsePackages(strings.NewReader("\n \n"))
	if err != nil || len(got) != 0 {
		t.Errorf("ParsePackages(blank) = %v, %v, want nothing", got, err)
	}
}

func TestParsePackagesErrors(t *testing.T) {
	const ok = "Package: a\nVersion: 1\nArchitecture: all\n"
	tests := []struct {
		in, wantErr string
	}{
		{ok + "\n\nPackage: b\nVersion: 1\n", "line 6: stanza has no Architecture field"},
		{ok + "Depends: b (>= )\n", "line 4: Depends: "},
		{ok + "Depends: b,\n ,c\n", "line 4: Depends: "},
		{ok + "Depends:\n", "line 4: Depends: empty field"},
		{" continued\n", "line 1: continuation line before any field"},
		{ok + "no colon here\n", "line 4: malformed field"},
		{ok + "Version: 2\n", "line 4: duplicate field"},
		{"Package: a\nVersion: x\nArchitecture: all\n", "line 2: Version: invalid value"},
		{"Package: A_\nVersion: 1\nArchitecture: all\n", "line 1: Package: invalid value"},
		{ok + "Size: -1\n", "line 4: Size"},
		{ok + "SHA256: abc\n", "line 4: SHA256"},
		{ok + "Provides: x | y\n", "line 4: Provides"},
		{ok + "Provides: x (>= 1)\n", "line 4: Provides"},
	}
	for _, tt := range tests {
		_, err := ParsePackages(strings.NewReader(tt.in))
		if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
			t.Errorf("ParsePackages(%q) error = %v, want %q", tt.in, err, tt.wantErr)
		}
	}
}
