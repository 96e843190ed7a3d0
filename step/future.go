package step

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/layercake-build/layercake/internal/clip"
)

// With the clock pinned at the build's epoch, Jekyll (future: false) and
// Hugo (buildFuture = false) leave out every post dated after it, and say
// nothing. The step looks for such posts in the sources and warns.

// Bounds of the scan: sources are the user's, and may be anything.
const (
	frontMatterBytes = 64 << 10 // read at most this much of a file
	frontMatterLines = 1000     // and at most this many lines
	scannedFiles     = 100000   // look at most at this many files
	shownFuture      = 10       // name this many posts in the warning
)

// datedPage is a post the generator leaves out: its path relative to the
// working folder, the line of its date (0: the date is the file name's)
// and the date.
type datedPage struct {
	Path string
	Line int
	Date time.Time
}

// generatorKind is a generator that leaves out pages dated after its clock.
type generatorKind struct {
	name    string
	page    string // what it calls a dated page
	setting string // what makes it build them anyway
	config  []string
	// markers are files in the working folder that show the generator.
	markers []string
	// forced matches a configuration line that sets setting to true.
	forced *regexp.Regexp
	// flags in the command that set it.
	flags []string
	// scan finds the dated pages under the working folder.
	scan func(cwd string, skip []string) []datedPage
}

var (
	jekyll = generatorKind{
		name: "Jekyll", page: "post", setting: "future: true in _config.yml",
		config:  []string{"_config.yml", "_config.yaml"},
		markers: []string{"_config.yml", "_config.yaml"},
		forced:  regexp.MustCompile(`(?m)^future[ \t]*:[ \t]*(true|yes|on)[ \t]*(#.*)?\r?$`),
		flags:   []string{"--future"},
		scan:    scanJekyll,
	}
	hugo = generatorKind{
		name: "Hugo", page: "page", setting: "buildFuture = true in hugo.toml",
		config:  []string{"hugo.toml", "hugo.yaml", "hugo.yml", "hugo.json", "config.toml", "config.yaml", "config.yml", "config.json"},
		markers: []string{"hugo.toml", "hugo.yaml", "hugo.yml", "hugo.json"},
		forced:  regexp.MustCompile(`(?mi)^[ \t]*"?buildfuture"?[ \t]*[:=][ \t]*true\b`),
		flags:   []string{"--buildFuture", "-F"},
		scan:    scanHugo,
	}
	jekyllWord = regexp.MustCompile(`\bjekyll\b`)
	hugoWord   = regexp.MustCompile(`\bhugo\b`)
)

// whichGenerator is the generator the command runs, judged by its words,
// else by the configuration files in cwd; nil when neither.
func whichGenerator(command, cwd string) *generatorKind {
	switch {
	case jekyllWord.MatchString(command):
		return &jekyll
	case hugoWord.MatchString(command):
		return &hugo
	}
	for _, g := range []*generatorKind{&jekyll, &hugo} {
		for _, c := range g.markers {
			if _, err := os.Stat(filepath.Join(cwd, c)); err == nil {
				return g
			}
		}
	}
	return nil
}

// buildsFuture says whether the command, the environment or a
// configuration file in cwd makes g build pages dated after its clock.
func (g *generatorKind) buildsFuture(argv, env []string, cwd string) bool {
	for _, a := range argv {
		for _, f := range g.flags {
			if strings.Contains(" "+a+" ", " "+f+" ") || strings.Contains(a, f+"=true") {
				return true
			}
		}
	}
	if g == &hugo && slices.ContainsFunc(env, func(kv string) bool { return strings.EqualFold(kv, "HUGO_BUILDFUTURE=true") }) {
		return true
	}
	for _, c := range g.config {
		if b, err := readHead(filepath.Join(cwd, c), frontMatterBytes); err == nil && g.forced.Match(b) {
			return true
		}
	}
	return false
}

// readHead reads at most n bytes of a regular file.
func readHead(name string, n int64) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if fi, err := f.Stat(); err != nil || !fi.Mode().IsRegular() {
		return nil, fs.ErrInvalid
	}
	return io.ReadAll(io.LimitReader(f, n))
}

// futurePages lists the pages g leaves out with its clock at now, sorted
// by path.
func futurePages(g *generatorKind, cwd string, skip []string, now time.Time) []datedPage {
	var out []datedPage
	for _, p := range g.scan(cwd, skip) {
		if p.Date.After(now) {
			out = append(out, p)
		}
	}
	slices.SortFunc(out, func(a, b datedPage) int { return strings.Compare(a.Path, b.Path) })
	return out
}

// walkSources calls visit for every regular file under dir, leaving out
// hidden folders, node_modules, vendor, _site and the folders in skip,
// and stopping after scannedFiles files.
func walkSources(dir string, skip []string, visit func(rel string, abs string)) {
	seen := 0
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		name := d.Name()
		if d.IsDir() {
			if p != dir && (strings.HasPrefix(name, ".") || name == "node_modules" || name == "vendor" || name == "_site" || slices.Contains(skip, p)) {
				return filepath.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() {
			return nil
		}
		if seen++; seen > scannedFiles {
			return filepath.SkipAll
		}
		rel, _ := filepath.Rel(dir, p)
		visit(filepath.ToSlash(rel), p)
		return nil
	})
}

var jekyllPostName = regexp.MustCompile(`^(\d{4}-\d{2}-\d{2})-[^/]*\.(md|markdown|html)$`)

// scanJekyll finds posts (_posts/**/YYYY-MM-DD-title.{md,markdown,html}
// with front matter) and their dates: the front matter's date, else the
// file name's.
func scanJekyll(cwd string, skip []string) []datedPage {
	var out []datedPage
	walkSources(cwd, skip, func(rel, abs string) {
		if !strings.HasPrefix(rel, "_posts/") && !strings.Contains(rel, "/_posts/") {
			return
		}
		m := jekyllPostName.FindStringSubmatch(filepath.Base(rel))
		if m == nil {
			return
		}
		fm, ok := readFrontMatter(abs)
		if !ok || !fm.yaml || fm.is("published", "false") {
			return // no front matter: Jekyll copies it as a file
		}
		if v, line, ok := fm.get("date"); ok {
			if t, ok := parseDate(v); ok {
				out = append(out, datedPage{rel, line, t})
			}
			return // a date it cannot read: Jekyll fails or says so
		}
		if t, ok := parseDate(m[1]); ok {
			out = append(out, datedPage{rel, 0, t})
		}
	})
	return out
}

// scanHugo finds content pages and their publish dates: publishDate
// (or pubdate, published), else date.
func scanHugo(cwd string, skip []string) []datedPage {
	var out []datedPage
	walkSources(filepath.Join(cwd, "content"), skip, func(rel, abs string) {
		switch strings.ToLower(filepath.Ext(rel)) {
		case ".md", ".markdown", ".html", ".htm":
		default:
			return
		}
		fm, ok := readFrontMatter(abs)
		if !ok || fm.is("draft", "true") {
			return
		}
		for _, k := range []string{"publishdate", "pubdate", "published", "date"} {
			if v, line, ok := fm.get(k); ok {
				if t, ok := parseDate(v); ok {
					out = append(out, datedPage{"content/" + rel, line, t})
				}
				return
			}
		}
	})
	return out
}

// frontMatter is the top-level keys of a page's front matter (keys in
// lower case), with the line of each.
type frontMatter struct {
	yaml   bool
	values map[string]string
	lines  map[string]int
}

func (fm frontMatter) get(key string) (string, int, bool) {
	v, ok := fm.values[key]
	return v, fm.lines[key], ok
}

func (fm frontMatter) is(key, value string) bool {
	v, _, ok := fm.get(key)
	return ok && strings.EqualFold(v, value)
}

// readFrontMatter reads a page's YAML (---) or TOML (+++) front matter,
// bounded in bytes and lines; ok is false when the file has none, or it
// does not end within the bounds.
func readFrontMatter(name string) (frontMatter, bool) {
	fm := frontMatter{values: map[string]string{}, lines: map[string]int{}}
	f, err := os.Open(name)
	if err != nil {
		return fm, false
	}
	defer f.Close()
	sc := bufio.NewScanner(io.LimitReader(f, frontMatterBytes))
	sc.Buffer(make([]byte, 0, 4096), frontMatterBytes)
	var fence string
	table := false // TOML keys after a [table] header are not top-level
	for n := 1; sc.Scan() && n <= frontMatterLines; n++ {
		line := strings.TrimRight(sc.Text(), " \t\r")
		if n == 1 {
			line = string(bytes.TrimPrefix([]byte(line), []byte("\ufeff")))
			if line != "---" && line != "+++" {
				return fm, false
			}
			fence, fm.yaml = line, line == "---"
			continue
		}
		if line == fence || (fm.yaml && line == "...") {
			return fm, true
		}
		if line == "" || line[0] == ' ' || line[0] == '\t' || line[0] == '#' {
			continue
		}
		if !fm.yaml && line[0] == '[' {
			table = true
		}
		sep := ":"
		if !fm.yaml {
			sep = "="
		}
		k, v, ok := strings.Cut(line, sep)
		if !ok || table {
			continue
		}
		k = strings.ToLower(unquote(strings.TrimSpace(k)))
		if _, dup := fm.values[k]; !dup {
			fm.values[k], fm.lines[k] = scalar(v), n
		}
	}
	return fm, false
}

// scalar is a YAML or TOML value without its comment and quotes.
func scalar(v string) string {
	v = strings.TrimSpace(v)
	if len(v) > 0 && (v[0] == '"' || v[0] == '\'') {
		if end := strings.IndexByte(v[1:], v[0]); end >= 0 {
			return v[1 : end+1]
		}
		return ""
	}
	if i := strings.Index(v, " #"); i >= 0 {
		v = v[:i]
	}
	return strings.TrimSpace(v)
}

// unquote strips one pair of matching quotes.
func unquote(s string) string {
	if len(s) >= 2 && (s[0] == '"' || s[0] == '\'') && s[len(s)-1] == s[0] {
		return s[1 : len(s)-1]
	}
	return s
}

// dateLayouts are the date forms Jekyll's and Hugo's users write; a time
// with no zone is UTC (the step's TZ).
var dateLayouts = []string{
	time.RFC3339,
	"2006-01-02T15:04:05Z0700",
	"2006-01-02T15:04:05",
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04",
	"2006-01-02 15:04:05 -0700",
	"2006-01-02 15:04:05 -07:00",
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02 15:04:05 MST",
	"2006-01-02 15:04:05",
	"2006-01-02 15:04 -0700",
	"2006-01-02 15:04 -07:00",
	"2006-01-02 15:04",
	"2006-01-02",
}

// parseDate reads a date in one of dateLayouts; ok is false for anything
// else (it is then no reason to warn).
func parseDate(v string) (time.Time, bool) {
	if len(v) > 64 {
		return time.Time{}, false
	}
	for _, l := range dateLayouts {
		if t, err := time.ParseInLocation(l, v, time.UTC); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// futureMessage is the warning about pages g leaves out with its clock at
// now (from clockFrom); "" when there are none.
func futureMessage(g *generatorKind, pages []datedPage, now time.Time, clockFrom string) string {
	if len(pages) == 0 {
		return ""
	}
	names := make([]string, 0, shownFuture)
	for _, p := range pages[:min(len(pages), shownFuture)] {
		name := clip.String(p.Path, 120)
		at := fmt.Sprintf("%q (its file name's date, %s)", name, p.Date.Format("2006-01-02"))
		if p.Line > 0 {
			at = fmt.Sprintf("%q line %d (%s)", name, p.Line, p.Date.Format(time.RFC3339))
		}
		names = append(names, at)
	}
	more := ""
	if len(pages) > shownFuture {
		more = fmt.Sprintf(" and %d more", len(pages)-shownFuture)
	}
	if clockFrom == "" {
		clockFrom = "SOURCE_DATE_EPOCH"
	}
	count := "1 " + g.page + " is"
	if len(pages) > 1 {
		count = fmt.Sprintf("%d %ss are", len(pages), g.page)
	}
	return fmt.Sprintf("%s dated after the build's clock, %s (%s), so %s leaves %s out of the site: %s%s; to publish %s, write the lock again (docker build --target lock -o . .), which moves the clock to the archive's date of that day, or set a later epoch: in the spec (or SOURCE_DATE_EPOCH), or set %s to publish %ss dated ahead (see \"Posts dated after the epoch\" in docs/generated-sites.md)",
		count, now.UTC().Format(time.RFC3339), clockFrom, g.name, pluralThem(len(pages)), strings.Join(names, ", "), more, pluralThem(len(pages)), g.setting, g.page)
}

func pluralThem(n int) string {
	if n == 1 {
		return "it"
	}
	return "them"
}

// futureWarning is the warning about pages the generator argv runs leaves
// out with the clock pinned at SOURCE_DATE_EPOCH, or "": none, another
// generator, or the spec moved the clock (FAKETIME, HUGO_CLOCK).
func futureWarning(argv, env []string, cwd string, skip []string, clockFrom string) string {
	vars := map[string]string{}
	for _, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		vars[k] = v
	}
	secs, err := strconv.ParseInt(vars["SOURCE_DATE_EPOCH"], 10, 64)
	if err != nil {
		return ""
	}
	g := whichGenerator(shown(argv), cwd)
	if g == nil || g.buildsFuture(argv, env, cwd) {
		return ""
	}
	if _, ok := vars["FAKETIME"]; ok && g == &jekyll {
		return ""
	}
	if _, ok := vars["HUGO_CLOCK"]; ok && g == &hugo {
		return ""
	}
	now := time.Unix(secs, 0).UTC()
	return futureMessage(g, futurePages(g, cwd, skip, now), now, clockFrom)
}
