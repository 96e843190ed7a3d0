package debian

import (
	"fmt"
	"strings"
)

// NoCandidateError reports a dependency that no package in the index satisfies.
type NoCandidateError struct {
	// Name is the first alternative's package name.
	Name string
	// Constraint is the whole dependency group as written, e.g. "debconf (>= 0.5) | debconf-2.0".
	Constraint string
	// RequiredBy names the package whose field holds the dependency; "" for a root.
	RequiredBy string
	// Similar are names of the index close to Name, when no package or
	// provider of that name exists (a typo in the spec).
	Similar []string
}

func (e *NoCandidateError) Error() string {
	msg := fmt.Sprintf("no package satisfies %s (required by %s)", e.Constraint, requiredBy(e.RequiredBy))
	switch len(e.Similar) {
	case 0:
		return msg
	case 1:
		return msg + "; did you mean " + e.Similar[0] + "?"
	}
	return msg + "; did you mean " + strings.Join(e.Similar[:len(e.Similar)-1], ", ") + " or " + e.Similar[len(e.Similar)-1] + "?"
}

// ConflictError reports a versioned dependency on a package that was already
// chosen at a version that does not satisfy it. The resolver does not backtrack.
type ConflictError struct {
	// Name is the package name.
	Name string
	// Chosen is the version already chosen.
	Chosen string
	// Constraint is the relation that the chosen version fails, e.g. "libc6 (>= 2.38)".
	Constraint string
	// RequiredBy names the package whose field holds the dependency; "" for a root.
	RequiredBy string
}

func (e *ConflictError) Error() string {
	return fmt.Sprintf("%s %s was chosen but %s requires %s", e.Name, e.Chosen, requiredBy(e.RequiredBy), e.Constraint)
}

func requiredBy(name string) string {
	if name == "" {
		return "the roots"
	}
	return name
}

// lineError is a parse error at a line of an input.
type lineError struct {
	line int
	err  error
}

func (e *lineError) Error() string { return fmt.Sprintf("line %d: %v", e.line, e.err) }
func (e *lineError) Unwrap() error { return e.err }

func atLine(line int, format string, args ...any) error {
	return &lineError{line: line, err: fmt.Errorf(format, args...)}
}
