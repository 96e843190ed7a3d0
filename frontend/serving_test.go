package frontend

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/layercake-build/layercake/hostrules"
	"github.com/layercake-build/layercake/nginxconf"
	"github.com/layercake-build/layercake/webroot"
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
				if mk := a.GetMkfile(); mk != nil && mk.Path == nginxconf.ConfigPath {
					conf = string(mk.Data)
				}
			}
		}
	}
	for _, want := range []string{"set $layercake_h0_0 \"DENY\";", `add_header "X-Frame-Options" $layercake_h0_0 always;`, `"/old" "0 302a /new ";`, `return 302 "$1$is_args$args$2";`, `include "/etc/layercake/context/nginx/extra.conf";`} {
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
	site := served([]webroot.SiteEntry{{Path: "docs/intro.html", Size: 3}})
	err = loopingRules("_redirects", rules, site)
	want := "_redirects:1:1: /* redirects to /index.html, which the site does not have, and /* matches it, so the redirect would repeat until the browser gives up; add the page or change the target"
	if err == nil || err.Error() != want {
		t.Errorf("loopingRules() = %v, want %s", err, want)
	}
	if err := loopingRules("_redirects", rules, served([]webroot.SiteEntry{{Path: "index.html"}, {Path: "docs/intro.html"}})); err != nil {
		t.Errorf("loopingRules() with the targets served = %v, want nil", err)
	}
}

// A snippet that cannot be read is an error at its field of the spec that
// names it and says why, with the spec's line as source.
func TestSnippetFileProblems(t *testing.T) {
	const at = `Dockerfile:7:14: server.include.server[0]: `
	for _, tc := range []struct {
		name    string
		context tree // more context files
		want    string
	}{{
		name:    "link climbing out",
		context: tree{"nginx/extra.conf": symlink("../../etc/nginx/extra.conf")},
		want:    at + `"nginx/extra.conf" is a link to "../../etc/nginx/extra.conf", which points outside the build context; BuildKit sends only the context, so copy the file into it (or link to a file inside it, with a relative link)`,
	}, {
		name:    "absolute link",
		context: tree{"nginx/extra.conf": symlink("/etc/nginx/snippets/extra.conf")},
		want:    at + `"nginx/extra.conf" is a link to "/etc/nginx/snippets/extra.conf", which points outside the build context; BuildKit sends only the context, so copy the file into it (or link to a file inside it, with a relative link)`,
	}, {
		name:    "folder that is a link out",
		context: tree{"nginx": symlink("/etc/nginx")},
		want:    at + `"nginx/extra.conf" leads through "nginx", a link to "/etc/nginx", which points outside the build context; BuildKit sends only the context, so copy the file into it (or link to a file inside it, with a relative link)`,
	}, {
		name:    "link to a missing file",
		context: tree{"nginx/extra.conf": symlink("shared.conf")},
		want:    at + `"nginx/extra.conf" is a link to "shared.conf", which is not in the build context; point it at a file that is`,
	}, {
		name:    "folder",
		context: tree{"nginx/extra.conf/cors.conf": file("add_header X-A b;\n")},
		want:    at + `"nginx/extra.conf" is a folder; list each snippet file in it instead, such as "nginx/extra.conf/cors.conf"`,
	}, {
		name: "missing",
		want: at + `"nginx/extra.conf" is not in the build context; create it, or fix the path: it is relative to the build context (the folder given to docker build), not to the spec`,
	}, {
		name:    "missing folder",
		context: tree{"other.conf": file("")},
		want:    at + `"nginx/extra.conf" is not in the build context; create it, or fix the path: it is relative to the build context (the folder given to docker build), not to the spec`,
	}} {
		t.Run(tc.name, func(t *testing.T) {
			g := servingFake(t, "", "")
			delete(g.locals["context"], "nginx/extra.conf")
			for p, e := range tc.context {
				g.locals["context"][p] = e
			}
			_, err := run(t, g)
			if err == nil || err.Error() != tc.want {
				t.Fatalf("Build() error =\n%v\nwant\n%s", err, tc.want)
			}
			var se *errdefs.SourceError
			if !errors.As(err, &se) || se.Info.Filename != "Dockerfile" || len(se.Ranges) != 1 || se.Ranges[0].Start.Line != 7 {
				t.Errorf("Build() error source = %+v, want the spec at line 7", se)
			}
			if g.solvedNamed("nginx -t") {
				t.Errorf("nginx -t ran despite the unreadable snippet: %q", g.solved)
			}
		})
	}
}

// A link to a file inside the context is read through; every unreadable
// snippet is reported at once.
func TestSnippetLinks(t *testing.T) {
	g := servingFake(t, "", "")
	g.locals["context"]["nginx/extra.conf"] = symlink("../shared/extra.conf")
	g.locals["context"]["shared/extra.conf"] = file("# shared\n")
	ref := &fakeRef{t: g.locals["context"]}
	if data, err := readSnippet(t.Context(), ref, "nginx/extra.conf"); err != nil || string(data) != "# shared\n" {
		t.Errorf("readSnippet(link inside) = %q, %v; want the target's bytes", data, err)
	}
	g.locals["dockerfile"]["Dockerfile"] = file(strings.Replace(staticSpec, "site:\n", "server:\n  include:\n    server: [a.conf]\n    location: [nginx/extra.conf, b.conf]\nsite:\n", 1))
	_, err := run(t, g)
	for _, want := range []string{"Dockerfile:7:14: server.include.server[0]: \"a.conf\" is not in the build context", "Dockerfile:8:34: server.include.location[1]: \"b.conf\" is not in the build context"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Build() error = %v, want %q", err, want)
		}
	}
}

// headersFake builds a site with server.headers and a _headers rule, and a
// server and a location snippet.
func headersFake(t *testing.T, server, location string) *fakeGateway {
	g := servingFake(t, "", server)
	g.locals["dockerfile"]["Dockerfile"] = file(strings.Replace(staticSpec, "site:\n", "server:\n  headers: {X-Content-Type-Options: nosniff}\n  include:\n    server: [nginx/extra.conf]\n    location: [nginx/cors.conf]\nsite:\n", 1))
	g.locals["context"]["nginx/cors.conf"] = file(location)
	return g
}

// A snippet block with its own add_header drops, in nginx, every header it
// would inherit; the build warns at the snippet's lines, naming them.
func TestSnippetHeadersWarn(t *testing.T) {
	const lost = "Cache-Control (the cache policy), X-Content-Type-Options (server.headers) and X-Frame-Options (_headers)"
	for _, tc := range []struct {
		name, server, location string
		want                   []warning // msg is a part of the message
	}{{
		name:     "location snippet",
		location: "# CORS\nadd_header Access-Control-Allow-Origin *;\nadd_header Vary Origin;\n",
		want:     []warning{{msg: "nginx/cors.conf:2: add_header in a server.include.location snippet makes the site's location / drop every add_header it would inherit (nginx inherits add_header only into a block that sets none), so the site's responses lose " + lost + "; repeat those headers in the snippet, or move the add_header into a location block of a server.include.server snippet, so that only the paths it matches lose them", lines: []int32{2, 3}, file: "nginx/cors.conf"}},
	}, {
		// The server level already adds headers: one more adds to them.
		name:   "server snippet's own level",
		server: "add_header X-Snippet yes;\n",
	}, {
		name:   "nested location in a server snippet",
		server: "location = /feed.xml {\n    add_header Access-Control-Allow-Origin *;\n}\n",
		want:   []warning{{msg: `nginx/extra.conf:2: add_header in "location = /feed.xml" makes that block drop every add_header it would inherit (nginx inherits add_header only into a block that sets none), so its responses lose ` + lost + "; repeat those headers in the block", lines: []int32{2}, file: "nginx/extra.conf"}},
	}, {
		name:     "if in a location snippet",
		location: "if ($arg_embed) {\n    add_header X-Frame-Options SAMEORIGIN;\n}\n",
		want:     []warning{{msg: `nginx/cors.conf:2: add_header in "if ($arg_embed)" makes that block drop`, lines: []int32{2}, file: "nginx/cors.conf"}},
	}, {
		name:     "comments and strings",
		server:   "# location /a { add_header A b; }\n",
		location: "return 200 \"add_header A b;\";\n",
	}} {
		t.Run(tc.name, func(t *testing.T) {
			g := headersFake(t, tc.server, tc.location)
			if _, err := run(t, g); err != nil {
				t.Fatalf("Build() error = %v", err)
			}
			got := g.warned("add_header")
			if len(got) != len(tc.want) {
				t.Fatalf("warnings = %+v, want %d", got, len(tc.want))
			}
			for i, w := range tc.want {
				if !strings.Contains(got[i].msg, w.msg) || got[i].file != w.file || !slices.Equal(got[i].lines, w.lines) {
					t.Errorf("warning %d = %+v, want %+v", i, got[i], w)
				}
			}
		})
	}
}

// A build of two platforms warns once.
func TestSnippetHeadersWarnOnce(t *testing.T) {
	g := headersFake(t, "", "add_header A b;\n")
	g.opts["platform"] = "linux/amd64,linux/arm64"
	g.locals["dockerfile"]["layercake.lock"] = file(lockBytes(t, testLock(t, "amd64", "arm64")))
	if _, err := run(t, g); err != nil {
		t.Fatalf("Build() error = %v", err)
	}
	if got := g.warned("add_header"); len(got) != 1 {
		t.Errorf("warnings = %+v, want one", got)
	}
}

// A snippet the gateway cannot send or read fails with the spec field that
// names it, in the message BuildKit sends back: a link to an absolute path
// out of the context failed the transfer itself with a bare "lstat
// nginx/extra.conf".
func TestSnippetGatewayErrorNamed(t *testing.T) {
	lstat := grpcerrors.FromGRPC(status.Error(codes.Unknown, "lstat nginx/extra.conf: no such file or directory")) // as the gateway client returns it
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
			for _, want := range []string{`server.include.server[0]: "nginx/extra.conf" cannot be`, "lstat nginx/extra.conf"} {
				if !strings.Contains(sent, want) {
					t.Errorf("BuildKit would send %q, want %q in it", sent, want)
				}
			}
		})
	}
}
