// Package debunpack unpacks the data archive of a Debian binary package into a
// folder without dpkg: no maintainer scripts run, documentation, manual pages
// and translations are trimmed, and every entry's time is clamped to the
// build's epoch so that the folder, and so the image layer made from it, is
// the same on every machine. The frontend image runs it as the helper step
// `layercake unpack` for each runtime package.
package debunpack
