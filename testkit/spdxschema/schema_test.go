package spdxschema

import (
	"strings"
	"testing"
)

// The schema is enforced: a conforming minimal document passes, and one
// with an unknown field or a missing required one fails naming it.
func TestValidate(t *testing.T) {
	ok := `{"spdxVersion":"SPDX-2.3","dataLicense":"CC0-1.0","SPDXID":"SPDXRef-DOCUMENT","name":"x",
	 "documentNamespace":"https://example.invalid/x","creationInfo":{"created":"2023-11-14T22:13:20Z","creators":["Tool: t"]}}`
	if err := Validate([]byte(ok)); err != nil {
		t.Errorf("Validate(minimal) = %v, want nil", err)
	}
	for _, tc := range []struct{ name, doc, want string }{
		{"unknown field", strings.Replace(ok, `"name":"x"`, `"name":"x","colour":"red"`, 1), "colour"},
		{"no creationInfo", `{"spdxVersion":"SPDX-2.3","dataLicense":"CC0-1.0","SPDXID":"SPDXRef-DOCUMENT","name":"x"}`, "creationInfo"},
		{"bad checksum algorithm", strings.Replace(ok, `"name":"x"`, `"name":"x","packages":[{"SPDXID":"SPDXRef-p","name":"p","downloadLocation":"NOASSERTION","checksums":[{"algorithm":"CRC","checksumValue":"0"}]}]`, 1), "algorithm"},
		{"not JSON", `{`, "reading the SPDX document"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := Validate([]byte(tc.doc))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Validate() = %v, want an error naming %q", err, tc.want)
			}
		})
	}
}
