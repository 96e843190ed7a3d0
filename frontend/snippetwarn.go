package frontend

import (
	"context"
	"fmt"
	"maps"
	"path"
	"slices"
	"strings"

	"github.com/layercake-build/layercake/hostrules"
	"github.com/layercake-build/layercake/llbgen"
	"github.com/layercake-build/layercake/nginxconf"
	"github.com/layercake-build/layercake/spec"
	"github.com/moby/buildkit/frontend/gateway/client"
	"github.com/moby/buildkit/solver/pb"
)

// maxNamedHeaders bounds the header names a warning lists per source.
const maxNamedHeaders = 4

// warnSnippetHeaders warns, at the snippet's lines, about each block of a
// server.include snippet that sets its own add_header: nginx then drops
// every add_header the block would inherit, which are the spec's
// server.headers, the _headers rules and the cache policy, all set on the
// server. A server snippet's own level adds to those and is fine; a
// location snippet's own level is the site's location /.
func (b *builder) warnSnippetHeaders(ctx context.Context, snippets []llbgen.Snippet, rules hostrules.Rules) {
	lost := inheritedHeaders(b.spec.Server, rules)
	inc := b.spec.Server.Include
	for _, s := range snippets {
		blocks, err := nginxconf.HeaderBlocks(s.Data)
		if err != nil {
			continue // nginx -t reports a snippet it cannot read
		}
		inLocation := slices.ContainsFunc(inc.Location, func(f string) bool { return path.Clean(f) == s.Path })
		for _, blk := range blocks {
			switch {
			case blk.Directive != "":
				b.warnInSnippet(ctx, s, blk.Headers, "%s:%d: add_header in %q makes that block drop every add_header it would inherit (nginx inherits add_header only into a block that sets none), so its responses lose %s; repeat those headers in the block", s.Path, blk.Headers[0], blk.Directive, lost)
			case inLocation:
				b.warnInSnippet(ctx, s, blk.Headers, "%s:%d: add_header in a server.include.location snippet makes the site's location / drop every add_header it would inherit (nginx inherits add_header only into a block that sets none), so the site's responses lose %s; repeat those headers in the snippet, or move the add_header into a location block of a server.include.server snippet, so that only the paths it matches lose them", s.Path, blk.Headers[0], lost)
			}
		}
	}
}

// warnInSnippet sends a warning that buildx shows with the snippet's lines.
func (b *builder) warnInSnippet(ctx context.Context, s llbgen.Snippet, lines []int, format string, args ...any) {
	var ranges []*pb.Range
	for _, l := range lines {
		ranges = append(ranges, lineRange(spec.Pos{Line: l}))
	}
	b.entry.Warn(ctx, fmt.Sprintf(format, args...), client.WarnOpts{SourceInfo: &pb.SourceInfo{Filename: s.Path, Data: s.Data}, Range: ranges})
}

// inheritedHeaders names the headers the generated server block adds:
// "Cache-Control (the cache policy), X-A (server.headers) and X-B (_headers)".
func inheritedHeaders(srv spec.Server, rules hostrules.Rules) string {
	parts := []string{"Cache-Control (the cache policy)"}
	if names := slices.Sorted(maps.Keys(srv.Headers)); len(names) > 0 {
		parts = append(parts, headerList(names)+" (server.headers)")
	}
	var fromRules []string
	for _, r := range rules.Headers {
		for _, h := range r.Headers {
			if !strings.EqualFold(h.Name, "Cache-Control") && !slices.Contains(fromRules, h.Name) {
				fromRules = append(fromRules, h.Name)
			}
		}
	}
	if len(fromRules) > 0 {
		parts = append(parts, headerList(fromRules)+" (_headers)")
	}
	if len(parts) == 1 {
		return parts[0]
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
}

// headerList joins names, at most maxNamedHeaders of them.
func headerList(names []string) string {
	if len(names) > maxNamedHeaders {
		return strings.Join(names[:maxNamedHeaders], ", ") + fmt.Sprintf(" and %d more", len(names)-maxNamedHeaders)
	}
	return strings.Join(names, ", ")
}
