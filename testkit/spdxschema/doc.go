// Package spdxschema validates SPDX 2.3 JSON documents against the schema
// the SPDX specification publishes (spdx-schema-2.3.json, vendored
// unchanged; see README.md for where it comes from). Tests use it on the
// documents package sbom writes and on the attestations BuildKit attaches.
package spdxschema
