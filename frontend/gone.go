package frontend

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/layercake-build/layercake/debian"
	"github.com/layercake-build/layercake/debian/deb"
	"github.com/layercake-build/layercake/spec"
)

// SnapshotArchive is the layout of Debian's snapshot archive that the error
// of a gone package suggests: the archive (debian or debian-security) as it
// was at a time, formatted as 20060102T150405Z, below the snapshot
// service's address, which the user fills in (no host is named here).
const SnapshotArchive = "<snapshot archive>/archive/%s/%s"

// goneError is a locked .deb that the archive no longer serves (404):
// Debian keeps only the current version of each package, so a lock falls
// behind when an update replaces one.
type goneError struct {
	pkg      deb.Locked
	url      string
	date     time.Time // the lock's Date of the package's archive
	snapshot []string  // build args that build the lock from snapshots
}

func (e *goneError) Error() string {
	return fmt.Sprintf("%s %s (%s) is gone from the archive: %s has it from %s as of %s, and Debian keeps only current versions (%s is not found). "+
		"Write the lock again to take the current versions: docker buildx build --target lock -o . . ; "+
		"or build this lock unchanged from Debian's snapshot archive as of that date: %s",
		e.pkg.Name, e.pkg.Version, e.pkg.Architecture, LockFile, e.pkg.Archive, e.date.Format(time.RFC3339), e.url, strings.Join(e.snapshot, " "))
}

// gone explains a download of url that failed with err, when the archive
// answered 404 for a locked .deb; nil otherwise.
func (b *builder) gone(url string, err error) *goneError {
	if b.lock == nil || !missingPinned(err) {
		return nil
	}
	for _, al := range b.lock.Architectures {
		if al == nil {
			continue
		}
		for _, p := range slices.Concat(al.Runtime, al.Toolchain) {
			if b.archiveURL(p.Archive)+"/"+p.Path != url {
				continue
			}
			a, _ := b.lock.Archive(p.Archive)
			return &goneError{pkg: p, url: url, date: a.Date, snapshot: snapshotArgs(b.lock, b.spec.Debian.Suite)}
		}
	}
	return nil
}

// snapshotArgs are the build args that point the mirrors at
// Debian's snapshot archive as the lock's archives were: the mirror at the newest
// Date of its archives (suite and -updates), the security archive at its own.
func snapshotArgs(lock *debian.Lock, suite string) []string {
	var mirror, security time.Time
	for _, a := range lock.Archives {
		switch {
		case spec.SecuritySuite(suite, a.Suite):
			security = a.Date
		case a.Date.After(mirror):
			mirror = a.Date
		}
	}
	args := []string{"--build-arg " + ArgMirror + "=" + fmt.Sprintf(SnapshotArchive, "debian", snapshotTime(mirror))}
	if !security.IsZero() {
		args = append(args, "--build-arg "+ArgSecurityMirror+"="+fmt.Sprintf(SnapshotArchive, "debian-security", snapshotTime(security)))
	}
	return args
}

// snapshotTime formats t as the snapshot archive's URLs do.
func snapshotTime(t time.Time) string {
	return t.UTC().Format("20060102T150405Z")
}
