package debian

import (
	"errors"
	"fmt"
	"strings"
)

// Relation is one alternative in a dependency field, e.g. "libc6 (>= 2.34)" or
// "foo:any". Architecture restrictions ("bar [amd64]") and build profiles
// ("baz <!nocheck>") are checked for syntax and dropped: binary Packages
// indexes have them already reduced for their architecture.
type Relation struct {
	// Name is the package (or virtual package) name.
	Name string
	// Arch is the architecture qualifier after a colon ("any", "native", "amd64"), or "".
	Arch string
	// Op is one of "", "<<", "<=", "=", ">=", ">>". The obsolete "<" and ">"
	// are read as "<=" and ">=", as dpkg does.
	Op string
	// Version is the version operand, "" when Op is "".
	Version string
}

// Dependency is one comma-separated element of a dependency field: its
// alternatives, joined by '|' in the field.
type Dependency []Relation

// ParseDependencies parses a Depends-style field. An empty field yields no
// dependencies; anything malformed, including an empty element, is an error.
func ParseDependencies(field string) ([]Dependency, error) {
	if strings.TrimSpace(field) == "" {
		return nil, nil
	}
	var deps []Dependency
	for elem := range strings.SplitSeq(field, ",") {
		dep, err := parseDependency(elem)
		if err != nil {
			return nil, err
		}
		deps = append(deps, dep)
	}
	return deps, nil
}

func parseDependency(elem string) (Dependency, error) {
	var dep Dependency
	for alt := range strings.SplitSeq(elem, "|") {
		rel, err := ParseRelation(alt)
		if err != nil {
			return nil, err
		}
		dep = append(dep, rel)
	}
	return dep, nil
}

// ParseRelation parses one alternative: name[:arch] [(op version)] [[archs]] [<profiles>...].
func ParseRelation(s string) (Relation, error) {
	rel, err := parseRelation(strings.TrimSpace(s))
	if err != nil {
		return Relation{}, fmt.Errorf("invalid relation %q: %w", strings.TrimSpace(s), err)
	}
	return rel, nil
}

func parseRelation(s string) (Relation, error) {
	if s == "" {
		return Relation{}, errors.New("empty relation")
	}
	var rel Relation
	rel.Name, s = cutToken(s)
	if !validName(rel.Name) {
		return Relation{}, errors.New("invalid package name")
	}
	if rest, ok := strings.CutPrefix(s, ":"); ok {
		rel.Arch, s = cutToken(rest)
		if !validArch(rel.Arch) {
			return Relation{}, errors.New("invalid architecture qualifier")
		}
	}
	s = strings.TrimSpace(s)
	var err error
	if strings.HasPrefix(s, "(") {
		if rel.Op, rel.Version, s, err = parseConstraint(s); err != nil {
			return Relation{}, err
		}
	}
	return rel, parseRestrictions(s)
}

// cutToken splits s before the first character that ends a name.
func cutToken(s string) (string, string) {
	i := strings.IndexAny(s, " \t\r\n:([<")
	if i < 0 {
		return s, ""
	}
	return s[:i], s[i:]
}

func parseConstraint(s string) (op, version, rest string, err error) {
	inner, rest, ok := strings.Cut(s[1:], ")")
	if !ok {
		return "", "", "", errors.New("missing ')'")
	}
	inner = strings.TrimSpace(inner)
	n := len(inner) - len(strings.TrimLeft(inner, "<>="))
	op, version = normalizeOp(inner[:n]), strings.TrimSpace(inner[n:])
	if op == "" {
		return "", "", "", fmt.Errorf("invalid operator %q", inner[:n])
	}
	if _, err := ParseVersion(version); err != nil {
		return "", "", "", err
	}
	return op, version, strings.TrimSpace(rest), nil
}

func normalizeOp(op string) string {
	switch op {
	case "<<", "<=", "=", ">=", ">>":
		return op
	case "<":
		return "<="
	case ">":
		return ">="
	}
	return ""
}

// parseRestrictions checks an optional "[archs]" and any "<profiles>" groups.
func parseRestrictions(s string) error {
	if strings.HasPrefix(s, "[") {
		inner, rest, ok := strings.Cut(s[1:], "]")
		if !ok || !validArchList(inner) {
			return errors.New("invalid architecture restriction")
		}
		s = strings.TrimSpace(rest)
	}
	for strings.HasPrefix(s, "<") {
		inner, rest, ok := strings.Cut(s[1:], ">")
		if !ok || strings.TrimSpace(inner) == "" {
			return errors.New("invalid build profile restriction")
		}
		s = strings.TrimSpace(rest)
	}
	if s != "" {
		return fmt.Errorf("unexpected %q", s)
	}
	return nil
}

func validArchList(s string) bool {
	fields := strings.Fields(s)
	for _, f := range fields {
		if !validArch(strings.TrimPrefix(f, "!")) {
			return false
		}
	}
	return len(fields) > 0
}

// validName reports whether s is a package name as Debian policy defines it:
// lowercase letters, digits, '+', '-' and '.', starting with a letter or digit.
func validName(s string) bool {
	if s == "" || !isLowerAlnum(s[0]) {
		return false
	}
	for _, c := range []byte(s) {
		if !isLowerAlnum(c) && c != '+' && c != '-' && c != '.' {
			return false
		}
	}
	return true
}

func isLowerAlnum(c byte) bool { return isDigit(c) || ('a' <= c && c <= 'z') }

func validArch(s string) bool {
	for _, c := range []byte(s) {
		if !isLowerAlnum(c) && c != '-' {
			return false
		}
	}
	return s != ""
}

// String formats r as it appears in a dependency field.
func (r Relation) String() string {
	s := r.Name
	if r.Arch != "" {
		s += ":" + r.Arch
	}
	if r.Op != "" {
		s += " (" + r.Op + " " + r.Version + ")"
	}
	return s
}

// String formats d as it appears in a dependency field.
func (d Dependency) String() string {
	parts := make([]string, len(d))
	for i, r := range d {
		parts[i] = r.String()
	}
	return strings.Join(parts, " | ")
}

// SatisfiedBy reports whether a package at version would satisfy r's version
// constraint. An unconstrained relation is satisfied by any version.
func (r Relation) SatisfiedBy(version string) bool {
	if r.Op == "" {
		return true
	}
	c := CompareVersions(version, r.Version)
	switch r.Op {
	case "<<":
		return c < 0
	case "<=":
		return c <= 0
	case "=":
		return c == 0
	case ">=":
		return c >= 0
	case ">>":
		return c > 0
	}
	return false
}
