// Package frontend is layercake's gateway glue: it reads the spec and the lock
// through BuildKit's gateway client, resolves packages when there is no lock,
// hands validated types to llbgen, solves the result and returns it with its
// image config, epoch and source-mapped errors. It is the only package that
// talks to BuildKit at run time: through the two small interfaces in
// gateway.go and through dockerui.Client, which wraps the same client. Its
// tests run whole builds on an in-memory gateway (fake_test.go).
package frontend
