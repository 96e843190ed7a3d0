package debian

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Version is a parsed Debian version: [epoch:]upstream[-revision].
type Version struct {
	// Epoch is the number before the first colon, 0 when absent.
	Epoch int
	// Upstream is the part between the epoch and the last hyphen.
	Upstream string
	// Revision is the part after the last hyphen, "" when absent.
	Revision string
}

// ParseVersion parses s with dpkg's rules: surrounding space is trimmed, the
// epoch is a non-negative decimal number, the upstream part starts with a digit
// and holds only alphanumerics and ".+-~:", and the revision holds only
// alphanumerics and ".+~".
func ParseVersion(s string) (Version, error) {
	v, err := parseVersion(strings.TrimSpace(s))
	if err != nil {
		return Version{}, fmt.Errorf("invalid version %q: %w", s, err)
	}
	return v, nil
}

func parseVersion(s string) (Version, error) {
	if s == "" {
		return Version{}, errors.New("version is empty")
	}
	if strings.ContainsAny(s, " \t\r\n\v\f") {
		return Version{}, errors.New("version has embedded spaces")
	}
	var v Version
	rest := s
	if e, after, ok := strings.Cut(s, ":"); ok {
		epoch, err := parseEpoch(e)
		if err != nil {
			return Version{}, err
		}
		v.Epoch, rest = epoch, after
	}
	if i := strings.LastIndexByte(rest, '-'); i >= 0 {
		v.Upstream, v.Revision = rest[:i], rest[i+1:]
		if v.Revision == "" {
			return Version{}, errors.New("revision is empty")
		}
	} else {
		v.Upstream = rest
	}
	return v, v.check()
}

func parseEpoch(s string) (int, error) {
	if s == "" {
		return 0, errors.New("epoch is empty")
	}
	for _, c := range []byte(s) {
		if !isDigit(c) {
			return 0, errors.New("epoch is not a number")
		}
	}
	n, err := strconv.ParseInt(s, 10, 32)
	if err != nil {
		return 0, errors.New("epoch is too big")
	}
	return int(n), nil
}

func (v Version) check() error {
	if v.Upstream == "" {
		return errors.New("upstream version is empty")
	}
	if !isDigit(v.Upstream[0]) {
		return errors.New("upstream version does not start with a digit")
	}
	if !onlyChars(v.Upstream, ".+-~:") {
		return errors.New("invalid character in upstream version")
	}
	if !onlyChars(v.Revision, ".+~") {
		return errors.New("invalid character in revision")
	}
	return nil
}

func onlyChars(s, extra string) bool {
	for _, c := range []byte(s) {
		if !isAlnum(c) && strings.IndexByte(extra, c) < 0 {
			return false
		}
	}
	return true
}

// String formats v the way Debian writes it; a zero epoch is left out.
func (v Version) String() string {
	s := v.Upstream
	if v.Epoch != 0 {
		s = strconv.Itoa(v.Epoch) + ":" + s
	}
	if v.Revision != "" {
		s += "-" + v.Revision
	}
	return s
}

// Compare returns -1, 0 or +1 as v sorts before, equal to or after w.
func (v Version) Compare(w Version) int {
	switch {
	case v.Epoch < w.Epoch:
		return -1
	case v.Epoch > w.Epoch:
		return 1
	}
	if c := compareFragment(v.Upstream, w.Upstream); c != 0 {
		return c
	}
	return compareFragment(v.Revision, w.Revision)
}

// CompareVersions compares two version strings like dpkg and returns -1, 0 or
// +1. It never panics: an invalid version sorts after every valid one, and two
// invalid versions compare as plain strings.
func CompareVersions(a, b string) int {
	va, errA := ParseVersion(a)
	vb, errB := ParseVersion(b)
	switch {
	case errA == nil && errB == nil:
		return va.Compare(vb)
	case errA == nil:
		return -1
	case errB == nil:
		return 1
	}
	return strings.Compare(a, b)
}

// compareFragment is dpkg's verrevcmp: alternate runs of non-digits (compared
// by order) and digits (compared numerically).
func compareFragment(a, b string) int {
	for a != "" || b != "" {
		var c int
		a, b, c = compareNonDigits(a, b)
		if c != 0 {
			return c
		}
		a, b, c = compareDigits(a, b)
		if c != 0 {
			return c
		}
	}
	return 0
}

func compareNonDigits(a, b string) (string, string, int) {
	for (a != "" && !isDigit(a[0])) || (b != "" && !isDigit(b[0])) {
		ca, cb := charOrder(a), charOrder(b)
		if ca != cb {
			return a, b, sign(ca - cb)
		}
		a, b = advance(a), advance(b)
	}
	return a, b, 0
}

func compareDigits(a, b string) (string, string, int) {
	a, b = strings.TrimLeft(a, "0"), strings.TrimLeft(b, "0")
	na, nb := digitRun(a), digitRun(b)
	if na != nb {
		return a, b, sign(na - nb)
	}
	return a[na:], b[nb:], strings.Compare(a[:na], b[:nb])
}

// charOrder ranks the first byte of s: '~' before the end of the string,
// the end before letters, letters before everything else.
func charOrder(s string) int {
	if s == "" {
		return 0
	}
	switch c := s[0]; {
	case isDigit(c):
		return 0
	case isAlpha(c):
		return int(c)
	case c == '~':
		return -1
	default:
		return int(c) + 256
	}
}

func advance(s string) string {
	if s == "" {
		return s
	}
	return s[1:]
}

func digitRun(s string) int {
	n := 0
	for n < len(s) && isDigit(s[n]) {
		n++
	}
	return n
}

func sign(n int) int {
	switch {
	case n < 0:
		return -1
	case n > 0:
		return 1
	}
	return 0
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }
func isAlpha(c byte) bool { return ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') }
func isAlnum(c byte) bool { return isDigit(c) || isAlpha(c) }
