// Package unpack unpacks Debian binary packages without dpkg, for the
// helper steps the frontend image runs (`layercake unpack`).
//
// A runtime layer (Extract) holds one package's files alone: no maintainer
// scripts run, documentation, manual pages and translations are trimmed,
// and every entry's time is clamped to the build's epoch, so that the
// layer is the same on every machine.
//
// A toolchain layer (Dpkg) holds one package as `dpkg --unpack` leaves it,
// with its dpkg records; FinishDatabase then joins the layers' records in
// the merged root and runs the preinst scripts, so that dpkg only has to
// configure. xz, which nearly every package uses, is decoded block by block
// by debian/xzblock (newXZReader).
package unpack
