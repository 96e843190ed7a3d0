// Package llbgen turns a validated spec, the locked packages of one platform
// and the build's epoch into LLB: one state per image layer (a Debian package,
// the filesystem skeleton, the fake NSS files, nginx.conf, the site), joined
// with MergeOp or a copy chain, plus the image config and history. It is pure:
// no I/O, no clock, no map iteration into output, so the same input marshals
// to the same bytes every time.
package llbgen
