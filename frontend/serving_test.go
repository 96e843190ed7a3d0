package frontend

import (
	"errors"
	"strings"
	"testing"

	"github.com/layercake-build/layercake/internal/hostrules"
	"github.com/layercake-build/layercake/llbgen"
	"github.com/layercake-build/layercake/nginxconf"
	"github.com/moby/buildkit/solver/errdefs"
	"github.com/moby/buildkit/solver/pb"
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
				if mk := a.GetMkfile(); mk != nil && mk.Path == nginxconf.ConfigPath {
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

// A rule without "!" whose target its own pattern matches loops only when
// the site has nothing at the target to shadow it.
func TestLoopingRules(t *testing.T) {
	rules, err := hostrules.ParseRedirects("_redirects", []byte("/* /index.html 301\n/docs/* /docs/ 302\n/a /b\n"))
	if err != nil {
		t.Fatal(err)
	}
	site := served([]llbgen.SiteEntry{{Path: "docs/intro.html", Size: 3}})
	err = loopingRules("_redirects", rules, site)
	want := "_redirects:1:1: /* redirects to /index.html, which the site does not have, and /* matches it, so the redirect would repeat until the browser gives up; add the page or change the target"
	if err == nil || err.Error() != want {
		t.Errorf("loopingRules() = %v, want %s", err, want)
	}
	if err := loopingRules("_redirects", rules, served([]llbgen.SiteEntry{{Path: "index.html"}, {Path: "docs/intro.html"}})); err != nil {
		t.Errorf("loopingRules() with the targets served = %v, want nil", err)
	}
}
