// Package sbom describes an image's contents as an SPDX 2.3 document: every
// Debian package of its layers (name, version, architecture, sha256 and a
// pkg:deb purl) and the site. It is pure and deterministic: the same packages,
// site and epoch give the same bytes, so requesting an SBOM never changes the
// image, only adds an attestation beside it.
package sbom
