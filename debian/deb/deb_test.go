package deb

import "testing"

func TestArch(t *testing.T) {
	for _, tc := range []struct{ goarch, variant, want string }{
		{"amd64", "", "amd64"},
		{"arm64", "v8", "arm64"},
		{"arm", "", "armhf"},
		{"arm", "v7", "armhf"},
		{"arm", "v6", "armel"},
		{"386", "", "i386"},
		{"ppc64le", "", "ppc64el"},
		{"mips64le", "", "mips64el"},
		{"s390x", "", "s390x"},
		{"riscv64", "", "riscv64"},
	} {
		if got, err := Arch(tc.goarch, tc.variant); err != nil || got != tc.want {
			t.Errorf("Arch(%q, %q) = %q, %v; want %q", tc.goarch, tc.variant, got, err, tc.want)
		}
	}
	for _, bad := range [][2]string{{"wasm", ""}, {"arm", "v8"}} {
		if got, err := Arch(bad[0], bad[1]); err == nil {
			t.Errorf("Arch(%q, %q) = %q, want an error", bad[0], bad[1], got)
		}
	}
}
