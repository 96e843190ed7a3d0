package integration

import (
	"encoding/json"
	"strings"
	"testing"

	ocispecs "github.com/opencontainers/image-spec/specs-go/v1"
)

// TestSBOM: --sbom=true attaches an SPDX document listing every Debian
// package with its purl and the site, and leaves the image manifest as it is.
func TestSBOM(t *testing.T) {
	e := need(t)
	dir := e.siteDir(t, 8080)
	plain := e.push(t, build{dir: dir}, "sbom", "plain")
	withSBOM := e.push(t, build{dir: dir, args: []string{"--sbom=true"}}, "sbom", "spdx")
	if plain.digest != withSBOM.digest {
		t.Errorf("image manifest digest changed with --sbom: %s vs %s", plain.digest, withSBOM.digest)
	}
	doc := e.spdxFor(t, "sbom", "spdx", withSBOM.digest)
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
	if p := purls["nginx"]; !strings.HasPrefix(p, "pkg:deb/debian/nginx@") || !strings.Contains(p, "arch=amd64") {
		t.Errorf("nginx purl = %q", p)
	}
}

type spdxDoc struct {
	Packages []struct {
		Name         string `json:"name"`
		ExternalRefs []struct {
			Type    string `json:"referenceType"`
			Locator string `json:"referenceLocator"`
		} `json:"externalRefs"`
	} `json:"packages"`
}

// spdxFor finds the SPDX predicate attached to the image manifest dgst.
func (e *environment) spdxFor(t *testing.T, repo, tag, dgst string) spdxDoc {
	t.Helper()
	data, _, err := e.registry.get(repo + "/manifests/" + tag)
	if err != nil {
		t.Fatal(err)
	}
	var idx ocispecs.Index
	if err := json.Unmarshal(data, &idx); err != nil {
		t.Fatal(err)
	}
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
			if l.Annotations["in-toto.io/predicate-type"] != "https://spdx.dev/Document" {
				continue
			}
			blob, err := e.registry.blob(repo, l.Digest.String())
			if err != nil {
				t.Fatal(err)
			}
			var st struct {
				Predicate spdxDoc `json:"predicate"`
			}
			if err := json.Unmarshal(blob, &st); err != nil {
				t.Fatal(err)
			}
			return st.Predicate
		}
	}
	t.Fatalf("no SPDX attestation for %s in %s:%s", dgst, repo, tag)
	return spdxDoc{}
}
