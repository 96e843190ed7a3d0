package main

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeLayout writes the OCI layout BuildKit exports for one platform with
// a provenance attestation stamped at the given time and job ID, and
// returns its folder.
func writeLayout(t *testing.T, started, invocation string) string {
	t.Helper()
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "blobs", "sha256"), 0o755)
	blob := func(v string) map[string]any {
		d := fmt.Sprintf("sha256:%x", sha256.Sum256([]byte(v)))
		os.WriteFile(filepath.Join(dir, "blobs", "sha256", strings.TrimPrefix(d, "sha256:")), []byte(v), 0o644)
		return map[string]any{"digest": d, "size": len(v)}
	}
	js := func(v any) string { b, _ := json.Marshal(v); return string(b) }
	img := blob(`{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","layers":[]}`)
	img["mediaType"], img["platform"] = "application/vnd.oci.image.manifest.v1+json", map[string]any{"os": "linux", "architecture": "amd64"}
	prov := blob(`{"_type":"https://in-toto.io/Statement/v0.1","predicateType":"https://slsa.dev/provenance/v1","subject":[],` +
		`"predicate":{"buildDefinition":{"buildType":"https://github.com/moby/buildkit/blob/master/docs/attestations/slsa-definitions.md",` +
		`"internalParameters":{"buildConfig":{"llbDefinition":[{"id":"step0"}],"digestMapping":{"sha256:` + invocation + `":"step0"}}}},` +
		`"runDetails":{"builder":{"id":""},"metadata":{"invocationId":"` + invocation + `","startedOn":"` + started +
		`","finishedOn":"` + started + `","buildkit_reproducible":true,` +
		`"buildkit_metadata":{"layers":{"step1:0":[[{"digest":"sha256:` + invocation + `"}]]},"source":{"infos":[{"filename":"Dockerfile","digestMapping":{"sha256:` + invocation + `":"step0"}}]}}}}}}`)
	prov["mediaType"] = "application/vnd.in-toto+json"
	prov["annotations"] = map[string]any{"in-toto.io/predicate-type": "https://slsa.dev/provenance/v1"}
	att := blob(js(map[string]any{"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json", "layers": []any{prov}}))
	att["mediaType"] = "application/vnd.oci.image.manifest.v1+json"
	att["annotations"] = map[string]any{"vnd.docker.reference.type": "attestation-manifest", "vnd.docker.reference.digest": img["digest"]}
	idx := blob(js(map[string]any{"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json", "manifests": []any{img, att}}))
	idx["mediaType"] = "application/vnd.oci.image.index.v1+json"
	os.WriteFile(filepath.Join(dir, "index.json"), []byte(js(map[string]any{"schemaVersion": 2, "manifests": []any{idx}})), 0o644)
	return dir
}

// Two builds differ only in BuildKit's clock and job ID: after trim they
// have one index digest, the provenance lost exactly those fields, and the
// layout still points at blobs that exist.
func TestTrimMakesBuildsEqual(t *testing.T) {
	a, b := writeLayout(t, "2026-12-06T07:00:00Z", "job-a"), writeLayout(t, "2026-12-06T09:12:34Z", "job-b")
	da, err := trimLayout(a)
	if err != nil {
		t.Fatal(err)
	}
	db, err := trimLayout(b)
	if err != nil {
		t.Fatal(err)
	}
	if da != db {
		t.Errorf("trimmed digests %s and %s differ", da, db)
	}
	l := ociDir{a}
	idx, err := l.readJSON(da)
	if err != nil {
		t.Fatalf("the trimmed index %s is not in the layout: %v", da, err)
	}
	att := idx["manifests"].([]any)[1].(map[string]any)
	mf, err := l.readJSON(att["digest"].(string))
	if err != nil {
		t.Fatal(err)
	}
	stmt, err := l.readJSON(mf["layers"].([]any)[0].(map[string]any)["digest"].(string))
	if err != nil {
		t.Fatal(err)
	}
	md := stmt["predicate"].(map[string]any)["runDetails"].(map[string]any)["metadata"].(map[string]any)
	for _, gone := range []string{"startedOn", "finishedOn", "invocationId"} {
		if _, ok := md[gone]; ok {
			t.Errorf("provenance still has %s", gone)
		}
	}
	if !strings.Contains(fmt.Sprint(stmt), "llbDefinition:[map[id:step0]]") || strings.Contains(fmt.Sprint(stmt), "digestMapping") ||
		strings.Contains(fmt.Sprint(stmt), "layers") {
		t.Errorf("provenance = %v, want llbDefinition kept and every digestMapping and the step layers gone", stmt)
	}
	if md["buildkit_reproducible"] != true {
		t.Errorf("provenance metadata = %v, want the other fields kept", md)
	}
	top, _ := os.ReadFile(filepath.Join(a, "index.json"))
	if !strings.Contains(string(top), da) {
		t.Errorf("index.json = %s, want it to point at %s", top, da)
	}
}

func TestTrimWithoutProvenance(t *testing.T) {
	dir := writeLayout(t, "x", "y")
	os.WriteFile(filepath.Join(dir, "index.json"), []byte(`{"schemaVersion":2,"manifests":[]}`), 0o644)
	if _, err := trimLayout(dir); err == nil || !strings.Contains(err.Error(), "want the one image index") {
		t.Errorf("trim of an empty layout: %v", err)
	}
}

func TestBlobPathRefusesEscapes(t *testing.T) {
	for _, d := range []string{"sha256:../../etc/passwd", "sha512:" + strings.Repeat("a", 128), "sha256:" + strings.Repeat("a", 63) + "/"} {
		if _, err := (ociDir{"/x"}).blobPath(d); err == nil {
			t.Errorf("blobPath(%q) succeeded", d)
		}
	}
}
