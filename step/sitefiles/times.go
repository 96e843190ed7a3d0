package sitefiles

import (
	"crypto/sha256"
	"encoding/binary"
	"time"
)

// contentTimeBase and contentTimeSpan bound content-derived times: from
// 2001-09-09 for about 8.5 years, so Last-Modified is always in the past and
// never looks like the build's own date.
const (
	contentTimeBase = 1_000_000_000
	contentTimeSpan = 1 << 28
)

// ContentTime is the mtime of a file with the given bytes: a function of the
// bytes alone (SHA-256), so an edit that keeps the size still changes nginx's
// ETag ("mtime-size") and Last-Modified, while untouched files keep theirs
// across rebuilds, epochs and builders. Two different contents share a time
// with a chance of 1 in 2^28, and must then also share a size to share an
// ETag.
func ContentTime(data []byte) time.Time {
	return ContentTimeOfSum(sha256.Sum256(data))
}

// ContentTimeOfSum is ContentTime of a precomputed SHA-256.
func ContentTimeOfSum(sum [32]byte) time.Time {
	n := binary.BigEndian.Uint64(sum[:8]) % contentTimeSpan
	return time.Unix(int64(contentTimeBase+n), 0).UTC()
}
