package debian

import (
	"fmt"
	"time"
)

// ExpiredError reports a verified Release whose Valid-Until has passed: the
// mirror serves an index older than the archive allows (it stopped
// syncing), or someone replays an old index. apt refuses such an index, and
// so does layercake.
type ExpiredError struct {
	// Archive is the suite, e.g. "trixie-security".
	Archive string
	// Date and ValidUntil are the Release's fields; Now is when it was checked.
	Date, ValidUntil, Now time.Time
}

func (e *ExpiredError) Error() string {
	return fmt.Sprintf("the index of %s is out of date: dated %s, valid until %s, now %s; "+
		"the mirror has stopped updating it: use an up-to-date mirror (a snapshot archive serves builds from a lock, which read no index)",
		e.Archive, e.Date.Format(time.RFC3339), e.ValidUntil.Format(time.RFC3339), e.Now.UTC().Format(time.RFC3339))
}

// checkValidUntil returns an *ExpiredError when rel is past its Valid-Until at now.
func checkValidUntil(rel *Release, suite string, now time.Time) error {
	if rel.ValidUntil.IsZero() || !now.After(rel.ValidUntil) {
		return nil
	}
	return &ExpiredError{Archive: suite, Date: rel.Date, ValidUntil: rel.ValidUntil, Now: now}
}
