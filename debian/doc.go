// Package debian is layercake's Debian archive client. It parses Release and
// clearsigned InRelease files, Packages indexes (plain or xz-compressed) and
// dependency fields; compares versions the way dpkg does; resolves the
// Depends/Pre-Depends closure of a few root packages against one
// architecture's index, skipping packages a static image never needs; and
// reads and writes layercake.lock, which pins every package by mirror-relative
// path, size and sha256 so that one lock serves any mirror. It does no
// network I/O of its own except through a caller-supplied Fetcher, and imports
// no BuildKit package.
package debian
