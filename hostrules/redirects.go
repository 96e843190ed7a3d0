package hostrules

import (
	"bufio"
	"bytes"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
)

// Cloudflare Pages' limits, which layercake keeps so a site moves both ways.
const (
	MaxStaticRedirects  = 2000
	MaxDynamicRedirects = 100
	MaxLineLength       = 1000
)

// Redirect is one _redirects rule.
type Redirect struct {
	// Line is where the rule is written.
	Line int
	// From is the request path pattern.
	From Pattern
	// To is a path or an absolute http(s) URL, with :name and :splat
	// standing for what the pattern matched.
	To string
	// Status is 301, 302, 303, 307, 308, or 200 for a rewrite (the response
	// comes from To, the address stays).
	Status int
	// Force applies the rule even when a file exists at the path ("!");
	// otherwise a file at the path shadows the rule.
	Force bool
}

// ParseRedirects reads a _redirects file named file. It returns every problem
// at its line and column.
func ParseRedirects(file string, data []byte) ([]Redirect, error) {
	c := &collector{file: file}
	var out []Redirect
	var static, dynamic int
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSuffix(sc.Text(), "\r")
		if len(line) > MaxLineLength {
			c.fail(n, MaxLineLength+1, "line is %d characters long; keep rules under %d", len(line), MaxLineLength)
			continue
		}
		r, ok := parseRedirect(c, n, line)
		if !ok {
			continue
		}
		if r.From.Dynamic() {
			if dynamic++; dynamic == MaxDynamicRedirects+1 {
				c.fail(n, 1, "more than %d rules with placeholders or \"*\"; merge some into one pattern", MaxDynamicRedirects)
			}
		} else if static++; static == MaxStaticRedirects+1 {
			c.fail(n, 1, "more than %d rules with plain paths; remove old ones", MaxStaticRedirects)
		}
		out = append(out, r)
	}
	if err := sc.Err(); err != nil {
		c.fail(1, 1, "reading: %v", err)
	}
	return out, c.err()
}

// field is one whitespace-separated word and its 1-based column.
type field struct {
	text string
	col  int
}

func fields(line string) []field {
	var out []field
	start := -1
	for i, r := range line {
		switch {
		case unicode.IsSpace(r) && start >= 0:
			out = append(out, field{line[start:i], runeCol(line, start) + 1})
			start = -1
		case !unicode.IsSpace(r) && start < 0:
			start = i
		}
	}
	if start >= 0 {
		out = append(out, field{line[start:], runeCol(line, start) + 1})
	}
	return out
}

func parseRedirect(c *collector, n int, line string) (Redirect, bool) {
	fs := fields(line)
	if len(fs) == 0 || strings.HasPrefix(fs[0].text, "#") {
		return Redirect{}, false
	}
	r := Redirect{Line: n, Status: 301}
	if len(fs) < 2 {
		c.fail(n, fs[0].col+len([]rune(fs[0].text)), "a rule needs a target; write FROM TO [STATUS], such as /old /new 301")
		return r, false
	}
	if strings.Contains(fs[1].text, "=") && !strings.HasPrefix(fs[1].text, "/") && !strings.Contains(fs[1].text, "://") {
		c.fail(n, fs[1].col, "matching query parameters (%s) is not supported; match the path alone", clip(fs[1].text))
		return r, false
	}
	from, ok := parsePattern(c, n, fs[0].col, fs[0].text)
	r.From = from
	to, toOK := parseTarget(c, n, fs[1], from, ok)
	r.To = to
	ok = ok && toOK
	rest := fs[2:]
	if len(rest) > 0 {
		st, force, stOK := parseStatus(c, n, rest[0], to)
		r.Status, r.Force = st, force
		ok = ok && stOK
		rest = rest[1:]
	}
	for _, f := range rest {
		c.fail(n, f.col, "%q: conditions (Country=, Language=, Role=, Cookie=) and options are not supported; remove it, or serve such rules from a proxy in front", clip(f.text))
		ok = false
	}
	if ok {
		raw := r.Status != 200 && r.From.Dynamic() // see nginxconf: matched on the raw path
		if msg := r.From.tooLong(raw); r.Status == 200 || raw {
			if msg != "" {
				c.fail(n, fs[0].col, "%s", msg)
				ok = false
			}
		}
	}
	if ok && r.Loops() {
		c.fail(n, fs[1].col, "%s can send a visitor back to a path %s matches, so the redirect can repeat until the browser gives up; use a target the pattern does not match", clip(to), r.From.Text)
		ok = false
	}
	return r, ok
}

// Loops reports whether following the redirect can lead to a path the rule
// matches again. A rule without "!" whose target names no placeholder loops
// only when the site has no file at the target (a file shadows the rule):
// LoopsWithout says so, and the caller, who knows the site, decides.
func (r Redirect) Loops() bool {
	return r.mayRepeat() && (r.Force || r.capturesInTarget())
}

// LoopsWithout reports whether the rule repeats when the site has no file at
// its target: the case Loops leaves to the caller. It returns the target's
// path.
func (r Redirect) LoopsWithout() (string, bool) {
	if !r.mayRepeat() || r.Force || r.capturesInTarget() {
		return "", false
	}
	p, _, _ := strings.Cut(r.To, "#")
	p, _, _ = strings.Cut(p, "?")
	return p, true
}

// maxHops is how many times in a row a rule may match the path it sent a
// browser to before it counts as a loop (browsers stop at about 20).
const maxHops = 20

// mayRepeat reports whether following the redirect can go on forever: it
// takes the shortest path whose redirect the pattern matches again and
// follows the rule from there, until it stops matching (a chain that ends,
// such as /go/* to /:splat), comes back to a path (a cycle, such as /* to
// /index.html), or still matches after maxHops (a target that grows, such
// as /blog/* to /blog/x/:splat).
func (r Redirect) mayRepeat() bool {
	if r.Status == 200 {
		return false // a rewrite serves the target; nothing is asked again
	}
	to, ok := r.targetElems()
	if !ok {
		return false
	}
	p, ok := intersect(r.From.elems(), to)
	if !ok {
		return false
	}
	re, err := regexp.Compile(r.From.Regex())
	if err != nil {
		return false
	}
	seen := map[string]bool{}
	for range maxHops {
		m := re.FindStringSubmatch(p)
		if m == nil {
			return false
		}
		if seen[p] {
			return true
		}
		seen[p] = true
		p = r.follow(m[1:])
	}
	return true
}

// follow is the target's path with the captures filled in.
func (r Redirect) follow(captures []string) string {
	var b strings.Builder
	for _, part := range r.TargetParts() {
		if part.Capture > 0 {
			b.WriteString(captures[part.Capture-1])
		} else {
			b.WriteString(part.Text)
		}
	}
	p, _, _ := strings.Cut(b.String(), "#")
	p, _, _ = strings.Cut(p, "?")
	return p
}

func (r Redirect) capturesInTarget() bool {
	for _, p := range r.TargetParts() {
		if p.Capture > 0 {
			return true
		}
	}
	return false
}

// parseTarget checks a rule's target and the placeholders it uses.
// With fromOK false the pattern was wrong (and reported): its placeholders
// are unknown, so the target's are not checked against them.
func parseTarget(c *collector, n int, f field, from Pattern, fromOK bool) (string, bool) {
	to := f.text
	abs := strings.HasPrefix(to, "https://") || strings.HasPrefix(to, "http://")
	switch {
	case !abs && !strings.HasPrefix(to, "/"):
		c.fail(n, f.col, "%q is not a target; write a path starting with \"/\" or an http(s) URL", clip(to))
		return to, false
	case strings.HasPrefix(to, "//") || strings.HasPrefix(to, "/\\"):
		c.fail(n, f.col, "%q starts with %q, which browsers read as another host; write https://HOST/… to send visitors to another site, or a path with a single leading \"/\"", clip(to), to[:2])
		return to, false
	}
	for i, r := range to {
		if r == '%' {
			continue // targets may carry percent-encoded bytes; nginx sends them as written
		}
		if msg := pathProblem(r); msg != "" {
			c.fail(n, f.col+runeCol(to, i), "%s", strings.Replace(msg, "path", "target", 1))
			return to, false
		}
	}
	if !fromOK {
		return to, false
	}
	for _, name := range targetPlaceholders(to) {
		if !containsName(from.Names, name) {
			c.fail(n, f.col+runeCol(to, strings.Index(to, ":"+name)), ":%s is not matched by %s; use %s", name, from.Text, placeholderList(from.Names))
			return to, false
		}
	}
	return to, true
}

// targetPlaceholders lists the :name words in a target, in order; a scheme's
// ":" (https:) is not one.
func targetPlaceholders(to string) []string {
	var out []string
	for i := 0; i < len(to); i++ {
		if to[i] != ':' || (i+2 < len(to) && to[i+1] == '/' && to[i+2] == '/') {
			continue
		}
		j := i + 1
		for j < len(to) && (isWordByte(to[j])) {
			j++
		}
		if j > i+1 && isLetter(to[i+1]) {
			out = append(out, to[i+1:j])
		}
		i = j - 1
	}
	return out
}

func isLetter(b byte) bool   { return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' }
func isWordByte(b byte) bool { return isLetter(b) || b >= '0' && b <= '9' || b == '_' }

func containsName(names []string, name string) bool {
	for _, n := range names {
		if n == name {
			return true
		}
	}
	return false
}

func placeholderList(names []string) string {
	if len(names) == 0 {
		return "a placeholder such as :slug or \"*\" in the path first"
	}
	return ":" + strings.Join(names, ", :")
}

// parseStatus reads a status with an optional "!" (force).
func parseStatus(c *collector, n int, f field, to string) (int, bool, bool) {
	text, force := strings.CutSuffix(f.text, "!")
	st, err := strconv.Atoi(text)
	if err != nil {
		c.fail(n, f.col, "%q is not a status; use 301, 302, 303, 307, 308 (redirects) or 200 (rewrite), with \"!\" to apply it even where a file exists", clip(f.text))
		return 0, force, false
	}
	switch st {
	case 301, 302, 303, 307, 308:
	case 200:
		if !strings.HasPrefix(to, "/") {
			c.fail(n, f.col, "200 with an absolute URL would proxy to another host, which layercake does not do; redirect with 301 or 302 instead")
			return st, force, false
		}
	case 404, 410, 451:
		c.fail(n, f.col, "status %d rules are not supported; remove the files from the site instead, or redirect with 301", st)
		return st, force, false
	default:
		c.fail(n, f.col, "%d is not a redirect status; use 301, 302, 303, 307, 308 or 200 (rewrite)", st)
		return st, force, false
	}
	return st, force, true
}

// String shows the rule as a _redirects line (for comments in the config).
func (r Redirect) String() string {
	force := ""
	if r.Force {
		force = "!"
	}
	return fmt.Sprintf("%s %s %d%s", r.From.Text, r.To, r.Status, force)
}

// TargetPart is a piece of a rule's target: literal text, or (Capture > 0)
// what the pattern's placeholder number Capture matched, counted from 1.
type TargetPart struct {
	Text    string
	Capture int
}

// TargetParts splits To into literal text and the placeholders it uses.
func (r Redirect) TargetParts() []TargetPart {
	var out []TargetPart
	var lit strings.Builder
	to := r.To
	for i := 0; i < len(to); i++ {
		if to[i] == ':' && i+1 < len(to) && isLetter(to[i+1]) {
			j := i + 1
			for j < len(to) && isWordByte(to[j]) {
				j++
			}
			if k := slices.Index(r.From.Names, to[i+1:j]); k >= 0 {
				if lit.Len() > 0 {
					out = append(out, TargetPart{Text: lit.String()})
					lit.Reset()
				}
				out = append(out, TargetPart{Capture: k + 1})
				i = j - 1
				continue
			}
		}
		lit.WriteByte(to[i])
	}
	if lit.Len() > 0 {
		out = append(out, TargetPart{Text: lit.String()})
	}
	return out
}
