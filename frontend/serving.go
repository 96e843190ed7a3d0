package frontend

import (
	"context"
	"errors"
	"fmt"
	"path"
	"regexp"
	"strconv"
	"strings"

	"github.com/layercake-build/layercake/hostrules"
	"github.com/layercake-build/layercake/llbgen"
	"github.com/layercake-build/layercake/spec"
	"github.com/layercake-build/layercake/webroot"
	"github.com/moby/buildkit/client/llb"
	"github.com/moby/buildkit/frontend/dockerui"
	"github.com/moby/buildkit/frontend/gateway/client"
	"github.com/moby/buildkit/solver/errdefs"
	"github.com/moby/buildkit/solver/pb"
)

// maxRuleFile bounds _headers and _redirects (Cloudflare's limits make real
// files far smaller).
const maxRuleFile = 1 << 20

// serving completes in with what the served site needs from outside the
// spec: it solves the staged site, checks it, and reads its _headers and
// _redirects; and it reads the server.include snippets from the context.
func (b *builder) serving(ctx context.Context, in *llbgen.Input) error {
	out, err := llbgen.Build(*in)
	if err != nil {
		return err
	}
	ref, err := b.solve(ctx, out.Staged, true)
	if err != nil {
		return b.downloadHint(ctx, out.Staged, err) // a generated site's graph holds the toolchain's packages
	}
	if out.Report != nil {
		b.runsWarned.Do(func() { b.warnDiffering(ctx, *out.Report) })
	}
	if in.SiteEntries, in.SiteExclude, err = b.checkSite(ctx, ref, out.StagedDir); err != nil {
		return err
	}
	if in.Rules, err = b.siteRules(ctx, ref, out.StagedDir, in.SiteEntries); err != nil {
		return err
	}
	if in.Snippets, err = b.snippets(ctx); err != nil {
		return err
	}
	b.snippetsWarned.Do(func() { b.warnSnippetHeaders(ctx, in.Snippets, in.Rules) })
	return nil
}

// ruleFileName is how errors name a rule file: its path in the context for
// a prebuilt site, its name for a generated one.
func (b *builder) ruleFileName(name string) string {
	if b.spec.Site.Build == nil {
		return path.Join(b.spec.Site.Dir, name)
	}
	return name
}

// siteRules reads and parses the staged site's _headers and _redirects.
func (b *builder) siteRules(ctx context.Context, ref client.Reference, dir string, entries []webroot.SiteEntry) (hostrules.Rules, error) {
	var rules hostrules.Rules
	var errs []error
	headers, err := b.ruleFile(ctx, ref, dir, "_headers")
	if err != nil {
		return rules, err
	}
	if headers != nil {
		name := b.ruleFileName("_headers")
		rules.Headers, err = hostrules.ParseHeaders(name, headers)
		errs = append(errs, ruleSourceError(err, name, headers))
	}
	redirects, err := b.ruleFile(ctx, ref, dir, "_redirects")
	if err != nil {
		return rules, err
	}
	if redirects != nil {
		name := b.ruleFileName("_redirects")
		rules.Redirects, err = hostrules.ParseRedirects(name, redirects)
		if err == nil {
			err = loopingRules(name, rules.Redirects, served(entries))
		}
		errs = append(errs, ruleSourceError(err, name, redirects))
	}
	return rules, errors.Join(errs...)
}

// loopingRules fails at each rule without "!" that redirects to a path of
// its own pattern where the site has nothing: with no file there to shadow
// it, the redirect would repeat until the browser gives up.
func loopingRules(file string, rules []hostrules.Redirect, served func(string) bool) error {
	var errs []error
	for _, r := range rules {
		if target, loops := r.LoopsWithout(); loops && !served(target) {
			errs = append(errs, &hostrules.Error{File: file, Line: r.Line, Col: 1, Msg: fmt.Sprintf(
				"%s redirects to %s, which the site does not have, and %s matches it, so the redirect would repeat until the browser gives up; add the page or change the target", r.From.Text, target, r.From.Text)})
		}
	}
	return errors.Join(errs...)
}

// served reports whether the site has a file or folder at a request path.
func served(entries []webroot.SiteEntry) func(p string) bool {
	return func(p string) bool {
		rel := strings.Trim(path.Clean("/"+p), "/")
		for _, e := range entries {
			if rel == "" || e.Path == rel || strings.HasPrefix(e.Path, rel+"/") {
				return true
			}
		}
		return false
	}
}

// ruleFile reads a file at the top of the staged site (the folder dir of
// ref), or returns nil when there is none.
func (b *builder) ruleFile(ctx context.Context, ref client.Reference, dir, name string) ([]byte, error) {
	p := path.Join("/", dir, name)
	st, err := ref.StatFile(ctx, client.StatRequest{Path: p})
	if err != nil {
		return nil, nil // no such file
	}
	switch {
	case st.IsDir():
		return nil, fmt.Errorf("%s is a folder; the site's %s must be a file", b.ruleFileName(name), name)
	case st.Size > maxRuleFile:
		return nil, fmt.Errorf("%s is %d bytes; keep it under %d", b.ruleFileName(name), st.Size, maxRuleFile)
	}
	return readAll(ctx, ref, p)
}

// ruleSourceError attaches the rule file and the lines of its problems to
// err, so buildx shows them the way it shows the spec's.
func ruleSourceError(err error, name string, data []byte) error {
	problems := hostrules.Errors(err)
	if len(problems) == 0 {
		return err
	}
	ranges := make([]*pb.Range, 0, len(problems))
	for _, p := range problems {
		ranges = append(ranges, &pb.Range{
			Start: &pb.Position{Line: int32(p.Line), Character: int32(p.Col - 1)},
			End:   &pb.Position{Line: int32(p.Line), Character: int32(p.Col - 1)},
		})
	}
	sm := llb.NewSourceMap(nil, name, "", data)
	return errdefs.WithSource(err, &errdefs.Source{Info: &pb.SourceInfo{Filename: sm.Filename, Data: sm.Data}, Ranges: ranges})
}

// snippets reads the server.include files from the build context, in the
// order nginx includes them. A file that cannot be read is an error at its
// field of the spec; every such file is reported.
func (b *builder) snippets(ctx context.Context) ([]llbgen.Snippet, error) {
	inc := b.spec.Server.Include
	files := append(append([]string(nil), inc.Server...), inc.Location...)
	if len(files) == 0 {
		return nil, nil
	}
	field := func(i int) string {
		if i < len(inc.Server) {
			return fmt.Sprintf("server.include.server[%d]", i)
		}
		return fmt.Sprintf("server.include.location[%d]", i-len(inc.Server))
	}
	problem := func(i int, err error) error {
		return &spec.Error{File: b.entry.Filename, Pos: b.spec.Pos(field(i)), Path: field(i), Msg: err.Error(), Err: err}
	}
	ref, err := b.localFiles(ctx, dockerui.DefaultLocalNameContext, "layercake-snippets", "nginx snippets", llb.FollowPaths(files), b.at("server.include"))
	if err != nil {
		// A link to an absolute path out of the context fails the
		// transfer itself, with a bare "lstat nginx/extra.conf": name
		// the field it comes from.
		for i, f := range files {
			if strings.Contains(err.Error(), path.Clean(f)) {
				return nil, b.src.withPositions(problem(i, fmt.Errorf("%q cannot be sent from the build context (%v); it must be a file inside the context that .dockerignore does not leave out: copy the file into the context, or link to a file inside it with a relative link", path.Clean(f), err)))
			}
		}
		return nil, err
	}
	var out []llbgen.Snippet
	var errs []error
	seen := map[string]bool{}
	for i, f := range files {
		p := path.Clean(f)
		if seen[p] {
			continue
		}
		seen[p] = true
		data, err := readSnippet(ctx, ref, p)
		if err != nil {
			errs = append(errs, problem(i, err))
			continue
		}
		out = append(out, llbgen.Snippet{Path: p, Data: data})
	}
	if len(errs) > 0 {
		return nil, b.src.withPositions(errors.Join(errs...))
	}
	return out, nil
}

// checkConfig solves the image's `nginx -t` and turns a failure into an
// error that names the generated config's problem; one in a server.include
// snippet comes with the snippet's lines, as buildx shows spec errors.
func (b *builder) checkConfig(ctx context.Context, out *llbgen.Output) error {
	ref, err := b.solve(ctx, out.Check, true)
	if err != nil {
		if failedDownload(ctx, out.Check, err) { // its graph holds the packages too
			return b.downloadHint(ctx, out.Check, err)
		}
		return fmt.Errorf("running nginx -t on the generated config: %w", err)
	}
	data, err := readAll(ctx, ref, llbgen.CheckResult)
	if err != nil {
		return fmt.Errorf("reading the result of nginx -t: %w", err)
	}
	first, log, _ := strings.Cut(string(data), "\n")
	if first == "exit 0" {
		return nil
	}
	err = fmt.Errorf("the generated nginx.conf does not pass nginx -t (%s):\n%s", first, strings.TrimRight(log, "\n"))
	locs := snippetLines(log)
	if len(locs) == 0 {
		return err
	}
	snippets, serr := b.snippets(ctx)
	if serr != nil {
		return err
	}
	for _, s := range snippets {
		var ranges []*pb.Range
		for _, l := range locs {
			if l.path == s.Path {
				ranges = append(ranges, &pb.Range{Start: &pb.Position{Line: int32(l.line)}, End: &pb.Position{Line: int32(l.line)}})
			}
		}
		if len(ranges) > 0 {
			err = errdefs.WithSource(err, &errdefs.Source{Info: &pb.SourceInfo{Filename: s.Path, Data: s.Data}, Ranges: ranges})
		}
	}
	return err
}

// snippetLine is a place in a snippet that nginx -t named.
type snippetLine struct {
	path string
	line int
}

// snippetLines reads the "PATH:LINE: message" lines that `layercake
// nginx-test` writes for messages about snippets.
func snippetLines(log string) []snippetLine {
	var out []snippetLine
	for _, l := range strings.Split(log, "\n") {
		m := snippetLineRE.FindStringSubmatch(l)
		if m == nil {
			continue
		}
		n, err := strconv.Atoi(m[2])
		if err == nil && n > 0 {
			out = append(out, snippetLine{m[1], n})
		}
	}
	return out
}

var snippetLineRE = regexp.MustCompile(`^(\S+):(\d+): `)
