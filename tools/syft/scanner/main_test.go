package main

import (
	"strings"
	"testing"
)

// Two scans of one image differ in syft's clock and random namespace; with
// an epoch the documents come out byte for byte the same.
func TestNormalizeIsStable(t *testing.T) {
	doc := func(created, ns string) []byte {
		return []byte(`{"spdxVersion":"SPDX-2.3","documentNamespace":"` + ns + `","creationInfo":{"created":"` + created +
			`","creators":["Tool: syft-v1.57.2"]},"packages":[{"name":"github.com/layercake-build/layercake","size":12345678901234567}]}`)
	}
	a, err := normalize(doc("2026-12-06T07:00:00Z", "https://anchore.com/syft/dir/sbom-1111"), "1700000000")
	if err != nil {
		t.Fatal(err)
	}
	b, err := normalize(doc("2026-12-06T08:30:00Z", "https://anchore.com/syft/dir/sbom-2222"), "1700000000")
	if err != nil {
		t.Fatal(err)
	}
	if string(a) != string(b) {
		t.Errorf("normalize gave\n%s\n%s\nwant the same bytes", a, b)
	}
	for _, want := range []string{`"created":"2023-11-14T22:13:20Z"`, `"documentNamespace":"` + namespaceBase, `12345678901234567`} {
		if !strings.Contains(string(a), want) {
			t.Errorf("normalize = %s, want it to contain %s", a, want)
		}
	}
	c, _ := normalize(doc("2026-12-06T07:00:00Z", "x"), "1700000001")
	if string(c) == string(a) {
		t.Error("another epoch gave the same document")
	}
}

func TestNormalizeEpoch(t *testing.T) {
	in := []byte(`{"creationInfo":{}}`)
	if out, err := normalize(in, ""); err != nil || string(out) != string(in) {
		t.Errorf("normalize without an epoch = %s, %v; want the input unchanged", out, err)
	}
	for _, bad := range []string{"-1", "soon", "1e9", "12\n"} {
		if _, err := normalize(in, bad); err == nil || !strings.Contains(err.Error(), "SOURCE_DATE_EPOCH") {
			t.Errorf("normalize(epoch %q) error = %v, want one naming SOURCE_DATE_EPOCH", bad, err)
		}
	}
	if _, err := normalize([]byte(`{"spdxVersion":"SPDX-2.3"}`), "1"); err == nil {
		t.Error("normalize of a document without creationInfo succeeded")
	}
}
