package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// builderSpecific are the provenance fields that differ between two
// builds of the same inputs on BuildKit v0.34.2, as paths of object keys:
// the wall-clock start and end, the random job ID, the digestMapping
// objects, whose keys are the digests of the LLB ops as sent, including
// the buildctl session ID of each local source (the ops themselves are
// kept in llbDefinition, without that ID), and the layers of each step as
// this builder cached them, before the export rewrote their times (a
// folder COPY creates carries the wall clock there; the published layers
// are in the image manifests). SLSA v0.2 names them differently;
// hack/release asks for v1.
var builderSpecific = [][]string{
	{"runDetails", "metadata", "startedOn"},
	{"runDetails", "metadata", "finishedOn"},
	{"runDetails", "metadata", "invocationId"},
	{"buildDefinition", "internalParameters", "buildConfig", "digestMapping"},
	{"runDetails", "metadata", "buildkit_metadata", "layers"},
	{"metadata", "buildStartedOn"},
	{"metadata", "buildFinishedOn"},
	{"metadata", "buildInvocationID"},
	{"buildConfig", "digestMapping"},
	{"metadata", "https://mobyproject.org/buildkit@v1#metadata", "layers"},
}

// ociDir is an OCI image layout folder; its JSON documents are decoded as
// maps, so every field trim does not touch is kept.
type ociDir struct{ dir string }

func (l ociDir) blobPath(d string) (string, error) {
	alg, hex, ok := strings.Cut(d, ":")
	if !ok || alg != "sha256" || len(hex) != 64 || strings.ContainsAny(hex, "/.") {
		return "", fmt.Errorf("descriptor digest %q: want sha256:<64 hex>", d)
	}
	return filepath.Join(l.dir, "blobs", alg, hex), nil
}

func (l ociDir) readJSON(d string) (map[string]any, error) {
	p, err := l.blobPath(d)
	if err != nil {
		return nil, err
	}
	data, err := os.ReadFile(p)
	if err != nil {
		return nil, err
	}
	return decode(data)
}

// writeJSON stores v as a blob and points desc at it.
func (l ociDir) writeJSON(v any, desc map[string]any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	d := fmt.Sprintf("sha256:%x", sha256.Sum256(data))
	p, _ := l.blobPath(d)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		return err
	}
	desc["digest"], desc["size"] = d, json.Number(fmt.Sprint(len(data)))
	return nil
}

func decode(data []byte) (map[string]any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber() // sizes and counts stay exactly as written
	var m map[string]any
	return m, dec.Decode(&m)
}

// trimLayout rewrites every provenance statement in the layout's one image
// index and returns the index's new digest.
func trimLayout(dir string) (string, error) {
	l := ociDir{dir}
	top, err := os.ReadFile(filepath.Join(dir, "index.json"))
	if err != nil {
		return "", err
	}
	root, err := decode(top)
	if err != nil {
		return "", fmt.Errorf("%s/index.json: %w", dir, err)
	}
	descs, _ := root["manifests"].([]any)
	if len(descs) != 1 {
		return "", fmt.Errorf("%s/index.json lists %d manifests, want the one image index BuildKit writes", dir, len(descs))
	}
	top0 := descs[0].(map[string]any)
	idx, err := l.readJSON(top0["digest"].(string))
	if err != nil {
		return "", err
	}
	manifests, _ := idx["manifests"].([]any)
	trimmed := 0
	for _, m := range manifests {
		desc := m.(map[string]any)
		ann, _ := desc["annotations"].(map[string]any)
		if ann["vnd.docker.reference.type"] != "attestation-manifest" {
			continue
		}
		n, err := l.trimManifest(desc)
		if err != nil {
			return "", err
		}
		trimmed += n
	}
	if trimmed == 0 {
		return "", fmt.Errorf("%s has no provenance attestation: build with attest:provenance=mode=max", dir)
	}
	if err := l.writeJSON(idx, top0); err != nil {
		return "", err
	}
	data, err := json.Marshal(root)
	if err != nil {
		return "", err
	}
	return top0["digest"].(string), os.WriteFile(filepath.Join(dir, "index.json"), data, 0o644)
}

// trimManifest rewrites the provenance layers of one attestation manifest
// and points desc at the new manifest; it returns how many it rewrote.
func (l ociDir) trimManifest(desc map[string]any) (int, error) {
	mf, err := l.readJSON(desc["digest"].(string))
	if err != nil {
		return 0, err
	}
	layers, _ := mf["layers"].([]any)
	n := 0
	for _, ly := range layers {
		ld := ly.(map[string]any)
		ann, _ := ld["annotations"].(map[string]any)
		pt, _ := ann["in-toto.io/predicate-type"].(string)
		if !strings.HasPrefix(pt, "https://slsa.dev/provenance/") {
			continue
		}
		stmt, err := l.readJSON(ld["digest"].(string))
		if err != nil {
			return 0, err
		}
		pred, _ := stmt["predicate"].(map[string]any)
		trimPredicate(pred)
		if err := l.writeJSON(stmt, ld); err != nil {
			return 0, err
		}
		n++
	}
	if n == 0 {
		return 0, nil
	}
	return n, l.writeJSON(mf, desc)
}

// trimPredicate deletes the builder-specific fields, and the digestMapping
// of every source info (the Dockerfile's LLB as converted).
func trimPredicate(pred map[string]any) {
	for _, path := range builderSpecific {
		obj := pred
		for _, k := range path[:len(path)-1] {
			obj, _ = obj[k].(map[string]any)
		}
		delete(obj, path[len(path)-1])
	}
	for _, md := range []map[string]any{dig(pred, "runDetails", "metadata", "buildkit_metadata"),
		dig(pred, "metadata", "https://mobyproject.org/buildkit@v1#metadata")} {
		infos, _ := dig(md, "source")["infos"].([]any)
		for _, info := range infos {
			if m, ok := info.(map[string]any); ok {
				delete(m, "digestMapping")
			}
		}
	}
}

// dig follows object keys; a missing one gives a nil map.
func dig(obj map[string]any, keys ...string) map[string]any {
	for _, k := range keys {
		obj, _ = obj[k].(map[string]any)
	}
	return obj
}
