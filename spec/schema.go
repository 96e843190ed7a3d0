package spec

import _ "embed"

// schemaJSON is spec.schema.json, generated from the types in this package
// by `go test ./spec -run TestSchemaUpToDate -update`; the test fails when
// the committed file drifts from the types.
//
//go:embed spec.schema.json
var schemaJSON []byte

// Schema returns the JSON Schema of the spec file (draft 2020-12), for
// editors and for `docker buildx build --call schema`.
func Schema() []byte {
	return append([]byte(nil), schemaJSON...)
}
