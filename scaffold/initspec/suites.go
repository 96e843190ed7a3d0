package initspec

import (
	"fmt"
	"strconv"
	"strings"
)

// suiteToolchain is what a Debian suite offers of the toolchains whose
// version sites ask for: upstream versions, without Debian's revision.
type suiteToolchain struct {
	suite, hugo, node string
}

// suiteToolchains are the suites init may choose, stable first; the
// versions were read from the archive's amd64 Packages indexes with
// hack/toolchain-versions (December 2026). trixie-backports had neither
// Hugo nor Node.js then.
var suiteToolchains = []suiteToolchain{
	{suite: "trixie", hugo: "0.131.0", node: "20.19.2"},
	{suite: "forky", hugo: "0.167.0", node: "24.21.0"},
}

// Tools whose version a site can ask for.
const (
	toolHugo = "Hugo"
	toolNode = "Node.js"
)

// need is a version of a tool the site asks for, and where.
type need struct {
	tool string
	// want is a range: ">=0.146.0" from Hugo's minimums, package.json's
	// engines.node as written, an .nvmrc version as ">=22.12".
	want string
	from string // the file that asks, e.g. "themes/PaperMod/theme.toml"
}

func (n need) version(t suiteToolchain) string {
	if n.tool == toolHugo {
		return t.hugo
	}
	return t.node
}

// chooseSuite is the first suite of suiteToolchains whose toolchains meet
// every need ("" for stable, which needs no line), with the comment lines
// that say why. When no suite meets them it still names the newest, with
// a warning.
func chooseSuite(needs []need) (suite string, why []string, warning string) {
	if len(needs) == 0 {
		return "", nil, ""
	}
	stable := suiteToolchains[0]
	for _, t := range suiteToolchains {
		if !meetsAll(needs, t) {
			continue
		}
		if t.suite == stable.suite {
			return "", nil, ""
		}
		return t.suite, suiteWhy(needs, stable, t), ""
	}
	newest := suiteToolchains[len(suiteToolchains)-1]
	why = suiteWhy(needs, stable, newest)
	warning = fmt.Sprintf("even Debian %s's toolchain does not meet %s; the build may fail.", newest.suite, describeNeeds(needs, newest))
	return newest.suite, why, warning
}

func meetsAll(needs []need, t suiteToolchain) bool {
	for _, n := range needs {
		if !satisfies(n.version(t), n.want) {
			return false
		}
	}
	return true
}

// suiteWhy explains the site.build.suite line.
func suiteWhy(needs []need, stable, chosen suiteToolchain) []string {
	var unmet []need
	for _, n := range needs {
		if !satisfies(n.version(stable), n.want) {
			unmet = append(unmet, n)
		}
	}
	return []string{
		fmt.Sprintf("The toolchain comes from Debian %s: %s, but %s has %s.", chosen.suite, describeWants(unmet), stable.suite, describeNeeds(unmet, stable)),
		fmt.Sprintf("%s has %s. nginx and its libraries stay on %s and its security updates.", chosen.suite, describeNeeds(unmet, chosen), stable.suite),
	}
}

func describeWants(needs []need) string {
	parts := make([]string, len(needs))
	for i, n := range needs {
		parts[i] = fmt.Sprintf("%s asks for %s %s", n.from, n.tool, n.want)
	}
	return strings.Join(parts, ", ")
}

// describeNeeds names the versions of the needed tools in t, once each.
func describeNeeds(needs []need, t suiteToolchain) string {
	var parts []string
	for _, n := range needs {
		p := n.tool + " " + n.version(t)
		if !contains(parts, p) {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, " and ")
}

func contains(list []string, s string) bool {
	for _, l := range list {
		if l == s {
			return true
		}
	}
	return false
}

// satisfies reports whether version meets want, a range in npm's syntax:
// alternatives joined by "||", each of comparators (>=, >, <=, <, =, ^, ~,
// bare or x-range versions such as 22 or 22.x). A range it cannot read is
// met: init guesses no newer suite from it.
func satisfies(version, want string) bool {
	v, ok := parseVersion(version)
	if !ok {
		return true
	}
	for _, alt := range strings.Split(want, "||") {
		if alternativeMet(v, alt) {
			return true
		}
	}
	return false
}

func alternativeMet(v []int, alt string) bool {
	fields := strings.Fields(compactOperators(alt))
	if len(fields) == 0 {
		return true
	}
	for _, c := range fields {
		ok, known := comparatorMet(v, c)
		if known && !ok {
			return false
		}
	}
	return true
}

// compactOperators joins an operator to its version: ">= 22" -> ">=22".
func compactOperators(s string) string {
	for _, op := range []string{">=", "<=", ">", "<", "=", "^", "~"} {
		s = strings.ReplaceAll(s, op+" ", op)
	}
	return s
}

// comparatorMet checks one comparator; known is false for one it cannot
// read.
func comparatorMet(v []int, c string) (ok, known bool) {
	op := ""
	for _, o := range []string{">=", "<=", ">", "<", "=", "^", "~"} {
		if strings.HasPrefix(c, o) {
			op, c = o, c[len(o):]
			break
		}
	}
	parts, n := parsePartial(c)
	if n == 0 {
		return false, false
	}
	cmp := compareParts(v, parts, n)
	switch op {
	case ">=":
		return cmp >= 0, true
	case ">":
		return cmp > 0, true
	case "<=":
		return cmp <= 0, true
	case "<":
		return cmp < 0, true
	case "^":
		return cmp >= 0 && v[0] == parts[0], true
	case "~":
		return cmp >= 0 && v[0] == parts[0] && (n < 2 || v[1] == parts[1]), true
	}
	return cmp == 0, true // bare or "=": the given parts are equal
}

// compareParts compares v with the first n parts of p.
func compareParts(v, p []int, n int) int {
	for i := 0; i < n; i++ {
		switch {
		case v[i] < p[i]:
			return -1
		case v[i] > p[i]:
			return 1
		}
	}
	return 0
}

// parsePartial reads "v22", "22.12", "22.x", "0.146.0": the numbers given
// (padded to three) and how many were given.
func parsePartial(s string) ([]int, int) {
	s = strings.TrimPrefix(strings.TrimSpace(s), "v")
	out := make([]int, 3)
	n := 0
	for i, f := range strings.SplitN(s, ".", 3) {
		if f == "x" || f == "X" || f == "*" {
			break
		}
		f, _, _ = strings.Cut(f, "-") // 0.146.0-DEV: the release it leads to
		num, err := strconv.Atoi(f)
		if err != nil {
			return out, 0
		}
		out[i], n = num, i+1
	}
	return out, n
}

// parseVersion reads a full version such as 0.131.0 or 20.19.2.
func parseVersion(s string) ([]int, bool) {
	p, n := parsePartial(s)
	return p, n > 0
}

// nodeVersionFileNeed reads an .nvmrc or .node-version: a version ("22",
// "v22.12.0") is the one the site is developed with, so that version or a
// newer one (a newer Node.js runs what an older one did far more often
// than the reverse); aliases such as lts/* say nothing init can compare.
func nodeVersionFileNeed(text, from string) (need, bool) {
	text = strings.TrimSpace(strings.SplitN(text, "\n", 2)[0])
	if _, n := parsePartial(text); n == 0 {
		return need{}, false
	}
	return need{tool: toolNode, want: ">=" + strings.TrimPrefix(text, "v"), from: from}, true
}
