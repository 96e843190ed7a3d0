package nginxconf_test

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/layercake-build/layercake/hostrules"
	"github.com/layercake-build/layercake/nginxconf"
	"github.com/layercake-build/layercake/testkit/nginxcorpus"
)

// FuzzRender renders random server headers, _headers, _redirects, health
// and snippet paths that validation accepts, reads the config as nginx
// does, and checks that every user string is one word where it was meant
// to go and that nothing else was added: the directives, blocks and their
// words are exactly what the inputs imply.
func FuzzRender(f *testing.F) {
	for _, c := range nginxcorpus.Seeds() {
		f.Add(c.HeaderName, c.HeaderValue, c.Headers, c.Redirects, c.Health, c.Snippet)
	}
	f.Fuzz(func(t *testing.T, name, value string, headers, redirects []byte, health, snippet string) {
		c := nginxcorpus.Case{HeaderName: name, HeaderValue: value, Headers: headers, Redirects: redirects, Health: health, Snippet: snippet}
		cfg, ok := c.Config()
		if !ok {
			return // validation refuses it
		}
		conf := nginxconf.Render(cfg)
		tree, err := nginxconf.Tokenize([]byte(conf))
		if err != nil {
			t.Fatalf("nginx would refuse the config: %v\n%s", err, conf)
		}
		ck := &checker{t: t, conf: conf}
		ck.walk(tree, "")
		ck.check(c, cfg, tree)
	})
}

// checker collects the directives of a config by name.
type checker struct {
	t     *testing.T
	conf  string
	all   map[string][]nginxconf.Directive
	fails int
}

func (ck *checker) errorf(format string, args ...any) {
	ck.t.Helper()
	ck.fails++
	if ck.fails <= 10 {
		ck.t.Errorf(format, args...)
	}
}

// allowed lists the directives each context may hold; a user string that
// escaped its word would add one that is not here, or change a count.
var allowed = map[string][]string{
	"":         {"load_module", "daemon", "worker_processes", "pid", "error_log", "events", "http"},
	"events":   {"worker_connections"},
	"http":     {"include", "types", "default_type", "access_log", "client_body_temp_path", "proxy_temp_path", "fastcgi_temp_path", "uwsgi_temp_path", "scgi_temp_path", "sendfile", "tcp_nopush", "keepalive_timeout", "server_tokens", "charset", "absolute_redirect", "disable_symlinks", "etag", "if_modified_since", "gzip_vary", "gzip_proxied", "gzip_static", "brotli_static", "map", "map_hash_max_size", "map_hash_bucket_size", "server"},
	"server":   {"listen", "root", "index", "error_page", "uninitialized_variable_warn", "if", "set", "add_header", "location", "include"},
	"location": {"try_files", "return", "access_log", "types", "default_type", "if", "include", "rewrite", "gzip_static", "brotli_static"},
	"if":       {"return", "set"},
	// The http block's types add what Debian's mime.types lacks; a site
	// location's types block is empty.
	"types": {"application/manifest+json", "text/javascript", "application/json", "application/ld+json", "text/markdown", "text/calendar", "text/vtt", "text/csv", "text/tab-separated-values", "application/yaml", "application/toml", "application/gpx+xml", "font/otf", "font/ttf", "image/jxl", "image/apng", "audio/opus", "audio/flac", "audio/wav", "audio/aac", "model/gltf-binary", "model/gltf+json"},
}

// walk checks each directive's shape in its context and indexes it.
func (ck *checker) walk(ds []nginxconf.Directive, ctx string) {
	ck.t.Helper()
	if ck.all == nil {
		ck.all = map[string][]nginxconf.Directive{}
	}
	seenMap := false
	for _, d := range ds {
		// The first map block sets the map hash sizes; nginx refuses
		// them as duplicates after it.
		seenMap = seenMap || d.Name == "map"
		if seenMap && strings.HasPrefix(d.Name, "map_hash_") {
			ck.errorf("line %d: %s after a map block: nginx refuses it as a duplicate\n%s", d.Line, d.Name, ck.conf)
		}
		if ctx == "map" {
			if d.Name == "volatile" && len(d.Args) == 0 && !d.IsBlock {
				continue // the try_files maps follow internal redirects
			}
			if len(d.Args) != 1 || d.IsBlock {
				ck.errorf("line %d: map entry %q has words %q, want one value\n%s", d.Line, d.Name, d.Args, ck.conf)
			}
			continue
		}
		if ctx == "location" && d.Name == "add_header" {
			// only the 416 location's, which stops the server's headers
			// from being added twice
			if !slices.Equal(d.Args, []string{"X-Layercake-None", ""}) {
				ck.errorf("line %d: add_header %q in a location\n%s", d.Line, d.Args, ck.conf)
			}
			continue
		}
		if !slices.Contains(allowed[ctx], d.Name) {
			ck.errorf("line %d: directive %q in %q, which the config never writes there\n%s", d.Line, d.Name, ctx, ck.conf)
		}
		ck.all[d.Name] = append(ck.all[d.Name], d)
		ck.shape(d)
		if d.IsBlock {
			ck.walk(d.Block, d.Name)
		}
	}
}

// ruleIfRE is the condition of a _headers rule's if.
var ruleIfRE = regexp.MustCompile(`^\(\$layercake_r[0-9]+\)$`)

// blocks are the directives that take a block.
var blocks = []string{"events", "http", "server", "location", "if", "types", "map"}

func (ck *checker) shape(d nginxconf.Directive) {
	ck.t.Helper()
	if d.IsBlock != slices.Contains(blocks, d.Name) {
		ck.errorf("line %d: %s has a block: %v", d.Line, d.Name, d.IsBlock)
	}
	n := len(d.Args)
	switch d.Name {
	case "add_header":
		if n < 2 || n > 3 || n == 3 && d.Args[2] != "always" {
			ck.errorf("line %d: add_header %q, want NAME VALUE [always]", d.Line, d.Args)
		}
	case "return":
		code := 0
		if n > 0 {
			code, _ = strconv.Atoi(d.Args[0])
		}
		one := code == 204 || code == 404 || code == 416
		redirect := slices.Contains([]int{301, 302, 303, 307, 308}, code)
		if !(n == 1 && one || n == 2 && redirect) {
			ck.errorf("line %d: return %q, want a redirect status and its target, or 204, 404 or 416 alone", d.Line, d.Args)
		}
	case "rewrite":
		if n != 3 || d.Args[2] != "break" {
			ck.errorf("line %d: rewrite %q, want REGEX TARGET break", d.Line, d.Args)
		}
	case "if":
		// The config's own conditions, or one the rules give.
		if slices.Equal(d.Args, []string{"($uri", "=", "/404.html)"}) || ruleIfRE.MatchString(strings.Join(d.Args, " ")) {
			break
		}
		if n != 4 || !strings.HasPrefix(d.Args[0], "($") || d.Args[1] != "~" && d.Args[1] != "=" || d.Args[3] != ")" {
			ck.errorf("line %d: if %q, want ($var ~ REGEX )", d.Line, d.Args)
		}
	case "map":
		if n != 2 {
			ck.errorf("line %d: map %q, want two variables", d.Line, d.Args)
		}
	case "location":
		if n < 1 || n > 2 {
			ck.errorf("line %d: location %q", d.Line, d.Args)
		}
	case "include", "default_type", "root":
		if n != 1 {
			ck.errorf("line %d: %s %q, want one word", d.Line, d.Name, d.Args)
		}
	case "set":
		if n != 2 {
			ck.errorf("line %d: set %q, want two words", d.Line, d.Args)
		}
	}
}

// count is how many directives named name have exactly these words.
func count(ds []nginxconf.Directive, name string, args ...string) int {
	n := 0
	for _, d := range ds {
		if d.Name == name && slices.Equal(d.Args, args) {
			n++
		}
	}
	return n
}

func (ck *checker) check(c nginxcorpus.Case, cfg nginxconf.Config, tree []nginxconf.Directive) {
	ck.t.Helper()
	if len(ck.all["http"]) != 1 || len(ck.all["server"]) != 1 {
		ck.errorf("%d http and %d server blocks, want one each\n%s", len(ck.all["http"]), len(ck.all["server"]), ck.conf)
		return
	}
	server := ck.all["server"][0].Block
	for name, value := range cfg.Headers {
		if n := count(server, "add_header", name, value, "always"); n != 1 {
			ck.errorf("server.headers %q: %q is in %d add_header directives of the server, want 1\n%s", name, value, n, ck.conf)
		}
	}
	r := cfg.Rules
	siteLocs, headerIfs := 1, 0
	for i, h := range r.Headers {
		if slices.ContainsFunc(h.Headers, func(hd hostrules.Header) bool {
			return !strings.EqualFold(hd.Name, "Cache-Control") && !strings.EqualFold(hd.Name, "Content-Type")
		}) {
			headerIfs++
		}
		for j, hd := range h.Headers {
			ck.header(server, i, j, h, hd)
			if strings.EqualFold(hd.Name, "Content-Type") {
				siteLocs++
			}
		}
	}
	ck.cacheMap(r.Headers)
	locs := ck.all["location"]
	if cfg.Health != "" {
		if n := count(locs, "location", "=", cfg.Health); n != 1 {
			ck.errorf("health %q is in %d locations, want 1\n%s", cfg.Health, n, ck.conf)
		}
	}
	if c.Snippet != "" {
		ck.includes(server, locs, c.SnippetPath(), siteLocs)
	}
	ck.redirects(r.Redirects, siteLocs)

	shadowed := slices.ContainsFunc(r.Redirects, func(rd hostrules.Redirect) bool { return !rd.Force })
	// dotfiles, the site, Range (one per site location) and 416, health, fallback
	wantLocs := 2 + 2*siteLocs + 1 + b2i(cfg.Health != "") + b2i(shadowed)
	if n := len(locs); n != wantLocs {
		ck.errorf("%d location blocks, want %d\n%s", n, wantLocs, ck.conf)
	}
	forcedIfs, forcedRewrites := ifs(r.Redirects, true)
	shadowIfs, shadowRewrites := ifs(r.Redirects, false)
	wantIfs := 1 + headerIfs + siteLocs*forcedIfs + b2i(shadowed)*(1+shadowIfs)
	if n := len(ck.all["if"]); n != wantIfs {
		ck.errorf("%d if blocks, want %d\n%s", n, wantIfs, ck.conf)
	}
	if n, want := len(ck.all["rewrite"]), siteLocs*forcedRewrites+shadowRewrites; n != want {
		ck.errorf("%d rewrite directives, want %d\n%s", n, want, ck.conf)
	}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// header checks where one _headers header went: its value as the one word
// of the one set of its variable, in the server's if for its rule, and an
// add_header of that variable; Cache-Control to the cache map;
// Content-Type to a location.
func (ck *checker) header(server []nginxconf.Directive, i, j int, h hostrules.HeaderRule, hd hostrules.Header) {
	ck.t.Helper()
	switch {
	case strings.EqualFold(hd.Name, "Cache-Control"):
		return // cacheMap
	case strings.EqualFold(hd.Name, "Content-Type"):
		site, ranges := false, false
		for _, l := range ck.all["location"] {
			if count(l.Block, "default_type", hd.Value) != 1 {
				continue
			}
			site = site || slices.Equal(l.Args, []string{"~", h.Path.Regex()})
			ranges = ranges || len(l.Args) == 1 && strings.HasPrefix(l.Args[0], nginxconf.RangeLocation+"_type")
		}
		if !site || !ranges {
			ck.errorf("_headers line %d: no location %q, or no range location, with default_type %q\n%s", h.Line, h.Path.Regex(), hd.Value, ck.conf)
		}
		return
	}
	v := fmt.Sprintf("$layercake_h%d_%d", i, j)
	sets := 0
	for _, d := range ck.all["set"] {
		if len(d.Args) > 0 && d.Args[0] == v {
			sets++
			if !slices.Equal(d.Args, []string{v, hd.Value}) {
				ck.errorf("_headers line %d: %s: set %q, want set %s %q\n%s", h.Line, hd.Name, d.Args, v, hd.Value, ck.conf)
			}
		}
	}
	if sets != 1 {
		ck.errorf("_headers line %d: %s: %d directives set %s, want 1\n%s", h.Line, hd.Name, sets, v, ck.conf)
	}
	if n := count(server, "if", fmt.Sprintf("($layercake_r%d)", i)); n != 1 {
		ck.errorf("_headers line %d: %d if ($layercake_r%d) blocks in the server, want 1\n%s", h.Line, n, i, ck.conf)
	}
	if n := count(server, "add_header", hd.Name, v, "always"); n != 1 {
		ck.errorf("_headers line %d: %d add_header %s %s always, want 1\n%s", h.Line, n, hd.Name, v, ck.conf)
	}
}

// cacheMap wants one entry per Cache-Control in _headers, its value one
// word, then the two defaults.
func (ck *checker) cacheMap(rules []hostrules.HeaderRule) {
	ck.t.Helper()
	var want [][]string
	for i := len(rules) - 1; i >= 0; i-- {
		for _, hd := range rules[i].Headers {
			if strings.EqualFold(hd.Name, "Cache-Control") {
				want = append(want, []string{"~" + rules[i].Path.Regex(), hd.Value})
			}
		}
	}
	want = append(want, []string{"~" + hostrules.FingerprintRegex, hostrules.Immutable}, []string{"default", hostrules.Revalidate})
	for _, m := range ck.all["map"] {
		if !slices.Equal(m.Args, []string{nginxconf.PathVar, nginxconf.CacheVar}) {
			continue
		}
		var got [][]string
		for _, e := range m.Block {
			got = append(got, append([]string{e.Name}, e.Args...))
		}
		if !slices.EqualFunc(got, want, slices.Equal) {
			ck.errorf("cache map = %q, want %q\n%s", got, want, ck.conf)
		}
		return
	}
	ck.errorf("no cache map\n%s", ck.conf)
}

// includes wants the snippet as the one word of one include in the server
// and in each location that serves the site, and no other include but
// mime.types.
func (ck *checker) includes(server, locs []nginxconf.Directive, p string, siteLocs int) {
	ck.t.Helper()
	if n := count(server, "include", p); n != 1 {
		ck.errorf("snippet %q: %d includes in the server, want 1\n%s", p, n, ck.conf)
	}
	in := 0
	for _, l := range locs {
		in += count(l.Block, "include", p)
	}
	if in != siteLocs {
		ck.errorf("snippet %q: included in %d locations, want %d\n%s", p, in, siteLocs, ck.conf)
	}
	if n := len(ck.all["include"]); n != 1+1+siteLocs {
		ck.errorf("%d include directives, want %d\n%s", n, 2+siteLocs, ck.conf)
	}
}

// redirects wants each rule's regex as one word: static rules as map keys,
// dynamic ones in an if (once per site location when forced), rewrites in
// a rewrite.
func (ck *checker) redirects(rds []hostrules.Redirect, siteLocs int) {
	ck.t.Helper()
	keys := map[string]bool{}
	for _, m := range ck.all["map"] {
		for _, e := range m.Block {
			keys[e.Name] = true
		}
	}
	for _, rd := range rds {
		copies := 1
		if rd.Force {
			copies = siteLocs
		}
		switch {
		case rd.Status == 200:
			n := 0
			for _, d := range ck.all["rewrite"] {
				if len(d.Args) > 0 && d.Args[0] == rd.From.Regex() {
					n++
				}
			}
			if n < copies {
				ck.errorf("_redirects line %d: %d rewrites match %q, want %d\n%s", rd.Line, n, rd.From.Regex(), copies, ck.conf)
			}
		case rd.From.Dynamic():
			n := 0
			for _, d := range ck.all["if"] {
				if len(d.Args) == 4 && d.Args[2] == rd.From.RawRegex() {
					n++
				}
			}
			if n < copies {
				ck.errorf("_redirects line %d: %d ifs match %q, want %d\n%s", rd.Line, n, rd.From.RawRegex(), copies, ck.conf)
			}
		default:
			if !keys[rd.From.Text] {
				ck.errorf("_redirects line %d: %q is no map key\n%s", rd.Line, rd.From.Text, ck.conf)
			}
		}
	}
}

// ifs counts the if blocks and rewrites one group of rules gives: an if per
// dynamic redirect, a rewrite per 200 rule, and an if per kind of static
// redirect (status, and whether the target has a query) in each run of
// static rules between two others.
func ifs(rds []hostrules.Redirect, force bool) (ifs, rewrites int) {
	slot := 0
	kinds := map[string]bool{}
	for _, rd := range rds {
		if rd.Force != force {
			continue
		}
		switch {
		case rd.Status == 200:
			rewrites++
			slot++
		case rd.From.Dynamic():
			ifs++
			slot++
		default:
			p, _, _ := strings.Cut(rd.To, "#")
			kinds[fmt.Sprint(slot, rd.Status, strings.Contains(p, "?"))] = true
		}
	}
	return ifs + len(kinds), rewrites
}

// The inputs that still break the config must still break it: when one is
// fixed, move it to nginxcorpus.Seeds.
func TestKnownBugs(t *testing.T) {
	for i, b := range nginxcorpus.Bugs() {
		if b.Nginx == "" {
			continue // only nginx can tell
		}
		cfg, ok := b.Config()
		if !ok {
			t.Errorf("bug %d: validation now refuses it; move it to Seeds (%s)", i, b.Why)
			continue
		}
		if _, err := nginxconf.Tokenize([]byte(nginxconf.Render(cfg))); err == nil {
			t.Errorf("bug %d: the config now reads; move it to Seeds (%s)", i, b.Why)
		} else {
			t.Logf("bug %d (known): %v: %s", i, err, b.Why)
		}
	}
}
