// Package testkit holds what only tests import: llbtest decodes LLB for
// structure tests, nginxcorpus renders the hostile inputs that FuzzRender
// and the nginx -t integration test share, and spdxschema validates SPDX
// documents. No program of layercake imports any of them.
package testkit
