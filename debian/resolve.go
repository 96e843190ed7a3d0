package debian

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
)

// Resolve returns the Depends and Pre-Depends closure of roots, sorted by
// name, with one version per package. A root is a package name, optionally
// with a constraint or alternatives ("nginx (>= 1.26)", "foo | bar").
//
// A dependency group is skipped when any alternative names an excluded
// package, or a virtual package that only excluded packages provide.
// Otherwise, when an already chosen package satisfies some alternative, that
// package serves; else the first alternative with a candidate wins: the
// highest version of a real package satisfying the constraint, or else a
// provider of the virtual name (versioned Provides honoured; among several
// providers the first by name). ":any" and ":native" qualifiers are ignored;
// another qualifier requires that architecture or "all". Pre-Depends are
// followed before Depends. There is no backtracking: a versioned constraint
// that the already chosen version fails is a *ConflictError, and a group no
// package satisfies is a *NoCandidateError.
func Resolve(idx *Index, roots, exclude []string) ([]Package, error) {
	if idx == nil {
		return nil, errors.New("resolve: nil index")
	}
	r, err := newResolver(idx, exclude)
	if err != nil {
		return nil, err
	}
	if err := r.addRoots(roots); err != nil {
		return nil, err
	}
	if err := r.drain(); err != nil {
		return nil, err
	}
	return r.result(), nil
}

type resolver struct {
	idx      *Index
	excluded map[string]bool
	chosen   map[string]*Package
	queue    []*Package
}

func newResolver(idx *Index, exclude []string) (*resolver, error) {
	r := &resolver{idx: idx, excluded: map[string]bool{}, chosen: map[string]*Package{}}
	for _, name := range exclude {
		if !validName(name) {
			return nil, fmt.Errorf("resolve: invalid excluded package name %q", name)
		}
		r.excluded[name] = true
	}
	return r, nil
}

func (r *resolver) addRoots(roots []string) error {
	if len(roots) == 0 {
		return errors.New("resolve: no roots")
	}
	sorted := slices.Clone(roots)
	slices.Sort(sorted)
	for _, root := range slices.Compact(sorted) {
		deps, err := ParseDependencies(root)
		if err != nil || len(deps) != 1 {
			return fmt.Errorf("resolve: invalid root %q", root)
		}
		if r.skip(deps[0]) {
			return fmt.Errorf("resolve: root %q is excluded", root)
		}
		if err := r.group(deps[0], ""); err != nil {
			return err
		}
	}
	return nil
}

func (r *resolver) drain() error {
	for len(r.queue) > 0 {
		p := r.queue[0]
		r.queue = r.queue[1:]
		for _, g := range slices.Concat(p.PreDepends, p.Depends) {
			if err := r.group(g, p.Name); err != nil {
				return err
			}
		}
	}
	return nil
}

func (r *resolver) result() []Package {
	out := make([]Package, 0, len(r.chosen))
	for _, p := range r.chosen {
		out = append(out, *p)
	}
	slices.SortFunc(out, func(a, b Package) int { return cmp.Compare(a.Name, b.Name) })
	return out
}

// group resolves one dependency group required by the package named by.
func (r *resolver) group(g Dependency, by string) error {
	if r.skip(g) || r.satisfied(g) {
		return nil
	}
	var conflict error
	for _, rel := range g {
		if p := r.chosen[rel.Name]; p != nil {
			if conflict == nil {
				conflict = &ConflictError{Name: p.Name, Chosen: p.Version, Constraint: rel.String(), RequiredBy: by}
			}
			continue
		}
		if p := r.candidate(rel); p != nil {
			r.chosen[p.Name] = p
			r.queue = append(r.queue, p)
			return nil
		}
	}
	if conflict != nil {
		return conflict
	}
	e := &NoCandidateError{Name: g[0].Name, Constraint: g.String(), RequiredBy: by}
	if len(g) == 1 && !r.idx.Known(g[0].Name) {
		e.Similar = r.idx.Similar(g[0].Name)
	}
	return e
}

// skip reports whether any alternative of g is excluded.
func (r *resolver) skip(g Dependency) bool {
	return slices.ContainsFunc(g, func(rel Relation) bool { return r.isExcluded(rel.Name) })
}

// isExcluded reports whether name is excluded, or is a virtual package whose
// providers are all excluded.
func (r *resolver) isExcluded(name string) bool {
	if r.excluded[name] {
		return true
	}
	pv := r.idx.provides[name]
	if len(r.idx.byName[name]) > 0 || len(pv) == 0 {
		return false
	}
	return !slices.ContainsFunc(pv, func(p provision) bool { return !r.excluded[p.pkg.Name] })
}

// satisfied reports whether an already chosen package satisfies some alternative.
func (r *resolver) satisfied(g Dependency) bool {
	for _, rel := range g {
		if p := r.chosen[rel.Name]; p != nil && matches(p, rel) {
			return true
		}
		for _, pv := range r.idx.provides[rel.Name] {
			if r.chosen[pv.pkg.Name] == pv.pkg && provisionMatches(pv, rel) {
				return true
			}
		}
	}
	return false
}

// candidate returns the best unchosen package for rel, or nil.
func (r *resolver) candidate(rel Relation) *Package {
	for _, p := range r.idx.byName[rel.Name] {
		if matches(p, rel) {
			return p
		}
	}
	for _, pv := range r.idx.provides[rel.Name] {
		name := pv.pkg.Name
		if r.chosen[name] == nil && !r.excluded[name] && provisionMatches(pv, rel) {
			return pv.pkg
		}
	}
	return nil
}

// matches reports whether the real package p satisfies rel.
func matches(p *Package, rel Relation) bool {
	return archMatches(p, rel) && rel.SatisfiedBy(p.Version)
}

// provisionMatches reports whether a Provides entry satisfies rel: an
// unversioned Provides never satisfies a versioned relation.
func provisionMatches(pv provision, rel Relation) bool {
	if !archMatches(pv.pkg, rel) {
		return false
	}
	if rel.Op == "" {
		return true
	}
	return pv.rel.Op == "=" && rel.SatisfiedBy(pv.rel.Version)
}

func archMatches(p *Package, rel Relation) bool {
	switch rel.Arch {
	case "", "any", "native":
		return true
	}
	return p.Architecture == rel.Arch || p.Architecture == "all"
}
