// Package testkit holds what only tests import: llbtest decodes LLB for
// structure tests, nginxcorpus renders the hostile inputs that FuzzRender
// and the nginx -t integration test share, spdxschema validates SPDX
// documents, and resign serves a Debian archive with InRelease signed again
// by a key of its own. Only tests and the tools in bench/ (bench/resign)
// import them; layercake's own binary never does.
package testkit
