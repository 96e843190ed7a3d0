package frontend

import (
	"context"
	"errors"
	"strconv"

	"github.com/layercake-build/layercake/llbgen"
	"github.com/layercake-build/layercake/spec"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
	"github.com/moby/buildkit/frontend/dockerui"
	"github.com/moby/buildkit/frontend/gateway/client"
	"github.com/moby/buildkit/frontend/subrequests/lint"
	"github.com/moby/buildkit/frontend/subrequests/outline"
	"github.com/moby/buildkit/frontend/subrequests/targets"
	"github.com/moby/buildkit/solver/pb"
)

// requestSchema is `docker buildx build --call schema`.
const requestSchema = "frontend.schema"

// targetDescriptions are shown by `--call targets` and `--call outline`.
var targetDescriptions = []struct{ name, description string }{
	{TargetImage, "the nginx image serving the site (default)"},
	{TargetLock, "layercake.lock pinning every package; write it with -o ."},
	{TargetSite, "the web root alone, for a preview; write it with -o out/"},
}

// ruleDescriptions explain the --check rules.
var ruleDescriptions = map[string]string{
	"MissingLock":          "Builds without layercake.lock are not pinned",
	"InvalidLock":          "layercake.lock cannot be read",
	"StaleLock":            "layercake.lock was written for another spec",
	"LockMissingPlatform":  "layercake.lock lacks a requested platform",
	"LockMissingToolchain": "layercake.lock lacks the site.build toolchain",
	"OldLock":              "layercake.lock's security archive is over 30 days old",
	"NoMirror":             "No Debian archive is configured",
	"ExtensionKey":         "Keys starting with x- are ignored",
}

// subrequest answers --call and --check; ok is false for a normal build.
func (b *builder) subrequest(ctx context.Context) (*client.Result, bool, error) {
	if b.c.BuildOpts().Opts["requestid"] == requestOutdated {
		res, err := b.outdated(ctx)
		return res, true, err
	}
	if b.c.BuildOpts().Opts["requestid"] == requestVersion {
		return versionResult(), true, nil
	}
	if b.c.BuildOpts().Opts["requestid"] == requestSchema {
		res := client.NewResult()
		res.AddMeta("result.json", spec.Schema())
		res.AddMeta("result.txt", spec.Schema())
		return res, true, nil
	}
	return b.bc.HandleSubrequest(ctx, dockerui.RequestHandler{
		Outline:     b.outline,
		ListTargets: b.listTargets,
		Lint:        b.lintSubrequest,
	})
}

func (b *builder) listTargets(context.Context) (*targets.List, error) {
	l := &targets.List{Sources: [][]byte{b.entry.Data}}
	for _, t := range targetDescriptions {
		l.Targets = append(l.Targets, targets.Target{Name: t.name, Default: t.name == TargetImage, Description: t.description})
	}
	return l, nil
}

func (b *builder) outline(context.Context) (*outline.Outline, error) {
	o := &outline.Outline{Name: b.opts.target, Sources: [][]byte{b.entry.Data}}
	for _, t := range targetDescriptions {
		if t.name == b.opts.target {
			o.Description = t.description
		}
	}
	sp, _ := spec.Load(b.entry.Filename, b.entry.Data) // outline works on a broken spec too
	mirror, security, epoch := "", "", ""
	var mirrorAt *pb.Location
	if sp != nil {
		mirror, security = sp.Debian.Mirror, sp.Debian.SecurityMirror
		if sp.Epoch != nil {
			epoch = strconv.FormatInt(*sp.Epoch, 10)
		}
		mirrorAt = &pb.Location{Ranges: []*pb.Range{lineRange(sp.Pos("debian.mirror"))}}
	}
	o.Args = []outline.Arg{
		{Name: ArgMirror, Value: mirror, Location: mirrorAt, Description: "Debian archive URL; overrides debian.mirror"},
		{Name: ArgSecurityMirror, Value: security, Description: "Debian security archive URL; overrides debian.security_mirror (default: the mirror's sibling debian-security)"},
		{Name: ArgNpmRegistry, Value: b.opts.npmRegistry, Description: "npm registry site.build.npm's packages come from; default: " + llbgen.DefaultNpmRegistry},
		{Name: ArgCacheNamespace, Value: b.opts.cacheNS, Description: "prefix of every cache mount's ID (generator caches, earlier runs, compressed variants), so other sites on the builder do not share them"},
		{Name: ArgEpoch, Value: epoch, Description: "the build's time; default: the spec's epoch, else the archive date in layercake.lock"},
		{Name: ArgMerge, Value: "true", Description: "false joins layers with a copy chain instead of MergeOp"},
		{Name: ArgHelperImage, Value: b.opts.helperImage, Description: "layercake image that unpacks packages; default: the # syntax= image"},
	}
	return o, nil
}

// lintSubrequest answers `docker buildx build --check`.
func (b *builder) lintSubrequest(ctx context.Context) (*lint.LintResults, error) {
	res := &lint.LintResults{}
	idx := res.AddSource(b.entry.SourceMap)
	sp, err := spec.Load(b.entry.Filename, b.entry.Data)
	if err != nil {
		var ranges []*pb.Range
		for _, e := range spec.Errors(err) {
			ranges = append(ranges, lineRange(e.Pos))
		}
		res.Error = &lint.BuildError{Message: err.Error(), Location: pb.Location{SourceIndex: int32(idx), Ranges: ranges}}
		return res, nil
	}
	b.spec = sp
	in, err := b.lintInput(ctx)
	if err != nil {
		return nil, err
	}
	for _, f := range check(in) {
		line := max(f.pos.Line, 1)
		r := parser.Range{Start: parser.Position{Line: line}, End: parser.Position{Line: line}}
		res.AddWarning(f.rule, ruleDescriptions[f.rule], "", f.detail, idx, []parser.Range{r})
	}
	return res, nil
}

// lintInput gathers what the checks need: the lock and the platforms.
func (b *builder) lintInput(ctx context.Context) (lintInput, error) {
	in := lintInput{spec: b.spec, file: b.opts.specFile, req: b.request(), mirror: b.opts.mirror}
	if in.mirror == "" {
		in.mirror = b.spec.Debian.Mirror
	}
	var err error
	if in.arches, err = b.debArches(); err != nil {
		return in, err
	}
	if in.toolchainArch, err = b.toolchainArch(); err != nil {
		return in, err
	}
	in.lock, err = b.readLockFile(ctx)
	switch {
	case errors.Is(err, errNoLock):
		in.lock = nil
	case err != nil:
		in.lock, in.lockErr = nil, err
	}
	return in, nil
}
