package frontend

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/layercake-build/layercake/debian"
	"github.com/moby/buildkit/frontend/subrequests/lint"
)

// TestMain measures every test's lock (lockDate) against a clock a day
// later, so only the tests about a lock's age see an old one.
func TestMain(m *testing.M) {
	now = func() time.Time { return lockDate.Add(24 * time.Hour) }
	os.Exit(m.Run())
}

func TestOldLock(t *testing.T) {
	at := lockDate.Add(24 * time.Hour)
	withDates := func(dates map[string]time.Time, suites ...string) *debian.Lock {
		l := &debian.Lock{Suite: "trixie"}
		for _, s := range suites {
			l.Archives = append(l.Archives, debian.LockArchive{Suite: s, Date: dates[s]})
		}
		return l
	}
	old := lockDate.Add(-60 * 24 * time.Hour)
	for _, tc := range []struct {
		name string
		lock *debian.Lock
		want string // "" for no warning
	}{
		{"recent", testLock(t, "amd64"), ""},
		{"security 61 days old", withDates(map[string]time.Time{"trixie": old, "trixie-security": old}, "trixie", "trixie-security"),
			"resolved from trixie-security as of 2025-06-10, 61 days ago"},
		{"exactly 30 days", withDates(map[string]time.Time{"trixie-security": at.Add(-OldLockAge)}, "trixie-security"), "30 days ago"},
		{"a day short of 30", withDates(map[string]time.Time{"trixie-security": at.Add(-OldLockAge + 24*time.Hour)}, "trixie-security"), ""},
		// The stable suite's own Release moves only at point releases.
		{"old suite, recent security", withDates(map[string]time.Time{"trixie": old, "trixie-security": lockDate}, "trixie", "trixie-security"), ""},
		{"no security archive", withDates(map[string]time.Time{"trixie": old}, "trixie"), ""},
		{"version 1", &debian.Lock{Version: 1, Suite: "trixie", Date: old}, ""},
	} {
		got := oldLock(tc.lock, at)
		if tc.want == "" && got != "" || tc.want != "" && !strings.Contains(got, tc.want) {
			t.Errorf("%s: oldLock = %q, want %q", tc.name, got, tc.want)
		}
	}
}

// A build from a lock whose security archive is two months old warns at
// debian:, naming --call outdated; --check reports it as OldLock.
func TestOldLockWarns(t *testing.T) {
	lock := testLock(t, "amd64")
	for i := range lock.Archives {
		lock.Archives[i].Date = lockDate.Add(-60 * 24 * time.Hour)
	}
	g := staticFake(t, nil)
	g.locals["dockerfile"]["layercake.lock"] = file(lockBytes(t, lock))
	if _, err := run(t, g); err != nil {
		t.Fatal(err)
	}
	if w := g.warned("61 days ago"); len(w) != 1 || !strings.Contains(w[0].msg, "--call outdated") || len(w[0].lines) == 0 || w[0].lines[0] != 2 {
		t.Errorf("warnings %+v, want one at line 2 (debian:) naming --call outdated", g.warnings)
	}
	g = staticFake(t, nil)
	g.locals["dockerfile"]["layercake.lock"] = file(lockBytes(t, lock))
	var res lint.LintResults
	call(t, g, "frontend.lint", &res)
	if len(res.Warnings) != 1 || res.Warnings[0].RuleName != "OldLock" || !strings.Contains(res.Warnings[0].Detail, "trixie-security as of 2025-06-10") {
		t.Errorf("--check = %+v, want one OldLock", res.Warnings)
	}
}
