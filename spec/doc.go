// Package spec turns the bytes of a layercake spec file into validated Go
// types. Load decodes the YAML strictly (unknown keys and wrong types are
// errors, keys starting with "x-" are ignored) and records where every value
// sits in the file; Validate (which Load runs) reports every problem at once, each as an *Error
// formatted "file:line:col: path: message"; WithDefaults returns a copy with
// the documented defaults filled in. None of these steps changes its input,
// and the package imports nothing from BuildKit.
package spec
