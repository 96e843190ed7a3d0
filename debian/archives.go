package debian

import (
	"context"
	"errors"
	"fmt"

	"golang.org/x/sync/errgroup"
)

// Archive is one apt source: a suite ("trixie", "trixie-updates",
// "trixie-security") and the Fetcher of the archive that serves it.
type Archive struct {
	// Suite is the folder under dists/.
	Suite string
	// Fetcher reads the archive that holds it.
	Fetcher Fetcher
}

// LoadIndexes loads arch's index of every archive at once (see LoadIndex)
// and joins them into one Index, as apt joins its sources: every package
// records its archive's suite in Archive, and the resolver takes the
// highest version of each name across them. A name and version in two
// archives is taken from the first that lists it. The Releases are in the
// order of archives.
func LoadIndexes(ctx context.Context, archives []Archive, arch string, opts ...LoadOption) ([]*Release, *Index, error) {
	if len(archives) == 0 {
		return nil, nil, errors.New("loading indexes: no archives")
	}
	rels := make([]*Release, len(archives))
	pkgs := make([][]Package, len(archives))
	eg, ctx := errgroup.WithContext(ctx)
	for i, a := range archives {
		eg.Go(func() error {
			rel, ps, err := loadPackages(ctx, a.Fetcher, a.Suite, arch, opts)
			if err != nil {
				return err
			}
			for j := range ps {
				ps[j].Archive = a.Suite
			}
			rels[i], pkgs[i] = rel, ps
			return nil
		})
	}
	if err := eg.Wait(); err != nil {
		return nil, nil, err
	}
	var all []Package
	for _, ps := range pkgs {
		all = append(all, ps...)
	}
	return rels, NewIndex(all), nil
}

// loadPackages is LoadIndex without the index: the verified Release and
// arch's packages.
func loadPackages(ctx context.Context, f Fetcher, suite, arch string, opts []LoadOption) (*Release, []Package, error) {
	if f == nil {
		return nil, nil, fmt.Errorf("loading index of %s: nil fetcher", suite)
	}
	if !validName(suite) || !validArch(arch) {
		return nil, nil, fmt.Errorf("loading index: invalid suite %q or architecture %q", suite, arch)
	}
	cfg, err := newLoadConfig(opts)
	if err != nil {
		return nil, nil, fmt.Errorf("loading index: %w", err)
	}
	rel, err := fetchRelease(ctx, f, suite, cfg)
	if err != nil {
		return nil, nil, fmt.Errorf("reading Release for %s: %w", suite, err)
	}
	pkgs, err := fetchPackages(ctx, f, rel, suite, arch)
	if err != nil {
		return nil, nil, fmt.Errorf("reading Packages of %s for %s: %w", suite, arch, err)
	}
	return rel, pkgs, nil
}
