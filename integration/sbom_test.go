package integration

import (
	"encoding/json"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/layercake-build/layercake/debian/deb"
	ocispecs "github.com/opencontainers/image-spec/specs-go/v1"
)

// TestSBOM: --sbom=true attaches an SPDX document listing every Debian
// package with its purl and the site, and leaves the image manifest as it is.
func TestSBOM(t *testing.T) {
	e := need(t)
	t.Parallel()
	dir := e.siteDir(t, 8080)
	plain := e.push(t, build{dir: dir}, "sbom", "plain")
	withSBOM := e.push(t, build{dir: dir, args: []string{"--sbom=true", "--provenance=mode=max"}}, "sbom", "spdx")
	if plain.digest != withSBOM.digest {
		t.Errorf("image manifest digest changed with --sbom: %s vs %s", plain.digest, withSBOM.digest)
	}
	atts := e.attestations(t, "sbom", "spdx", withSBOM.digest)
	if !slices.ContainsFunc(slices.Collect(maps.Keys(atts)), func(p string) bool { return strings.Contains(p, "slsa.dev/provenance") }) {
		t.Errorf("no provenance attestation beside the SBOM: %v", slices.Collect(maps.Keys(atts)))
	}
	var st struct {
		Predicate spdxDoc `json:"predicate"`
	}
	if err := json.Unmarshal(atts["https://spdx.dev/Document"], &st); err != nil {
		t.Fatalf("SPDX attestation: %v", err)
	}
	doc := st.Predicate
	var names []string
	purls := map[string]string{}
	for _, p := range doc.Packages {
		names = append(names, p.Name)
		for _, r := range p.ExternalRefs {
			if r.Type == "purl" {
				purls[p.Name] = r.Locator
			}
		}
	}
	for _, want := range []string{"nginx", "libc6", "libssl3t64", "site"} {
		if !strings.Contains(" "+strings.Join(names, " ")+" ", " "+want+" ") {
			t.Errorf("SBOM packages = %v, want %s", names, want)
		}
	}
	// hack/frontend-image stamps the version, so the SBOM names a real one.
	if tools := strings.Join(doc.CreationInfo.Creators, " "); !strings.Contains(tools, "Tool: layercake-") || strings.Contains(tools, "layercake-dev") {
		t.Errorf("SBOM creators = %q, want the stamped layercake version", doc.CreationInfo.Creators)
	}
	arch, err := deb.Arch(withSBOM.config.Architecture, withSBOM.config.Variant) // the image's own platform
	if err != nil {
		t.Fatal(err)
	}
	if p := purls["nginx"]; !strings.HasPrefix(p, "pkg:deb/debian/nginx@") || !strings.Contains(p, "arch="+arch) {
		t.Errorf("nginx purl = %q, want pkg:deb/debian/nginx@… with arch=%s", p, arch)
	}
}

type spdxDoc struct {
	CreationInfo struct {
		Creators []string `json:"creators"`
	} `json:"creationInfo"`
	Packages []struct {
		Name         string `json:"name"`
		ExternalRefs []struct {
			Type    string `json:"referenceType"`
			Locator string `json:"referenceLocator"`
		} `json:"externalRefs"`
	} `json:"packages"`
}

// attestations returns the in-toto statements attached to the image
// manifest dgst, keyed by predicate type.
func (e *environment) attestations(t *testing.T, repo, tag, dgst string) map[string][]byte {
	t.Helper()
	data, _, err := e.registry.get(repo + "/manifests/" + tag)
	if err != nil {
		t.Fatal(err)
	}
	var idx ocispecs.Index
	if err := json.Unmarshal(data, &idx); err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, m := range idx.Manifests {
		if m.Annotations["vnd.docker.reference.digest"] != dgst {
			continue
		}
		mdata, _, err := e.registry.get(repo + "/manifests/" + m.Digest.String())
		if err != nil {
			t.Fatal(err)
		}
		var man ocispecs.Manifest
		if err := json.Unmarshal(mdata, &man); err != nil {
			t.Fatal(err)
		}
		for _, l := range man.Layers {
			blob, err := e.registry.blob(repo, l.Digest.String())
			if err != nil {
				t.Fatal(err)
			}
			out[l.Annotations["in-toto.io/predicate-type"]] = blob
		}
	}
	return out
}
