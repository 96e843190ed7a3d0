package integration

import (
	"archive/tar"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/layercake-build/layercake/debian"
	"github.com/layercake-build/layercake/debian/deb"
	"github.com/layercake-build/layercake/testkit/spdxschema"
	ocispecs "github.com/opencontainers/image-spec/specs-go/v1"
)

// TestScannersSeePackages scans the image with syft, as a security team
// would: syft must list every package the lock pins for the image's
// architecture, as a deb with the lock's exact version, and nothing else;
// each package's status.d record and copyright must come from that
// package's own layer, and os-release must name the suite's Debian release.
// The SPDX attestation must list the same packages and versions and match
// the SPDX 2.3 schema. On Docker Engine's classic store (no MergeOp, so the
// copy chain joins the layers) syft must see the same.
func TestScannersSeePackages(t *testing.T) {
	e := need(t)
	t.Parallel()
	lock, err := debian.ParseLock(e.lock(t))
	if err != nil {
		t.Fatal(err)
	}
	dir := e.siteDir(t, 8080)
	im := e.push(t, build{dir: dir, args: []string{"--sbom=true"}}, "scanners", "spdx")
	arch, err := deb.Arch(im.config.Architecture, im.config.Variant)
	if err != nil {
		t.Fatal(err)
	}
	want := lock.Architectures[arch].Runtime
	if len(want) == 0 {
		t.Fatalf("the lock pins no runtime packages for %s", arch)
	}

	t.Run("syft on buildkitd's image", func(t *testing.T) {
		ref := fmt.Sprintf("registry:%s/scanners:spdx", e.registry.host)
		checkScan(t, e.syft(t, ref, "--platform", "linux/"+runtime.GOARCH), want, layerOwners(im.config), lock.Suite)
	})
	t.Run("each package's records in its own layer", func(t *testing.T) {
		checkRecordLayers(t, im.config, e.registryLayers(t, im), want)
	})
	t.Run("SPDX attestation", func(t *testing.T) {
		checkSPDX(t, e.attestations(t, "scanners", "spdx", im.digest)["https://spdx.dev/Document"], want)
	})
	t.Run("syft on Docker Engine's classic store", func(t *testing.T) {
		t.Parallel()
		d := e.engine(t, storeClassic)
		ref := "scanners-" + d.store + ":test"
		mirror := "DEBIAN_MIRROR=" + e.mirror
		d.mustDocker(t, dir, "build", "--progress=plain", "--build-arg", mirror, "-t", ref, ".")
		archive, saved := d.saveImage(t, ref)
		var cfg ocispecs.Image
		if err := json.Unmarshal(saved.config, &cfg); err != nil {
			t.Fatal(err)
		}
		checkScan(t, e.syft(t, "docker-archive:"+archive), want, layerOwners(cfg), lock.Suite)
	})
}

// checkRecordLayers reads the image's layers: each locked package's layer
// must hold its status.d record and its /usr/share/doc/<package> entry (the
// copyright file, or the link Debian ships to the doc folder of the same
// source, as libgcc-s1's to gcc-14-base), and no other layer may hold any
// status.d record, so a package update changes its own layer only.
func checkRecordLayers(t *testing.T, cfg ocispecs.Image, blobs [][]byte, want []deb.Locked) {
	t.Helper()
	owners := layerOwners(cfg)
	packages := 0
	for i, blob := range blobs {
		names, err := readLayers([][]byte{blob})
		if err != nil {
			t.Fatal(err)
		}
		owner := owners[cfg.RootFS.DiffIDs[i].String()]
		var records []string
		for p := range names {
			if strings.HasPrefix(p, "/var/lib/dpkg/status.d/") {
				records = append(records, p)
			}
		}
		slices.Sort(records)
		pkg := slices.IndexFunc(want, func(l deb.Locked) bool {
			return strings.HasPrefix(owner, fmt.Sprintf("layercake: %s %s (debian ", l.Name, l.Version))
		})
		if pkg < 0 {
			if len(records) > 0 {
				t.Errorf("layer %d (%s) holds status.d records %v", i, owner, records)
			}
			continue
		}
		packages++
		name := want[pkg].Name
		if w := []string{"/var/lib/dpkg/status.d/" + name, "/var/lib/dpkg/status.d/" + name + ".md5sums"}; !slices.Equal(records, w) {
			t.Errorf("layer %d (%s) holds status.d records %v, want %v", i, owner, records, w)
		}
		doc := names["/usr/share/doc/"+name]
		if _, ok := names["/usr/share/doc/"+name+"/copyright"]; !ok && doc.typ != tar.TypeSymlink {
			t.Errorf("layer %d (%s) holds neither /usr/share/doc/%s/copyright nor a link at /usr/share/doc/%s", i, owner, name, name)
		}
	}
	if packages != len(want) {
		t.Errorf("%d layers are package layers, want one for each of the %d locked packages", packages, len(want))
	}
}

// syftReport is the part of `syft -o json` the test reads.
type syftReport struct {
	Artifacts []syftPackage `json:"artifacts"`
	Distro    struct {
		ID        string `json:"id"`
		VersionID string `json:"versionID"`
	} `json:"distro"`
}

type syftPackage struct {
	Name      string `json:"name"`
	Version   string `json:"version"`
	Type      string `json:"type"`
	FoundBy   string `json:"foundBy"`
	Locations []struct {
		Path        string            `json:"path"`
		LayerID     string            `json:"layerID"`
		Annotations map[string]string `json:"annotations"`
	} `json:"locations"`
}

func (p syftPackage) String() string {
	var where []string
	for _, l := range p.Locations {
		where = append(where, l.Path)
	}
	return fmt.Sprintf("%s %s (type %s, found by %s in %s)", p.Name, p.Version, p.Type, p.FoundBy, strings.Join(where, ", "))
}

// syft scans source (a syft source such as registry:… or docker-archive:…)
// with the syft that hack/tools built, offline but for the test registry.
func (e *environment) syft(t *testing.T, source string, flags ...string) syftReport {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	home := t.TempDir()
	envv := []string{
		"HOME=" + home, "XDG_CACHE_HOME=" + filepath.Join(home, "cache"), "XDG_CONFIG_HOME=" + filepath.Join(home, "config"),
		"SYFT_CHECK_FOR_APP_UPDATE=false", "SYFT_REGISTRY_INSECURE_USE_HTTP=true",
	}
	report := filepath.Join(home, "syft.json")
	start := time.Now()
	out, err := run(ctx, envv, filepath.Join(e.bin, "syft"), append([]string{"scan", source, "-o", "json=" + report, "-q"}, flags...)...)
	if err != nil {
		t.Fatalf("syft %s: %v", source, err)
	}
	t.Logf("syft %s took %v", source, time.Since(start).Round(100*time.Millisecond))
	data, err := os.ReadFile(report)
	if err != nil {
		t.Fatalf("syft %s wrote no report: %v\n%s", source, err, tail(out, 20))
	}
	var rep syftReport
	if err := json.Unmarshal(data, &rep); err != nil {
		t.Fatalf("syft %s: reading its JSON: %v", source, err)
	}
	return rep
}

// layerOwners maps each layer's diffID to what its history entry says it
// holds, e.g. "layercake: nginx 1.26.3-3 (debian trixie amd64)".
func layerOwners(cfg ocispecs.Image) map[string]string {
	out := map[string]string{}
	i := 0
	for _, h := range cfg.History {
		if h.EmptyLayer || i >= len(cfg.RootFS.DiffIDs) {
			continue
		}
		out[cfg.RootFS.DiffIDs[i].String()] = h.CreatedBy
		i++
	}
	return out
}

// checkScan wants syft's packages to be exactly the locked ones, as debs
// with the lock's versions, each found in its own layer's status.d record,
// each with a copyright file, and the distribution to be the suite's.
func checkScan(t *testing.T, rep syftReport, want []deb.Locked, layers map[string]string, suite string) {
	t.Helper()
	byName := map[string]syftPackage{}
	for _, p := range rep.Artifacts {
		t.Logf("syft: %s", p)
		locked := slices.IndexFunc(want, func(l deb.Locked) bool { return l.Name == p.Name })
		if p.Type != "deb" || locked < 0 {
			t.Errorf("syft lists %s, which the lock does not pin", p)
			continue
		}
		if _, dup := byName[p.Name]; dup {
			t.Errorf("syft lists %s twice", p.Name)
		}
		byName[p.Name] = p
	}
	t.Logf("syft lists %d packages; the lock pins %d", len(rep.Artifacts), len(want))
	for _, l := range want {
		p, ok := byName[l.Name]
		if !ok {
			t.Errorf("syft does not list %s %s", l.Name, l.Version)
			continue
		}
		if p.Version != l.Version {
			t.Errorf("syft lists %s at %q, want the lock's %q", l.Name, p.Version, l.Version)
		}
		owner := fmt.Sprintf("layercake: %s %s (debian ", l.Name, l.Version)
		record, copyright := false, false
		for _, loc := range p.Locations {
			switch {
			case loc.Path == "/var/lib/dpkg/status.d/"+l.Name:
				record = true
				if got := layers[loc.LayerID]; !strings.HasPrefix(got, owner) {
					t.Errorf("%s's status.d record is in layer %q, want its own", l.Name, got)
				}
			case strings.HasPrefix(loc.Path, "/usr/share/doc/") && strings.HasSuffix(loc.Path, "/copyright"):
				copyright = true
				if got := layers[loc.LayerID]; loc.Path == "/usr/share/doc/"+l.Name+"/copyright" && !strings.HasPrefix(got, owner) {
					t.Errorf("%s's copyright is in layer %q, want its own", l.Name, got)
				}
			}
		}
		if !record || !copyright {
			t.Errorf("%s: status.d record found %v, copyright found %v; syft saw %s", l.Name, record, copyright, p)
		}
	}
	if v := debianVersion(suite); rep.Distro.ID != "debian" || rep.Distro.VersionID != v {
		t.Errorf("syft's distro = %q %q, want debian %q (from os-release)", rep.Distro.ID, rep.Distro.VersionID, v)
	}
}

// debianVersion is the release number os-release must carry for a suite.
func debianVersion(suite string) string {
	return map[string]string{"bookworm": "12", "trixie": "13", "forky": "14"}[suite]
}

// checkSPDX wants the attestation to match the SPDX 2.3 schema and to list
// the locked packages at the lock's versions, with deb purls.
func checkSPDX(t *testing.T, statement []byte, want []deb.Locked) {
	t.Helper()
	var st struct {
		Predicate json.RawMessage `json:"predicate"`
	}
	if err := json.Unmarshal(statement, &st); err != nil || len(st.Predicate) == 0 {
		t.Fatalf("no SPDX attestation: %v", err)
	}
	if err := spdxschema.Validate(st.Predicate); err != nil {
		t.Errorf("the SPDX attestation breaks the SPDX 2.3 schema: %v", err)
	}
	var doc struct {
		Packages []struct {
			Name         string `json:"name"`
			Version      string `json:"versionInfo"`
			ExternalRefs []struct {
				Type    string `json:"referenceType"`
				Locator string `json:"referenceLocator"`
			} `json:"externalRefs"`
		} `json:"packages"`
	}
	if err := json.Unmarshal(st.Predicate, &doc); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, p := range doc.Packages {
		for _, r := range p.ExternalRefs {
			if r.Type == "purl" && strings.HasPrefix(r.Locator, "pkg:deb/") {
				got[p.Name] = p.Version
			}
		}
	}
	for _, l := range want {
		if v, ok := got[l.Name]; !ok || v != l.Version {
			t.Errorf("SPDX lists %s at %q (listed: %v), want %q", l.Name, v, ok, l.Version)
		}
		delete(got, l.Name)
	}
	for name, v := range got {
		t.Errorf("SPDX lists %s %s, which the lock does not pin", name, v)
	}
}
