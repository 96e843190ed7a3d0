package llbgen

import (
	"fmt"
	"strings"
)

// debianVersions are the release numbers of Debian's codenames, as
// base-files writes them into os-release.
var debianVersions = map[string]string{
	"buster":   "10",
	"bullseye": "11",
	"bookworm": "12",
	"trixie":   "13",
	"forky":    "14",
	"duke":     "15",
}

// OSRelease is the image's /usr/lib/os-release (and /etc/os-release, a
// link to it), derived from the suite alone: base-files, which ships it
// in Debian, is left out of the image, and scanners (syft, Grype, Trivy)
// read it to know which distribution's advisories apply to the packages.
// A suite with no release number (sid, or one newer than layercake) gets
// no VERSION_ID, as base-files does for unstable.
func OSRelease(suite string) []byte {
	pretty := "Debian GNU/Linux " + suite
	var b strings.Builder
	v, known := debianVersions[suite]
	if known {
		pretty = fmt.Sprintf("Debian GNU/Linux %s (%s)", v, suite)
	}
	fmt.Fprintf(&b, "PRETTY_NAME=%q\n", pretty)
	b.WriteString("NAME=\"Debian GNU/Linux\"\n")
	if known {
		fmt.Fprintf(&b, "VERSION_ID=%q\nVERSION=%q\n", v, v+" ("+suite+")")
	}
	fmt.Fprintf(&b, "VERSION_CODENAME=%s\nID=debian\n", suite)
	return []byte(b.String())
}
