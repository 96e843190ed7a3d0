package debian

import (
	"cmp"
	"slices"
)

// Index answers look-ups over one architecture's packages: those of that
// architecture and those of architecture "all". It is read-only after
// NewIndex and safe for concurrent use.
type Index struct {
	byName   map[string][]*Package // highest version first
	provides map[string][]provision
	count    int
}

// provision is one Provides entry: pkg provides rel.Name, at rel.Version when rel.Op is "=".
type provision struct {
	pkg *Package
	rel Relation
}

// NewIndex indexes pkgs by name and by the virtual names they provide. A
// repeated name and version keeps the first stanza.
func NewIndex(pkgs []Package) *Index {
	x := &Index{byName: map[string][]*Package{}, provides: map[string][]provision{}}
	for i := range pkgs {
		x.add(&pkgs[i])
	}
	for name, ps := range x.byName {
		slices.SortStableFunc(ps, func(a, b *Package) int { return CompareVersions(b.Version, a.Version) })
		x.byName[name] = ps
	}
	for name, pv := range x.provides {
		slices.SortStableFunc(pv, compareProvisions)
		x.provides[name] = pv
	}
	return x
}

func (x *Index) add(p *Package) {
	for _, q := range x.byName[p.Name] {
		if q.Version == p.Version {
			return
		}
	}
	cp := *p
	x.byName[p.Name] = append(x.byName[p.Name], &cp)
	x.count++
	for _, rel := range cp.Provides {
		x.provides[rel.Name] = append(x.provides[rel.Name], provision{pkg: &cp, rel: rel})
	}
}

// compareProvisions orders providers by name, then highest version first.
func compareProvisions(a, b provision) int {
	if c := cmp.Compare(a.pkg.Name, b.pkg.Name); c != 0 {
		return c
	}
	return CompareVersions(b.pkg.Version, a.pkg.Version)
}

// Len returns the number of packages in the index.
func (x *Index) Len() int { return x.count }

// Versions returns the packages named name, highest version first.
func (x *Index) Versions(name string) []Package {
	var out []Package
	for _, p := range x.byName[name] {
		out = append(out, *p)
	}
	return out
}

// Providers returns the packages that provide the virtual name, ordered by
// package name and then highest version first.
func (x *Index) Providers(name string) []Package {
	var out []Package
	for _, pv := range x.provides[name] {
		out = append(out, *pv.pkg)
	}
	return out
}

// Essential returns the names of the packages marked "Essential: yes", sorted.
func (x *Index) Essential() []string {
	var out []string
	for name := range x.byName {
		for _, p := range x.byName[name] {
			if p.Essential {
				out = append(out, name)
				break
			}
		}
	}
	slices.Sort(out)
	return out
}
