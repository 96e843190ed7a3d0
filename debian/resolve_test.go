package debian

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

// index parses a tiny Packages fixture; stanzas are separated by blank lines.
func index(t *testing.T, packages string) *Index {
	t.Helper()
	pkgs, err := ParsePackages(strings.NewReader(packages))
	if err != nil {
		t.Fatalf("fixture: %v", err)
	}
	return NewIndex(pkgs)
}

// resolve runs Resolve and formats the result as "name=version" strings.
func resolve(t *testing.T, idx *Index, roots, exclude []string) []string {
	t.Helper()
	pkgs, err := Resolve(idx, roots, exclude)
	if err != nil {
		t.Fatalf("Resolve(%v) error: %v", roots, err)
	}
	var out []string
	for _, p := range pkgs {
		out = append(out, p.Name+"="+p.Version)
	}
	return out
}

func wantResolve(t *testing.T, got []string, want ...string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("Resolve() = %v, want %v", got, want)
	}
}

func pkg(name, version, arch, extra string) string {
	s := "Package: " + name + "\nVersion: " + version + "\nArchitecture: " + arch + "\n"
	if extra != "" {
		s += extra + "\n"
	}
	return s + "\n"
}

// A plain chain pulls in every link.
func TestResolveChain(t *testing.T) {
	idx := index(t, pkg("a", "1", "amd64", "Depends: b")+pkg("b", "1", "amd64", "Depends: c")+pkg("c", "1", "amd64", "")+pkg("d", "1", "amd64", ""))
	wantResolve(t, resolve(t, idx, []string{"a"}, nil), "a=1", "b=1", "c=1")
}

// The first alternative with a candidate wins.
func TestResolveAlternativeFirstCandidate(t *testing.T) {
	idx := index(t, pkg("a", "1", "amd64", "Depends: missing | c | b")+pkg("b", "1", "amd64", "")+pkg("c", "1", "amd64", ""))
	wantResolve(t, resolve(t, idx, []string{"a"}, nil), "a=1", "c=1")
}

// An alternative that is already chosen is preferred over an earlier one.
func TestResolveAlternativeAlreadyChosen(t *testing.T) {
	idx := index(t, pkg("a", "1", "amd64", "Depends: b, c")+pkg("b", "1", "amd64", "Depends: d")+
		pkg("c", "1", "amd64", "Depends: e | d")+pkg("d", "1", "amd64", "")+pkg("e", "1", "amd64", ""))
	wantResolve(t, resolve(t, idx, []string{"a"}, nil), "a=1", "b=1", "c=1", "d=1")
}

// A group with an excluded alternative is skipped entirely.
func TestResolveExcluded(t *testing.T) {
	idx := index(t, pkg("a", "1", "all", "Depends: debconf (>= 0.5) | debconf-2.0, b")+
		pkg("debconf", "1.5", "all", "Provides: debconf-2.0")+pkg("b", "1", "amd64", ""))
	wantResolve(t, resolve(t, idx, []string{"a"}, []string{"debconf"}), "a=1", "b=1")
}

// A virtual package provided only by excluded packages counts as excluded.
func TestResolveExcludedVirtual(t *testing.T) {
	idx := index(t, pkg("a", "1", "amd64", "Depends: awk")+pkg("mawk", "1", "amd64", "Provides: awk"))
	wantResolve(t, resolve(t, idx, []string{"a"}, []string{"mawk"}), "a=1")
}

// An excluded root is an error, not an empty closure.
func TestResolveExcludedRoot(t *testing.T) {
	idx := index(t, pkg("a", "1", "amd64", ""))
	if _, err := Resolve(idx, []string{"a"}, []string{"a"}); err == nil {
		t.Error("Resolve(excluded root) = nil error, want error")
	}
}

// A virtual name resolves to its provider; several providers pick the first by name.
func TestResolveVirtual(t *testing.T) {
	idx := index(t, pkg("a", "1", "amd64", "Depends: httpd")+pkg("zeta", "1", "amd64", "Provides: httpd")+
		pkg("alpha", "1", "amd64", "Provides: httpd"))
	wantResolve(t, resolve(t, idx, []string{"a"}, nil), "a=1", "alpha=1")
}

// A versioned dependency is met only by a versioned Provides that satisfies it.
func TestResolveVersionedProvides(t *testing.T) {
	idx := index(t, pkg("a", "1", "amd64", "Depends: libfoo (>= 2)")+
		pkg("aaa", "1", "amd64", "Provides: libfoo")+
		pkg("bbb", "1", "amd64", "Provides: libfoo (= 1)")+
		pkg("ccc", "1", "amd64", "Provides: libfoo (= 3)"))
	wantResolve(t, resolve(t, idx, []string{"a"}, nil), "a=1", "ccc=1")
}

// A chosen provider satisfies later dependencies on the virtual name.
func TestResolveChosenProvider(t *testing.T) {
	idx := index(t, pkg("a", "1", "amd64", "Depends: zeta, httpd")+pkg("zeta", "1", "amd64", "Provides: httpd")+
		pkg("alpha", "1", "amd64", "Provides: httpd"))
	wantResolve(t, resolve(t, idx, []string{"a"}, nil), "a=1", "zeta=1")
}

// The highest version that satisfies the constraint is chosen.
func TestResolveHighestSatisfying(t *testing.T) {
	idx := index(t, pkg("a", "1", "amd64", "Depends: b (<< 3)")+pkg("b", "1", "amd64", "")+
		pkg("b", "3", "amd64", "")+pkg("b", "2.9~rc1", "amd64", "")+pkg("b", "2", "amd64", ""))
	wantResolve(t, resolve(t, idx, []string{"a"}, nil), "a=1", "b=2.9~rc1")
}

// A dependency nothing satisfies is a NoCandidateError naming the requirer.
func TestResolveNoCandidate(t *testing.T) {
	idx := index(t, pkg("a", "1", "amd64", "Depends: b (>= 2) | c")+pkg("b", "1", "amd64", ""))
	_, err := Resolve(idx, []string{"a"}, nil)
	var nc *NoCandidateError
	if !errors.As(err, &nc) || nc.Name != "b" || nc.RequiredBy != "a" || nc.Constraint != "b (>= 2) | c" {
		t.Fatalf("Resolve() error = %v, want NoCandidateError for b required by a", err)
	}
	if want := "no package satisfies b (>= 2) | c (required by a)"; err.Error() != want {
		t.Errorf("Error() = %q, want %q", err, want)
	}
}

// A missing root is a NoCandidateError too.
func TestResolveMissingRoot(t *testing.T) {
	_, err := Resolve(index(t, pkg("a", "1", "amd64", "")), []string{"nope"}, nil)
	var nc *NoCandidateError
	if !errors.As(err, &nc) || nc.Name != "nope" || nc.RequiredBy != "" {
		t.Errorf("Resolve(nope) error = %v, want NoCandidateError", err)
	}
}

// A constraint the already chosen version fails is a ConflictError (no backtracking).
func TestResolveConflict(t *testing.T) {
	idx := index(t, pkg("a", "1", "amd64", "Depends: b, c")+pkg("b", "1", "amd64", "Depends: d (<< 2)")+
		pkg("c", "1", "amd64", "Depends: d (>= 2)")+pkg("d", "1", "amd64", "")+pkg("d", "2", "amd64", ""))
	_, err := Resolve(idx, []string{"a"}, nil)
	var ce *ConflictError
	if !errors.As(err, &ce) || ce.Name != "d" || ce.Chosen != "1" || ce.Constraint != "d (>= 2)" || ce.RequiredBy != "c" {
		t.Errorf("Resolve() error = %v, want ConflictError on d", err)
	}
}

// Cycles terminate, and each package appears once.
func TestResolveCycle(t *testing.T) {
	idx := index(t, pkg("a", "1", "amd64", "Depends: b")+pkg("b", "1", "amd64", "Depends: a (>= 1), b"))
	wantResolve(t, resolve(t, idx, []string{"a"}, nil), "a=1", "b=1")
}

// Pre-Depends are followed like Depends.
func TestResolvePreDepends(t *testing.T) {
	idx := index(t, pkg("a", "1", "amd64", "Pre-Depends: b (>= 1)")+pkg("b", "1", "amd64", ""))
	wantResolve(t, resolve(t, idx, []string{"a"}, nil), "a=1", "b=1")
}

// ":any" and ":native" qualifiers are ignored.
func TestResolveAnyQualifier(t *testing.T) {
	idx := index(t, pkg("a", "1", "amd64", "Depends: b:any, c:native (>= 1)")+
		pkg("b", "1", "all", "Multi-Arch: foreign")+pkg("c", "1", "amd64", ""))
	wantResolve(t, resolve(t, idx, []string{"a"}, nil), "a=1", "b=1", "c=1")
}

// Arch "all" and native packages mix; another architecture's qualifier finds nothing.
func TestResolveArch(t *testing.T) {
	idx := index(t, pkg("a", "1", "amd64", "Depends: b:amd64, c")+pkg("b", "1", "all", "")+pkg("c", "1", "amd64", ""))
	wantResolve(t, resolve(t, idx, []string{"a"}, nil), "a=1", "b=1", "c=1")
	if _, err := Resolve(index(t, pkg("a", "1", "amd64", "Depends: c:i386")+pkg("c", "1", "amd64", "")), []string{"a"}, nil); err == nil {
		t.Error("Resolve(c:i386) = nil error, want NoCandidateError")
	}
}

// Roots may carry constraints; the result is sorted and independent of root order.
func TestResolveDeterministic(t *testing.T) {
	idx := index(t, pkg("z", "1", "amd64", "Depends: m")+pkg("m", "1", "amd64", "")+pkg("a", "1", "amd64", "Depends: m")+
		pkg("a", "2", "amd64", "Depends: m"))
	first := resolve(t, idx, []string{"z", "a (<< 2)"}, nil)
	wantResolve(t, first, "a=1", "m=1", "z=1")
	for range 20 {
		wantResolve(t, resolve(t, idx, []string{"a (<< 2)", "z", "z"}, nil), first...)
	}
}

// Bad inputs are errors, not panics.
func TestResolveBadInput(t *testing.T) {
	idx := index(t, pkg("a", "1", "amd64", ""))
	for _, tt := range []struct {
		idx            *Index
		roots, exclude []string
	}{
		{nil, []string{"a"}, nil},
		{idx, nil, nil},
		{idx, []string{"a, b"}, nil},
		{idx, []string{"a"}, []string{"Bad Name"}},
	} {
		if _, err := Resolve(tt.idx, tt.roots, tt.exclude); err == nil {
			t.Errorf("Resolve(%v, %v) = nil error, want error", tt.roots, tt.exclude)
		}
	}
}

func TestDefaultExclude(t *testing.T) {
	if !slices.IsSorted(DefaultExclude) {
		t.Errorf("DefaultExclude is not sorted: %v", DefaultExclude)
	}
	for _, name := range DefaultExclude {
		if !validName(name) {
			t.Errorf("DefaultExclude has invalid name %q", name)
		}
	}
}

func TestIndexLookups(t *testing.T) {
	idx := index(t, pkg("b", "1", "amd64", "Provides: v")+pkg("b", "2", "amd64", "Provides: v")+pkg("b", "2", "amd64", "")+
		pkg("a", "1", "all", "Provides: v"))
	if idx.Len() != 3 {
		t.Errorf("Len() = %d, want 3", idx.Len())
	}
	if v := idx.Versions("b"); len(v) != 2 || v[0].Version != "2" {
		t.Errorf("Versions(b) = %v, want 2 then 1", v)
	}
	if p := idx.Providers("v"); len(p) != 3 || p[0].Name != "a" || p[1].Version != "2" {
		t.Errorf("Providers(v) = %v, want a, b 2, b 1", p)
	}
}
