package hostrules

import (
	"strconv"
	"strings"
	"testing"
)

func TestParseRedirects(t *testing.T) {
	for _, tt := range []struct {
		name, src string
		want      []string // Redirect.String() of each rule
	}{
		{"plain, default 301", "/old /new\n", []string{"/old /new 301"}},
		{"comments and blank lines keep line numbers", "# moved\n\n  /a   /b   302\n", []string{"/a /b 302"}},
		{"every status", "/a /x 301\n/b /x 302\n/c /x 303\n/d /x 307\n/e /x 308\n/f /x 200\n", []string{"/a /x 301", "/b /x 302", "/c /x 303", "/d /x 307", "/e /x 308", "/f /x 200"}},
		{"force", "/a /b 301!\n/app/* /index.html 200!\n", []string{"/a /b 301!", "/app/* /index.html 200!"}},
		{"splat", "/news/* /blog/:splat\n", []string{"/news/* /blog/:splat 301"}},
		{"placeholders", "/posts/:year/:slug /blog/:year/:slug 308\n", []string{"/posts/:year/:slug /blog/:year/:slug 308"}},
		{"absolute target", "/docs/* https://docs.example.org/:splat 302\n", []string{"/docs/* https://docs.example.org/:splat 302"}},
		{"target with query and fragment", "/a /b?x=1#top\n", []string{"/a /b?x=1#top 301"}},
		{"CRLF and tabs", "/a\t/b\t302\r\n", []string{"/a /b 302"}},
		{"no trailing newline", "/a /b", []string{"/a /b 301"}},
		{"unicode path", "/café /cafe\n", []string{"/café /cafe 301"}},
		{"suffix after the splat", "/*.txt /text/:splat.html\n/a/*/b /c\n", []string{"/*.txt /text/:splat.html 301", "/a/*/b /c 301"}},
		// a chain that ends is no loop: /go/go/x goes to /go/x, then /x
		{"shrinking target", "/go/* /:splat 301\n/:a/:b /:b 302!\n", []string{"/go/* /:splat 301", "/:a/:b /:b 302!"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rs, err := ParseRedirects("_redirects", []byte(tt.src))
			if err != nil {
				t.Fatalf("ParseRedirects(%q) error = %v", tt.src, err)
			}
			var got []string
			for _, r := range rs {
				got = append(got, r.String())
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("ParseRedirects(%q) = %q, want %q", tt.src, got, tt.want)
			}
		})
	}
}

func TestParseRedirectsLines(t *testing.T) {
	rs, err := ParseRedirects("_redirects", []byte("# a\n\n/a /b\n\n/c /d\n"))
	if err != nil || len(rs) != 2 || rs[0].Line != 3 || rs[1].Line != 5 {
		t.Errorf("ParseRedirects lines = %+v, %v; want rules at lines 3 and 5", rs, err)
	}
}

func TestParseRedirectsErrors(t *testing.T) {
	for _, tt := range []struct {
		name, src, want string
	}{
		{"no target", "/a\n", `_redirects:1:3: a rule needs a target; write FROM TO [STATUS], such as /old /new 301`},
		{"relative from", "old /new\n", `_redirects:1:1: "old" is not a path; write one starting with "/", such as /blog/*`},
		{"host in from", "  https://a.example/x /y\n", `_redirects:1:3: "https://a.example/x" names a host; layercake serves one site, so write the path alone, such as /blog/*`},
		{"relative target", "/a new\n", `_redirects:1:4: "new" is not a target; write a path starting with "/" or an http(s) URL`},
		{"bad status", "/a /b 3O1\n", `_redirects:1:7: "3O1" is not a status; use 301, 302, 303, 307, 308 (redirects) or 200 (rewrite), with "!" to apply it even where a file exists`},
		{"unknown status", "/a /b 305\n", `_redirects:1:7: 305 is not a redirect status; use 301, 302, 303, 307, 308 or 200 (rewrite)`},
		{"scheme-relative target", "/a //evil.example/x\n", `_redirects:1:4: "//evil.example/x" starts with "//", which browsers read as another host; write https://HOST/… to send visitors to another site, or a path with a single leading "/"`},
		{"backslash target", "/a /\\evil.example\n", `_redirects:1:4: "/\\evil.example" starts with "/\\", which browsers read as another host; write https://HOST/… to send visitors to another site, or a path with a single leading "/"`},
		{"forced rule to itself", "/* /index.html 301!\n", `_redirects:1:4: /index.html can send a visitor back to a path /* matches, so the redirect can repeat until the browser gives up; use a target the pattern does not match`},
		{"splat into itself", "/blog/* /blog/x/:splat 301\n", `_redirects:1:9: /blog/x/:splat can send a visitor back to a path /blog/* matches, so the redirect can repeat until the browser gives up; use a target the pattern does not match`},
		{"placeholder into itself", "/:slug /:slug/ 302\n", `_redirects:1:8: /:slug/ can send a visitor back to a path /:slug matches, so the redirect can repeat until the browser gives up; use a target the pattern does not match`},
		{"swapping placeholders", "/a/:x/:y /a/:y/:x 301!\n", `_redirects:1:10: /a/:y/:x can send a visitor back to a path /a/:x/:y matches, so the redirect can repeat until the browser gives up; use a target the pattern does not match`},
		{"404 rule", "/a /b 404\n", `_redirects:1:7: status 404 rules are not supported; remove the files from the site instead, or redirect with 301`},
		{"proxy", "/api/* https://api.example/:splat 200\n", `_redirects:1:35: 200 with an absolute URL would proxy to another host, which layercake does not do; redirect with 301 or 302 instead`},
		{"conditions", "/a /b 302 Country=us\n", `_redirects:1:11: "Country=us": conditions (Country=, Language=, Role=, Cookie=) and options are not supported; remove it, or serve such rules from a proxy in front`},
		{"query matching", "/store id=:id /blog/:id 301\n", `_redirects:1:8: matching query parameters (id=:id) is not supported; match the path alone`},
		{"two splats", "/a/*/b/* /c\n", `_redirects:1:4: only one "*" per pattern; it matches any run of characters, "/" included, such as /blog/* or /*.txt`},
		// one error per problem: the target's :splat is not also reported
		{"bad pattern, splat target", "/a/*/*.txt /x/:splat\n", `_redirects:1:4: only one "*" per pattern; it matches any run of characters, "/" included, such as /blog/* or /*.txt`},
		{"bad placeholder", "/a/:1x /c\n", `_redirects:1:4: ":1x" is not a placeholder; use ":" and a name of letters, digits and "_", such as :slug, as a whole segment`},
		{"unmatched placeholder", "/a/:id /b/:slug\n", `_redirects:1:11: :slug is not matched by /a/:id; use :id`},
		{"splat without star", "/a /b/:splat\n", `_redirects:1:7: :splat is not matched by /a; use a placeholder such as :slug or "*" in the path first`},
		{"quote in path", `/a"b /c` + "\n", `_redirects:1:3: '"' is not allowed in a path`},
		{"dollar in target", "/a /b$x\n", `_redirects:1:6: '$' is not allowed in a target`},
		{"percent in path", "/a%20b /c\n", `_redirects:1:3: percent-encoded paths are not supported; write the character itself`},
		{"column counts runes", "/café\"x /c\n", `_redirects:1:6: '"' is not allowed in a path`},
		{"every error, in order", "/a\n# fine\n/b /c 999\n", "_redirects:1:3: a rule needs a target; write FROM TO [STATUS], such as /old /new 301\n" +
			"_redirects:3:7: 999 is not a redirect status; use 301, 302, 303, 307, 308 or 200 (rewrite)"},
		{"long line", "/" + strings.Repeat("a", MaxLineLength) + " /b\n", `_redirects:1:1001: line is 1004 characters long; keep rules under 1000`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseRedirects("_redirects", []byte(tt.src))
			if got := errText(err); got != tt.want {
				t.Errorf("ParseRedirects(%q) error =\n%s\nwant\n%s", tt.src, got, tt.want)
			}
		})
	}
}

func TestRedirectLimits(t *testing.T) {
	var b strings.Builder
	for i := range MaxDynamicRedirects + 1 {
		b.WriteString("/d" + strings.Repeat("x", i%7) + "/" + itoa(i) + "/* /n/:splat\n")
	}
	_, err := ParseRedirects("_redirects", []byte(b.String()))
	if want := "_redirects:101:1: more than 100 rules with placeholders"; !strings.HasPrefix(errText(err), want) {
		t.Errorf("%d dynamic rules: error = %v, want %q", MaxDynamicRedirects+1, err, want)
	}
	b.Reset()
	for i := range MaxStaticRedirects {
		b.WriteString("/s/" + itoa(i) + " /n\n")
	}
	if _, err := ParseRedirects("_redirects", []byte(b.String())); err != nil {
		t.Errorf("%d static rules: error = %v, want nil", MaxStaticRedirects, err)
	}
	b.WriteString("/one/more /n\n")
	if _, err := ParseRedirects("_redirects", []byte(b.String())); !strings.Contains(errText(err), ":2001:1: more than 2000 rules with plain paths") {
		t.Errorf("%d static rules: error = %v, want the limit at line 2001", MaxStaticRedirects+1, err)
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

func FuzzParseRedirects(f *testing.F) {
	for _, s := range []string{"/a /b\n", "/news/* /blog/:splat 302!\n", "/:a/:b /x/:b/:a 200\n", "# c\n/a\n", "/a /b 301 Country=us\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		rs, err := ParseRedirects("_redirects", data)
		for _, e := range Errors(err) {
			if e.Line < 1 || e.Col < 1 {
				t.Fatalf("error without a position: %v", e)
			}
		}
		if err != nil {
			return
		}
		for _, r := range rs {
			var b strings.Builder // the parts, joined, give the target back
			for _, p := range r.TargetParts() {
				if p.Capture > 0 {
					b.WriteString(":" + r.From.Names[p.Capture-1])
				} else {
					b.WriteString(p.Text)
				}
			}
			if b.String() != r.To {
				t.Fatalf("TargetParts of %q join to %q", r.To, b.String())
			}
		}
	})
}
