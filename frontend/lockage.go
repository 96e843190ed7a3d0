package frontend

import (
	"fmt"
	"time"

	"github.com/layercake-build/layercake/debian"
	"github.com/layercake-build/layercake/spec"
)

// OldLockAge is how old a lock's security archive may be before builds say
// so: Debian publishes security fixes for a stable release every week or
// two, so a month-old index has most likely missed some.
const OldLockAge = 30 * 24 * time.Hour

// now is the clock the lock's age is measured with (tests set it).
var now = time.Now

// oldLock says how far behind the security archive lock was resolved
// from is, or "" when it is recent, or the lock takes nothing from a
// security archive (debian.suites without it, or a version 1 lock, which
// its own warning covers).
func oldLock(lock *debian.Lock, t time.Time) string {
	var newest debian.LockArchive
	for _, a := range lock.Archives {
		if spec.SecuritySuite(lock.Suite, a.Suite) && a.Date.After(newest.Date) {
			newest = a
		}
	}
	if newest.Suite == "" || t.Sub(newest.Date) < OldLockAge {
		return ""
	}
	return fmt.Sprintf("%s was resolved from %s as of %s, %d days ago, and Debian has most likely published security fixes since; write the lock again to take them: docker buildx build --target lock -o . . (docker buildx build --call outdated . lists what is behind)",
		LockFile, newest.Suite, newest.Date.Format(time.DateOnly), int(t.Sub(newest.Date).Hours()/24))
}
