package sbom

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/layercake-build/layercake/debian/deb"
	"github.com/layercake-build/layercake/testkit/spdxschema"
)

func testImage() Image {
	return Image{
		Platform: "linux/amd64",
		Suite:    "trixie",
		Packages: []deb.Locked{
			{Name: "libc6", Version: "2.41-12", Architecture: "amd64", Path: "pool/main/g/glibc/libc6_2.41-12_amd64.deb", SHA256: strings.Repeat("a", 64)},
			{Name: "zlib1g", Version: "1:1.3.dfsg+really1.3.1-1", Architecture: "amd64", Path: "pool/main/z/zlib/zlib1g.deb", SHA256: strings.Repeat("b", 64)},
		},
		Site:    "public",
		Created: time.Unix(1700000000, 0),
		Tool:    "layercake-test",
	}
}

var update = flag.Bool("update", false, "rewrite golden files")

// The document is these bytes for this image, whenever and wherever it is
// made (no clock, no random namespace, no map order): a golden file, so a
// change of the output is a decision. Another site gives another document.
func TestSPDXDeterministic(t *testing.T) {
	a, err := SPDX(testImage())
	if err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "spdx.golden.json")
	if *update {
		if err := os.WriteFile(golden, a, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("reading %s (run with -update to write it): %v", golden, err)
	}
	if !bytes.Equal(a, want) {
		t.Errorf("SPDX() differs from %s (run with -update after checking):\n%s", golden, a)
	}
	other := testImage()
	other.Site = "www"
	b, _ := SPDX(other)
	if bytes.Equal(a, b) {
		t.Error("SPDX() ignores the site")
	}
}

func TestSPDXContent(t *testing.T) {
	data, err := SPDX(testImage())
	if err != nil {
		t.Fatal(err)
	}
	var doc document
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.SPDXVersion != "SPDX-2.3" || doc.CreationInfo.Created != "2023-11-14T22:13:20Z" || len(doc.Packages) != 3 || len(doc.Relationships) != 3 {
		t.Errorf("document = %+v", doc)
	}
	z := doc.Packages[2]
	if z.Name != "zlib1g" || z.Checksums[0].Value != strings.Repeat("b", 64) {
		t.Errorf("zlib1g = %+v", z)
	}
	if got, want := z.ExternalRefs[0].Locator, "pkg:deb/debian/zlib1g@1%3A1.3.dfsg%2Breally1.3.1-1?arch=amd64&distro=debian-trixie"; got != want {
		t.Errorf("purl = %s, want %s", got, want)
	}
}

// The document conforms to the SPDX 2.3 JSON schema, also with names,
// versions and architectures that need escaping in purls and identifiers,
// and with no packages at all.
func TestSPDXMatchesSchema(t *testing.T) {
	odd := testImage()
	odd.Packages = append(odd.Packages,
		deb.Locked{Name: "libstdc++6", Version: "14.2.0-19", Architecture: "all", Path: "pool/main/g/gcc-14/libstdc++6.deb", SHA256: strings.Repeat("c", 64)},
		deb.Locked{Name: "nginx", Version: "1.26.3-3+deb13u10", Architecture: "arm64", Path: "pool/main/n/nginx/nginx.deb", SHA256: strings.Repeat("d", 64)})
	empty := testImage()
	empty.Packages = nil
	for name, im := range map[string]Image{"test image": testImage(), "escaped names": odd, "no packages": empty} {
		data, err := SPDX(im)
		if err != nil {
			t.Fatal(err)
		}
		if err := spdxschema.Validate(data); err != nil {
			t.Errorf("%s: SPDX() does not match the SPDX 2.3 schema: %v", name, err)
		}
	}
}
