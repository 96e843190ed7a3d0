package frontend

import (
	"context"
	"fmt"
	"io/fs"
	"path"
	"strings"

	"github.com/moby/buildkit/frontend/gateway/client"
	fstypes "github.com/tonistiigi/fsutil/types"
)

// maxLinkHops bounds the links followed while explaining a snippet path,
// as the kernel's ELOOP does.
const maxLinkHops = 40

// readSnippet reads the server.include file p (clean, relative to the
// context) from ref, the context's transferred snippets. When p is not a
// file that can be read, the error says why in the user's terms: a link
// leading out of the build context, a folder, or no such file.
func readSnippet(ctx context.Context, ref files, p string) ([]byte, error) {
	st, err := ref.StatFile(ctx, client.StatRequest{Path: p})
	if err == nil && fs.FileMode(st.Mode).IsRegular() {
		return readAll(ctx, ref, p)
	}
	if err == nil && fs.FileMode(st.Mode).IsDir() {
		return nil, folderProblem(ctx, ref, p)
	}
	if problem := walkProblem(ctx, ref, p); problem != nil {
		return nil, problem
	}
	if err != nil {
		return nil, fmt.Errorf("%q cannot be read from the build context: %w", p, err)
	}
	return nil, fmt.Errorf("%q is not a regular file (%s); name a file", p, fs.FileMode(st.Mode).Type())
}

// folderProblem explains a snippet path that names a folder.
func folderProblem(ctx context.Context, ref files, p string) error {
	example := path.Join(p, "extra.conf")
	if entries, err := ref.ReadDir(ctx, client.ReadDirRequest{Path: p}); err == nil {
		for _, e := range entries {
			if fs.FileMode(e.Mode).IsRegular() {
				example = path.Join(p, e.Path)
				break
			}
		}
	}
	return fmt.Errorf("%q is a folder; list each snippet file in it instead, such as %q", p, example)
}

// walkProblem follows p from the context's root one name at a time, the way
// BuildKit resolves it inside the context, and explains where it breaks: a
// link whose target is absolute or climbs out of the context (BuildKit
// transfers only the context, so the target is not there), a link to a
// missing file, or a missing name. It returns nil when p resolves.
func walkProblem(ctx context.Context, ref files, p string) error {
	rest := strings.Split(p, "/")
	dir := ""
	for hops := 0; len(rest) > 0; {
		name := rest[0]
		rest = rest[1:]
		at := path.Join(dir, name)
		e, err := lstat(ctx, ref, dir, name)
		if err != nil {
			return nil // cannot tell; the caller reports what BuildKit said
		}
		if e == nil {
			return fmt.Errorf("%q is not in the build context; create it, or fix the path: it is relative to the build context (the folder given to docker build), not to the spec", p)
		}
		if fs.FileMode(e.Mode)&fs.ModeSymlink == 0 {
			dir = at
			continue
		}
		if hops++; hops > maxLinkHops {
			return fmt.Errorf("%q leads through more than %d links; name the file itself", p, maxLinkHops)
		}
		target := path.Join(dir, e.Linkname)
		if path.IsAbs(e.Linkname) || target == ".." || strings.HasPrefix(target, "../") {
			what := fmt.Sprintf("%q is a link to %q", p, e.Linkname)
			if at != p {
				what = fmt.Sprintf("%q leads through %q, a link to %q", p, at, e.Linkname)
			}
			return fmt.Errorf("%s, which points outside the build context; BuildKit sends only the context, so copy the file into it (or link to a file inside it, with a relative link)", what)
		}
		if len(rest) == 0 {
			if t, err := lstat(ctx, ref, path.Dir(target), path.Base(target)); err == nil && t == nil {
				return fmt.Errorf("%q is a link to %q, which is not in the build context; point it at a file that is", p, e.Linkname)
			}
		}
		rest = append(strings.Split(target, "/"), rest...)
		dir = ""
	}
	return nil
}

// lstat returns the entry name of folder dir ("" for the root) without
// following it, or nil when dir holds no such name.
func lstat(ctx context.Context, ref files, dir, name string) (*fstypes.Stat, error) {
	if dir == "." {
		dir = ""
	}
	entries, err := ref.ReadDir(ctx, client.ReadDirRequest{Path: "/" + dir})
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		if e.Path == name {
			return e, nil
		}
	}
	return nil, nil
}
