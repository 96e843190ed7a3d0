package spdxschema

import (
	"bytes"
	_ "embed"
	"fmt"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

//go:embed spdx-schema-2.3.json
var schemaJSON []byte

// schemaURL is the schema's own $id.
const schemaURL = "http://spdx.org/rdf/terms/2.3"

// Validate reports every way doc, an SPDX JSON document, breaks the SPDX
// 2.3 schema; nil means it conforms.
func Validate(doc []byte) error {
	schema, err := compile()
	if err != nil {
		return err
	}
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
	if err != nil {
		return fmt.Errorf("reading the SPDX document: %w", err)
	}
	return schema.Validate(v)
}

// compile builds the schema afresh on each call: it is small, and no state
// outlives a caller.
func compile() (*jsonschema.Schema, error) {
	s, err := jsonschema.UnmarshalJSON(bytes.NewReader(schemaJSON))
	if err != nil {
		return nil, fmt.Errorf("reading the SPDX 2.3 schema: %w", err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource(schemaURL, s); err != nil {
		return nil, err
	}
	return c.Compile(schemaURL)
}
