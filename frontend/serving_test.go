package frontend

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/layercake-build/layercake/internal/hostrules"
	"github.com/layercake-build/layercake/llbgen"
	"github.com/moby/buildkit/solver/errdefs"
	"github.com/moby/buildkit/solver/pb"
	"github.com/moby/buildkit/util/grpcerrors"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// A rule file's problems reach buildx as source info: the file's bytes and
// one range per problem, at its line.
func TestRuleSourceError(t *testing.T) {
	data := []byte("# c\n/a /b 999\n/c\n")
	_, err := hostrules.ParseRedirects("public/_redirects", data)
	err = ruleSourceError(err, "public/_redirects", data)
	var src *errdefs.SourceError
	if !errors.As(err, &src) {
		t.Fatalf("ruleSourceError() = %v, want source info attached", err)
	}
	if src.Info.Filename != "public/_redirects" || string(src.Info.Data) != string(data) {
		t.Errorf("source = %q with %q, want the rule file and its bytes", src.Info.Filename, src.Info.Data)
	}
	var lines []int32
	for _, r := range src.Ranges {
		lines = append(lines, r.Start.Line)
	}
	if len(lines) != 2 || lines[0] != 2 || lines[1] != 3 {
		t.Errorf("ranges at lines %v, want [2 3]", lines)
	}
	if got := ruleSourceError(nil, "x", nil); got != nil {
		t.Errorf("ruleSourceError(nil) = %v, want nil", got)
	}
}

func TestSnippetLines(t *testing.T) {
	log := `nginx/extra.conf:3: unknown directive "add_heder"
2026/12/03 09:10:46 [emerg] 11#11: unknown directive "add_heder" in nginx/extra.conf:3 (build context)
nginx: configuration file /etc/layercake/nginx.conf test failed
`
	got := snippetLines(log)
	if len(got) != 1 || got[0] != (snippetLine{"nginx/extra.conf", 3}) {
		t.Errorf("snippetLines() = %v, want nginx/extra.conf:3 alone", got)
	}
}

// servingFake is staticFake with a site holding rule files and a spec with a
// snippet.
func servingFake(t *testing.T, redirects string, snippet string) *fakeGateway {
	g := staticFake(t, nil)
	g.locals["dockerfile"]["Dockerfile"] = file(strings.Replace(staticSpec, "site:\n", "server:\n  include:\n    server: [nginx/extra.conf]\nsite:\n", 1))
	g.locals["context"]["nginx/extra.conf"] = file(snippet)
	site := tree{
		"index.html": file("<h1>hi</h1>"),
		"_headers":   file("/*\n  X-Frame-Options: DENY\n"),
		"_redirects": file(redirects),
	}
	g.serveSite(site)
	return g
}

// The rule files of the staged site become nginx config.
func TestRulesReachTheConfig(t *testing.T) {
	g := servingFake(t, "/old /new 302\n", "# nothing\n")
	if _, err := run(t, g); err != nil {
		t.Fatalf("Build() error = %v", err)
	}
	var conf string
	for _, def := range g.defs {
		for _, raw := range def.Def {
			var op pb.Op
			if op.UnmarshalVT(raw) != nil || op.GetFile() == nil {
				continue
			}
			for _, a := range op.GetFile().Actions {
				if mk := a.GetMkfile(); mk != nil && mk.Path == llbgen.ConfigPath {
					conf = string(mk.Data)
				}
			}
		}
	}
	for _, want := range []string{`"~^/(.*)$" "DENY";`, "add_header X-Frame-Options $layercake_h0_0 always;", `return 302 "/new$is_args$args";`, "include /etc/layercake/context/nginx/extra.conf;"} {
		if !strings.Contains(conf, want) {
			t.Errorf("nginx.conf lacks %q:\n%s", want, conf)
		}
	}
}

// A bad _redirects fails the build with its lines as source, before any
// image step runs.
func TestRedirectsErrorHasSource(t *testing.T) {
	g := servingFake(t, "/a /b 999\n", "# nothing\n")
	_, err := run(t, g)
	var se *errdefs.SourceError
	if !errors.As(err, &se) || se.Info.Filename != "public/_redirects" || !strings.Contains(err.Error(), "public/_redirects:1:7: 999 is not a redirect status") {
		t.Fatalf("Build() error = %v, want public/_redirects:1:7 with source", err)
	}
	if g.solvedNamed("merge") || g.solvedNamed("nginx -t") {
		t.Errorf("the image was built despite the bad _redirects: %q", g.solved)
	}
}

// nginx -t's error in a snippet comes back with the snippet's line.
func TestSnippetErrorHasSource(t *testing.T) {
	g := servingFake(t, "", "# extra\nlocation = /x {\n    add_heder X-A b;\n}\n")
	g.named["nginx -t"] = func() (tree, error) {
		return tree{"nginx-t.txt": file("exit 1\nnginx/extra.conf:3: unknown directive \"add_heder\"\nnginx: configuration file /etc/layercake/nginx.conf test failed\n")}, nil
	}
	_, err := run(t, g)
	var se *errdefs.SourceError
	if !errors.As(err, &se) || se.Info.Filename != "nginx/extra.conf" || len(se.Ranges) != 1 || se.Ranges[0].Start.Line != 3 {
		t.Fatalf("Build() error = %v (source %+v), want nginx/extra.conf line 3 attached", err, se)
	}
	if !strings.Contains(string(se.Info.Data), "add_heder") {
		t.Errorf("source data = %q, want the snippet", se.Info.Data)
	}
}

// A snippet the context transfer cannot read (a link out of the context:
// BuildKit reports a bare "lstat nginx/extra.conf", as a gRPC status) fails
// with the spec field that names it, its line, and what to do, in the
// message BuildKit sends back.
func TestSnippetTransferErrorNamed(t *testing.T) {
	lstat := status.Error(codes.Unknown, "lstat nginx/extra.conf: no such file or directory")
	for name, fail := range map[string]func(g *fakeGateway){
		"transfer": func(g *fakeGateway) {
			g.named["load nginx snippets"] = func() (tree, error) { return nil, lstat }
		},
		"read": func(g *fakeGateway) { g.broken = map[string]error{"nginx/extra.conf": lstat} },
	} {
		t.Run(name, func(t *testing.T) {
			g := servingFake(t, "", "# extra\n")
			fail(g)
			_, err := run(t, g)
			var se *errdefs.SourceError
			if err == nil || !errors.As(err, &se) || se.Ranges[0].Start.Line == 0 {
				t.Fatalf("Build() error = %v (source %+v), want the spec line", err, se)
			}
			sent := status.Convert(grpcerrors.ToGRPC(context.Background(), err)).Message()
			for _, want := range []string{"server.include.server[0]: nginx/extra.conf cannot be read from the build context", "lstat nginx/extra.conf", "copy the snippet into the context"} {
				if !strings.Contains(sent, want) {
					t.Errorf("BuildKit would send %q, want %q in it", sent, want)
				}
			}
		})
	}
}
