package debian

import (
	"slices"
	"strings"
	"testing"
	"time"
)

// Essential lists the packages marked "Essential: yes", once each, sorted.
func TestEssential(t *testing.T) {
	pkgs, err := ParsePackages(strings.NewReader(`Package: dash
Version: 0.5.12-12
Architecture: amd64
Essential: yes

Package: coreutils
Version: 9.7-3
Architecture: amd64
Essential: yes

Package: coreutils
Version: 9.1-1
Architecture: amd64
Essential: yes

Package: nginx
Version: 1.26.3-3
Architecture: amd64
`))
	if err != nil {
		t.Fatal(err)
	}
	if got := NewIndex(pkgs).Essential(); !slices.Equal(got, []string{"coreutils", "dash"}) {
		t.Errorf("Essential() = %v, want [coreutils dash]", got)
	}
}

// A toolchain is locked beside the runtime packages, for the build
// platform's architecture even when no image is built for it.
func TestSetToolchain(t *testing.T) {
	rel := &Release{Date: time.Date(2025, 8, 9, 0, 0, 0, 0, time.UTC)}
	nginx := Package{Name: "nginx", Version: "1.26.3-3", Architecture: "arm64", Filename: "pool/main/n/nginx/nginx_1.26.3-3_arm64.deb", Size: 1, SHA256: strings.Repeat("b", 64)}
	l := lockFrom(rel, "trixie", []string{"nginx"}, nil, "arm64", []Package{nginx})
	hugo := Package{Name: "hugo", Version: "0.131.0-1", Architecture: "amd64", Filename: "pool/main/h/hugo/hugo_0.131.0-1_amd64.deb", Size: 1, SHA256: strings.Repeat("c", 64), Archive: "trixie"}
	l.SetToolchain("amd64", []string{"hugo", "dash", "hugo"}, []Package{hugo})
	if !slices.Equal(l.Toolchain, []string{"dash", "hugo"}) || len(l.Architectures["amd64"].Toolchain) != 1 {
		t.Errorf("toolchain = %v / %v", l.Toolchain, l.Architectures["amd64"].Toolchain)
	}
	data, err := l.Marshal()
	if err != nil {
		t.Fatalf("Marshal() error = %v", err)
	}
	back, err := ParseLock(data)
	if err != nil {
		t.Fatalf("ParseLock(Marshal()) error = %v\n%s", err, data)
	}
	if got := back.Architectures["amd64"]; len(got.Runtime) != 0 || len(got.Toolchain) != 1 {
		t.Errorf("round trip amd64 = %+v", got)
	}
}
