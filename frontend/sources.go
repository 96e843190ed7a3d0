package frontend

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"

	"github.com/layercake-build/layercake/frontend/gitignore"
	"github.com/layercake-build/layercake/spec"
	"github.com/moby/buildkit/client/llb"
	"github.com/moby/buildkit/frontend/dockerui"
	"github.com/moby/patternmatcher"
)

// maxGitignores bounds how many .gitignore files a context may hold.
const maxGitignores = 1000

// sources is the build context the site comes from: filtered by
// .dockerignore, and for a generator also by the repository's .gitignore
// files (unless site.build.gitignore is false), so local build output and
// editor files never reach the generator or the cache key.
//
// `--build-context site=…` replaces the build context as the site's source
// (site.dir and site.build are then relative to it); it is used as given.
func (b *builder) sources(ctx context.Context) (llb.State, error) {
	if st, ok, err := b.namedSiteContext(ctx); err != nil || ok {
		return st, err
	}
	bld := b.spec.Site.Build
	if bld == nil || !bld.GitignoreOn() {
		st, err := b.bc.MainContext(ctx)
		if err != nil {
			return llb.State{}, err
		}
		return *st, nil
	}
	dockerignore, err := b.bc.DockerIgnorePatterns(ctx)
	if err != nil {
		return llb.State{}, err
	}
	files, err := b.readGitignores(ctx, dockerignore)
	if err != nil {
		return llb.State{}, fmt.Errorf("reading .gitignore files: %w", err)
	}
	if err := b.inputsIgnored(files); err != nil {
		return llb.State{}, err
	}
	excludes := append(slices.Clone(dockerignore), gitignore.Patterns(files)...)
	st, err := b.bc.MainContext(ctx, llb.ExcludePatterns(excludes))
	if err != nil {
		return llb.State{}, err
	}
	return *st, nil
}

// readGitignores transfers only the context's .gitignore files and reads them.
func (b *builder) readGitignores(ctx context.Context, dockerignore []string) ([]gitignore.File, error) {
	ref, err := b.localFiles(ctx, dockerui.DefaultLocalNameContext, "layercake-gitignore", ".gitignore files",
		llb.IncludePatterns([]string{"**/.gitignore"}), llb.ExcludePatterns(dockerignore), b.at("site.build"))
	if err != nil {
		return nil, err
	}
	var files []gitignore.File
	err = walkEntries(ctx, ref, "", func(p string, mode fs.FileMode, _ string, _ int64) error {
		if !mode.IsRegular() || path.Base(p) != ".gitignore" {
			return nil
		}
		if len(files) == maxGitignores {
			return fmt.Errorf("more than %d .gitignore files; set site.build.gitignore: false and use .dockerignore", maxGitignores)
		}
		data, err := readAll(ctx, ref, p)
		if err != nil {
			return err
		}
		dir := path.Dir(p)
		if dir == "." {
			dir = ""
		}
		files = append(files, gitignore.File{Dir: dir, Data: data})
		return nil
	})
	return files, err
}

// SiteContext is the name of the build context that replaces the main one as
// the site's source: docker buildx build --build-context site=../site .
const SiteContext = "site"

func (b *builder) namedSiteContext(ctx context.Context) (llb.State, bool, error) {
	nc, err := b.bc.NamedContext(SiteContext, dockerui.ContextOpt{})
	if err != nil || nc == nil {
		return llb.State{}, false, err
	}
	st, _, err := nc.Load(ctx)
	if err != nil {
		return llb.State{}, false, fmt.Errorf("loading the %q build context: %w", SiteContext, err)
	}
	if st == nil {
		return llb.State{}, false, nil
	}
	return *st, true, nil
}

// inputsIgnored fails at the first of a step's inputs that a .gitignore
// file leaves out of the sources: the step would silently not get it.
func (b *builder) inputsIgnored(files []gitignore.File) error {
	var errs []error
	for i, st := range b.spec.Site.Build.Steps {
		for j, in := range st.Inputs {
			p := path.Clean(in)
			for _, f := range files {
				pm, err := patternmatcher.New(gitignore.Patterns([]gitignore.File{f}))
				if err != nil {
					continue // BuildKit reports a pattern it cannot read
				}
				if ignored, _ := pm.MatchesOrParentMatches(p); !ignored {
					continue
				}
				field := fmt.Sprintf("site.build.steps[%d].inputs[%d]", i, j)
				errs = append(errs, b.src.withPositions(&spec.Error{File: b.spec.File(), Pos: b.spec.Pos(field), Path: field,
					Msg: fmt.Sprintf("%s is ignored by %s, so this step would not get it; take it out of that file, or set site.build.gitignore: false and leave build output out with .dockerignore", in, path.Join(f.Dir, ".gitignore"))}))
				break
			}
		}
	}
	return errors.Join(errs...)
}
