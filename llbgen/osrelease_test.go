package llbgen

import "testing"

// os-release names Debian and the suite's release the way base-files does,
// so scanners match the packages against Debian's advisories for it; a
// suite without a release number gets no VERSION_ID.
func TestOSRelease(t *testing.T) {
	for _, tc := range []struct{ suite, want string }{
		{"trixie", "PRETTY_NAME=\"Debian GNU/Linux 13 (trixie)\"\nNAME=\"Debian GNU/Linux\"\nVERSION_ID=\"13\"\nVERSION=\"13 (trixie)\"\nVERSION_CODENAME=trixie\nID=debian\n"},
		{"bookworm", "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\nVERSION_ID=\"12\"\nVERSION=\"12 (bookworm)\"\nVERSION_CODENAME=bookworm\nID=debian\n"},
		{"sid", "PRETTY_NAME=\"Debian GNU/Linux sid\"\nNAME=\"Debian GNU/Linux\"\nVERSION_CODENAME=sid\nID=debian\n"},
	} {
		if got := string(OSRelease(tc.suite)); got != tc.want {
			t.Errorf("OSRelease(%s) =\n%s\nwant\n%s", tc.suite, got, tc.want)
		}
	}
}
