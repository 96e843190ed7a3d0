package debian

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path"

	"github.com/ulikunitz/xz"
)

// LoadIndex fetches and verifies dists/<suite>/InRelease (or, when the
// archive has no InRelease (404), dists/<suite>/Release with Release.gpg;
// any other failure to fetch InRelease is an error), checks that the
// verified Release is not past its Valid-Until (*ExpiredError), finds
// main/binary-<arch>/Packages.xz in it, fetches that file with its sha256
// (from by-hash/ when the Release allows it), verifies sha256 and size,
// decompresses and parses it, and indexes the packages of arch and "all".
//
// The signature is checked against DebianKeyring unless an option says
// otherwise (WithKeyring, WithoutSignatureCheck); an InRelease that exists
// but does not verify is an error, never a reason to try Release. Signature
// failures are *SignatureError. The returned Release (and so its Date) is
// the verified one.
func LoadIndex(ctx context.Context, f Fetcher, suite, arch string, opts ...LoadOption) (*Release, *Index, error) {
	if f == nil {
		return nil, nil, errors.New("loading index: nil fetcher")
	}
	rel, pkgs, err := loadPackages(ctx, f, suite, arch, opts)
	if err != nil {
		return nil, nil, err
	}
	return rel, NewIndex(pkgs), nil
}

func fetchRelease(ctx context.Context, f Fetcher, suite string, cfg *loadConfig) (*Release, error) {
	if cfg.skipCheck {
		return fetchUnverified(ctx, f, suite)
	}
	dir := path.Join("dists", suite)
	data, err := f.Fetch(ctx, path.Join(dir, "InRelease"), "")
	var rel *Release
	switch {
	case err == nil:
		rel, err = VerifyInRelease(data, cfg.keys, cfg.verifyTime())
	case errors.Is(err, fs.ErrNotExist):
		rel, err = fetchDetached(ctx, f, dir, cfg, err)
	default:
		// Only an archive without InRelease is read through Release:
		// a server error may hide a signed InRelease, and falling back
		// would turn an outage into a downgrade.
		return nil, fmt.Errorf("downloading InRelease: %w", err)
	}
	if err != nil {
		return nil, err
	}
	return rel, checkValidUntil(rel, suite, cfg.verifyTime())
}

// fetchDetached verifies Release with Release.gpg, for archives that serve
// no InRelease; inErr is why fetching InRelease failed.
func fetchDetached(ctx context.Context, f Fetcher, dir string, cfg *loadConfig, inErr error) (*Release, error) {
	rel, err := f.Fetch(ctx, path.Join(dir, "Release"), "")
	if err != nil {
		return nil, errors.Join(inErr, err)
	}
	sig, err := f.Fetch(ctx, path.Join(dir, "Release.gpg"), "")
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, &SignatureError{File: "Release", Problem: SignatureMissing, Err: errors.Join(inErr, err)}
	case err != nil:
		return nil, fmt.Errorf("downloading Release.gpg: %w", err)
	}
	return VerifyRelease(rel, sig, cfg.keys, cfg.verifyTime())
}

// fetchUnverified is LoadIndex's path under WithoutSignatureCheck.
func fetchUnverified(ctx context.Context, f Fetcher, suite string) (*Release, error) {
	dir := path.Join("dists", suite)
	data, err := f.Fetch(ctx, path.Join(dir, "InRelease"), "")
	if err != nil {
		var err2 error
		if data, err2 = f.Fetch(ctx, path.Join(dir, "Release"), ""); err2 != nil {
			return nil, errors.Join(err, err2)
		}
	}
	return ParseRelease(data)
}

func fetchPackages(ctx context.Context, f Fetcher, rel *Release, suite, arch string) ([]Package, error) {
	name := "main/binary-" + arch + "/Packages.xz"
	file, ok := rel.Index(name)
	if !ok {
		return nil, fmt.Errorf("release lists no %s", name)
	}
	data, err := f.Fetch(ctx, indexPath(rel, suite, file), file.SHA256)
	if err != nil {
		return nil, err
	}
	if err := verify(data, file.Size, file.SHA256); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	xr, err := xz.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	pkgs, err := ParsePackages(xr)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return forArch(pkgs, arch), nil
}

// indexPath is the mirror-relative path to fetch file from: its by-hash name
// when the Release allows it, so a mirror update cannot race the fetch.
func indexPath(rel *Release, suite string, file IndexFile) string {
	if rel.AcquireByHash {
		return path.Join("dists", suite, path.Dir(file.Path), "by-hash", "SHA256", file.SHA256)
	}
	return path.Join("dists", suite, file.Path)
}

func forArch(pkgs []Package, arch string) []Package {
	out := pkgs[:0]
	for _, p := range pkgs {
		if p.Architecture == arch || p.Architecture == "all" {
			out = append(out, p)
		}
	}
	return out
}
