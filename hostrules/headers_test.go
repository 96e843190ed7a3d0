package hostrules

import (
	"fmt"
	"strings"
	"testing"
)

func TestParseHeaders(t *testing.T) {
	src := `# security for everything
/*
  X-Frame-Options: DENY
  Content-Security-Policy: default-src 'self'

/feed.xml
	Access-Control-Allow-Origin: *
  Link: </style.css>; rel=preload
  Link: </app.js>; rel=preload
/blog/:slug
  X-Robots-Tag: noindex
`
	rules, err := ParseHeaders("_headers", []byte(src))
	if err != nil {
		t.Fatalf("ParseHeaders() error = %v", err)
	}
	var got []string
	for _, r := range rules {
		for _, h := range r.Headers {
			got = append(got, fmt.Sprintf("%d %s %s=%s", r.Line, r.Path.Text, h.Name, h.Value))
		}
	}
	want := []string{
		"2 /* X-Frame-Options=DENY",
		"2 /* Content-Security-Policy=default-src 'self'",
		"6 /feed.xml Access-Control-Allow-Origin=*",
		"6 /feed.xml Link=</style.css>; rel=preload, </app.js>; rel=preload", // repeated names join
		"10 /blog/:slug X-Robots-Tag=noindex",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("ParseHeaders() =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestParseHeadersErrors(t *testing.T) {
	for _, tt := range []struct {
		name, src, want string
	}{
		{"header before a path", "  X-A: b\n", `_headers:1:1: a header before any path; put a path pattern such as /* on the line above`},
		{"not a header", "/*\n  X-A b\n", `_headers:2:3: "X-A b" is not a header; write "Name: value"`},
		{"detach", "/*\n  ! X-A\n", `_headers:2:3: removing a header with "!" is not supported; narrow the pattern of the rule that adds it`},
		{"bad name", "/*\n  X A: b\n", `_headers:2:3: "X A" is not a header name; use letters, digits and "-", such as X-Frame-Options`},
		{"managed header", "/*\n  Content-Length: 3\n", `_headers:2:3: Content-Length is set by nginx for each response from the file it serves; remove it`},
		{"dollar in value", "/*\n  X-Price: $3\n", `_headers:2:12: the value of X-Price holds "$", which nginx would read as a variable; remove it`},
		{"empty value", "/*\n  X-A:\n", `_headers:2:7: the value of X-A is empty; give one, or remove the header`},
		{"host pattern", "https://example.org/*\n  X-A: b\n", `_headers:1:1: "https://example.org/*" names a host; layercake serves one site, so write the path alone, such as /blog/*`},
		{"two words on a path line", "/a /b\n", `_headers:1:4: a path line holds only the pattern; put each header on its own indented line below it`},
		{"quote in a name", "/*\n  X-A': b\n", `_headers:2:3: "X-A'" is not a header name; use letters, digits and "-", such as X-Frame-Options`},
		{"hash starting a name", "/*\n  #x: b\n", ``},
		{"name starting with a quote", "/*\n  'X: b\n", `_headers:2:3: "'X" is not a header name; use letters, digits and "-", such as X-Frame-Options`},
		{"fixed ETag", "/*\n  ETag: \"fixed\"\n", `_headers:2:3: ETag is set by nginx for each response from the file it serves; remove it`},
		{"Vary", "/*\n  vary: Cookie\n", `_headers:2:3: vary is set by nginx for each response from the file it serves; remove it`},
		{"Last-Modified", "/*\n  Last-Modified: x\n", `_headers:2:3: Last-Modified is set by nginx for each response from the file it serves; remove it`},
		{"too many headers in a rule", "/*\n" + strings.Repeat("  X-A: b\n", 1) + func() string {
			var b strings.Builder
			for i := range MaxHeadersPerRule + 2 {
				fmt.Fprintf(&b, "  X-%d: v\n", i)
			}
			return b.String()
		}(), `_headers:22:3: more than 20 headers for /*; put headers every page gets in the spec's server.headers`},
		{"too many header bytes on one response", "/a/*\n  X-A: " + strings.Repeat("a", 1900) + "\n/*\n" + func() string {
			var b strings.Builder
			for i := range 4 {
				fmt.Fprintf(&b, "  X-B%d: %s\n", i, strings.Repeat("b", 1900))
			}
			return b.String()
		}() + "/c/*\n  X-C: " + strings.Repeat("c", 1900) + "\n",
			`_headers:3:1: a response for a path /* matches can carry 11446 bytes of headers from this and the rules that overlap it; keep it under 8192 (browsers and proxies refuse large headers)`},
		{"too many rules", strings.Repeat("/a\n  X-A: b\n", MaxHeaderRules+1), `_headers:201:1: more than 100 rules; merge rules with "*" patterns`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseHeaders("_headers", []byte(tt.src))
			if got := errText(err); got != tt.want {
				t.Errorf("ParseHeaders(%q) error =\n%s\nwant\n%s", tt.src, got, tt.want)
			}
		})
	}
}

func FuzzParseHeaders(f *testing.F) {
	for _, s := range []string{"/*\n  X-A: b\n", "/a/:b\n  Link: <x>\n  Link: <y>\n", "  X: y\n", "/*\n  ! X\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		_, err := ParseHeaders("_headers", data)
		for _, e := range Errors(err) {
			if e.Line < 1 || e.Col < 1 {
				t.Fatalf("error without a position: %v", e)
			}
		}
	})
}
