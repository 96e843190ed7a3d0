// Package testkit holds what only tests import: llbtest decodes LLB for
// structure tests, nginxcorpus renders the hostile inputs that FuzzRender
// and the nginx -t integration test share, spdxschema validates SPDX
// documents, resign serves a Debian archive with InRelease signed again
// by a key of its own, and bigfile writes large files that compress like
// real data. Only tests and the tools in bench/ (bench/resign,
// bench/bigref) import them; layercake's own binary never does.
package testkit
