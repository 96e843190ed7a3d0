// Command sitegen writes the static sites that bench/site-layers builds,
// always the same bytes for the same arguments (a fixed seed, no clock):
//
//	sitegen -site blog -out DIR    # about 50 posts, two feeds, a stylesheet, 30 photos (≥ 10 MB)
//	sitegen -site big -out DIR     # 20,000 files, about 157 MB, mostly HTML
//	sitegen -site docs -out DIR    # 1,000 long documentation pages, about 45 MB of text
//	sitegen -image FILE -seed N    # one more photo: incompressible bytes
//
// Text is prose made of common words, so it compresses about as well as a
// real site's; images are random bytes, which do not compress at all, like
// JPEGs.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
)

func main() {
	site := flag.String("site", "", "blog, big or docs")
	out := flag.String("out", "", "folder to write the site into (created)")
	image := flag.String("image", "", "write one image file instead of a site")
	size := flag.Int("size", 300_000, "with -image: its size in bytes")
	seed := flag.Uint64("seed", 1, "with -image: the seed of its bytes")
	flag.Parse()
	var err error
	switch {
	case *image != "":
		err = writeFile(*image, randomBytes(rand.New(rand.NewPCG(*seed, 99)), *size))
	case *site == "blog" && *out != "":
		err = newGen(*out, 1).blog()
	case *site == "big" && *out != "":
		err = newGen(*out, 2).big()
	case *site == "docs" && *out != "":
		err = newGen(*out, 3).docs()
	default:
		flag.Usage()
		os.Exit(2)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "sitegen:", err)
		os.Exit(1)
	}
}

// gen writes one site under dir from one random stream.
type gen struct {
	dir          string
	r            *rand.Rand
	files, bytes int64
}

func newGen(dir string, seed uint64) *gen {
	return &gen{dir: dir, r: rand.New(rand.NewPCG(seed, 0x1a7e2ca4e))}
}

// write writes one file of the site and counts it.
func (g *gen) write(rel string, b []byte) error {
	g.files++
	g.bytes += int64(len(b))
	return writeFile(filepath.Join(g.dir, filepath.FromSlash(rel)), b)
}

func (g *gen) report() {
	fmt.Fprintf(os.Stderr, "sitegen: %d files, %.1f MB in %s\n", g.files, float64(g.bytes)/1e6, g.dir)
}

func writeFile(name string, b []byte) error {
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return err
	}
	return os.WriteFile(name, b, 0o644)
}

// between returns a number in [lo, hi).
func (g *gen) between(lo, hi int) int { return lo + g.r.IntN(hi-lo) }

func randomBytes(r *rand.Rand, n int) []byte {
	b := make([]byte, n)
	for i := 0; i < n; i += 8 {
		v := r.Uint64()
		for j := 0; j < 8 && i+j < n; j++ {
			b[i+j] = byte(v >> (8 * j))
		}
	}
	return b
}

// ---------------------------------------------------------------------------
// Prose.

// words is a vocabulary of everyday and technical English; sentences drawn
// from it compress roughly like real articles (about 3:1 with gzip).
var words = strings.Fields(`
the a of and to in is that for it on with as was by at be this from or an
have are not but which one they you all were we when there can been has more
if will would about their what so out up into some time them other than then
its only these two may first any like over such our also new after most could
made way because where through work should well much before very just those
people year each build image layer cache server page site file folder change
push registry network request response header browser release version package
mirror archive debian nginx static content text media photo video feed post
writer reader editor morning evening garden river mountain coffee kitchen
window street city village winter summer autumn spring light shadow music
letter story chapter history journey friend family small large quiet bright
careful simple honest strange useful little old young early late long short
measure record notice follow return remember explain describe compare repeat
`)

// sentence writes one capitalised sentence of 6 to 21 words.
func (g *gen) sentence(b *bytes.Buffer) {
	n := g.between(6, 22)
	for i := range n {
		w := words[g.r.IntN(len(words))]
		if i == 0 {
			w = strings.ToUpper(w[:1]) + w[1:]
		} else {
			b.WriteByte(' ')
		}
		b.WriteString(w)
		if i < n-1 && g.r.IntN(9) == 0 {
			b.WriteByte(',')
		}
	}
	b.WriteString(". ")
}

// paragraphs writes <p> elements until b holds at least size bytes.
func (g *gen) paragraphs(b *bytes.Buffer, size int) {
	for b.Len() < size {
		b.WriteString("<p>")
		for range g.between(3, 8) {
			g.sentence(b)
		}
		b.WriteString("</p>\n")
	}
}

// title is a few capitalised words.
func (g *gen) title() string {
	var b bytes.Buffer
	for i := range g.between(3, 7) {
		if i > 0 {
			b.WriteByte(' ')
		}
		w := words[g.r.IntN(len(words))]
		b.WriteString(strings.ToUpper(w[:1]) + w[1:])
	}
	return b.String()
}

func slug(title string) string { return strings.ToLower(strings.ReplaceAll(title, " ", "-")) }

// page is an HTML document with a header, navigation, the body and a footer.
func page(title, nav string, body []byte) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"+
		"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"+
		"<title>%s</title>\n<link rel=\"stylesheet\" href=\"/css/site.css\">\n"+
		"<link rel=\"alternate\" type=\"application/rss+xml\" href=\"/index.xml\">\n</head>\n<body>\n"+
		"<header><a href=\"/\">Field Notes</a><nav>%s</nav></header>\n<main>\n<h1>%s</h1>\n",
		title, nav, title)
	b.Write(body)
	b.WriteString("</main>\n<footer><p>Written by hand, served by nginx.</p></footer>\n</body>\n</html>\n")
	return b.Bytes()
}

// ---------------------------------------------------------------------------
// The blog.

type post struct{ title, path, summary string }

// blog writes 50 posts of 20 to 40 KB with a photo or two each, an index, an
// about page, an RSS and an Atom feed, a stylesheet and 30 photos.
func (g *gen) blog() error {
	const nav = `<a href="/">Home</a> <a href="/about/">About</a> <a href="/index.xml">RSS</a>`
	var posts []post
	for i := range 50 {
		t := g.title()
		p := post{title: t, path: fmt.Sprintf("posts/%02d-%s/index.html", i, slug(t))}
		var body bytes.Buffer
		fmt.Fprintf(&body, "<p class=\"date\">2025-%02d-%02d</p>\n", i%12+1, i%28+1)
		fmt.Fprintf(&body, "<img src=\"/images/photo-%02d.jpg\" alt=\"%s\">\n", i%30, t)
		g.paragraphs(&body, g.between(20_000, 40_000))
		s := body.String()
		p.summary = s[strings.Index(s, "<p>")+3 : strings.Index(s, "</p>\n<p>")]
		if err := g.write(p.path, page(t, nav, body.Bytes())); err != nil {
			return err
		}
		posts = append(posts, p)
	}
	var index bytes.Buffer
	for _, p := range posts {
		fmt.Fprintf(&index, "<article><h2><a href=\"/%s\">%s</a></h2><p>%.200s</p></article>\n",
			strings.TrimSuffix(p.path, "index.html"), p.title, p.summary)
	}
	var about bytes.Buffer
	g.paragraphs(&about, 6_000)
	for _, f := range []struct {
		path string
		b    []byte
	}{
		{"index.html", page("Field Notes", nav, index.Bytes())},
		{"about/index.html", page("About", nav, about.Bytes())},
		{"index.xml", rss(posts)},
		{"atom.xml", atom(posts)},
		{"css/site.css", g.css()},
	} {
		if err := g.write(f.path, f.b); err != nil {
			return err
		}
	}
	for i := range 30 {
		if err := g.write(fmt.Sprintf("images/photo-%02d.jpg", i), randomBytes(g.r, g.between(250_000, 560_000))); err != nil {
			return err
		}
	}
	g.report()
	return nil
}

func rss(posts []post) []byte {
	var b bytes.Buffer
	b.WriteString("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss version=\"2.0\"><channel>\n<title>Field Notes</title><link>/</link>\n")
	for _, p := range posts {
		fmt.Fprintf(&b, "<item><title>%s</title><link>/%s</link><description>%s</description></item>\n", p.title, p.path, p.summary)
	}
	b.WriteString("</channel></rss>\n")
	return b.Bytes()
}

func atom(posts []post) []byte {
	var b bytes.Buffer
	b.WriteString("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n<title>Field Notes</title>\n")
	for _, p := range posts {
		fmt.Fprintf(&b, "<entry><title>%s</title><link href=\"/%s\"/><summary>%s</summary></entry>\n", p.title, p.path, p.summary)
	}
	b.WriteString("</feed>\n")
	return b.Bytes()
}

// css writes a stylesheet of about 8 KB.
func (g *gen) css() []byte {
	var b bytes.Buffer
	for i := 0; b.Len() < 8_000; i++ {
		fmt.Fprintf(&b, ".%s-%d { margin: %dpx %dpx; color: #%06x; font-size: %d%%; }\n",
			words[g.r.IntN(len(words))], i, g.r.IntN(40), g.r.IntN(40), g.r.IntN(1<<24), 80+g.r.IntN(60))
	}
	return b.Bytes()
}

// ---------------------------------------------------------------------------
// The big site.

// big writes 40 sections of documentation: 19,200 text files (HTML pages,
// with a JSON search index and a script per section) and 800 binary assets
// (screenshots, fonts, PDFs): 20,000 files, about 157 MB.
func (g *gen) big() error {
	const sections, perSection = 40, 500
	for s := range sections {
		nav := fmt.Sprintf(`<a href="/">Docs</a> <a href="/s%02d/">Section %d</a>`, s, s)
		for p := range perSection {
			var rel string
			var b []byte
			switch {
			case p < 20:
				exts := []string{"png", "woff2", "pdf", "webp"}
				rel = fmt.Sprintf("s%02d/assets/asset-%02d.%s", s, p, exts[p%len(exts)])
				b = randomBytes(g.r, g.between(15_000, 80_000))
			case p == 20:
				rel = fmt.Sprintf("s%02d/search.json", s)
				b = g.searchIndex(s)
			case p == 21:
				rel = fmt.Sprintf("s%02d/section.js", s)
				b = g.script()
			default:
				var body bytes.Buffer
				g.paragraphs(&body, g.between(3_000, 7_800))
				rel = fmt.Sprintf("s%02d/page-%03d.html", s, p)
				b = page(g.title(), nav, body.Bytes())
			}
			if err := g.write(rel, b); err != nil {
				return err
			}
		}
	}
	g.report()
	return nil
}

func (g *gen) searchIndex(section int) []byte {
	var b bytes.Buffer
	b.WriteString("[\n")
	for p := 22; p < 500; p++ {
		fmt.Fprintf(&b, "{\"url\": \"/s%02d/page-%03d.html\", \"title\": %q},\n", section, p, g.title())
	}
	b.WriteString("{}]\n")
	return b.Bytes()
}

func (g *gen) script() []byte {
	var b bytes.Buffer
	for i := 0; b.Len() < 6_000; i++ {
		fmt.Fprintf(&b, "function %s%d(el) { el.dataset.%s = %q; return el; }\n",
			words[g.r.IntN(len(words))], i, words[g.r.IntN(len(words))], g.title())
	}
	return b.Bytes()
}

// ---------------------------------------------------------------------------
// The documentation site.

// docs writes a text-heavy guide like the Jekyll or Sphinx sites that spend
// the most time in precompression: 1,000 pages of 30 to 60 KB in 25 chapters,
// each page carrying the same head, a navigation of its chapter and the
// table of contents (markup that repeats across pages, as real themes do),
// with headings, lists, code and links in the prose; a stylesheet, a script
// bundle, a search index and a sitemap; 20 images. About 1,040 files.
func (g *gen) docs() error {
	const chapters, perChapter = 25, 40
	titles := make([][]string, chapters)
	for c := range titles {
		for range perChapter {
			titles[c] = append(titles[c], g.title())
		}
	}
	toc := g.docsTOC(titles)
	var search, sitemap bytes.Buffer
	search.WriteString("[\n")
	sitemap.WriteString("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n")
	for c := range chapters {
		for p, t := range titles[c] {
			rel := fmt.Sprintf("guide/ch%02d/%s/index.html", c, slug(t))
			var body bytes.Buffer
			g.docsBody(&body, g.between(12_000, 40_000))
			if err := g.write(rel, docsPage(t, c, p, titles, toc, body.Bytes())); err != nil {
				return err
			}
			fmt.Fprintf(&search, "{\"url\": \"/%s\", \"title\": %q, \"text\": %q},\n",
				strings.TrimSuffix(rel, "index.html"), t, g.words(60))
			fmt.Fprintf(&sitemap, "<url><loc>/%s</loc><lastmod>2025-%02d-%02d</lastmod></url>\n",
				strings.TrimSuffix(rel, "index.html"), c%12+1, p%28+1)
		}
	}
	search.WriteString("{}]\n")
	sitemap.WriteString("</urlset>\n")
	var css, js bytes.Buffer
	for css.Len() < 60_000 {
		css.Write(g.css())
	}
	for js.Len() < 120_000 {
		js.Write(g.script())
	}
	for _, f := range []struct {
		path string
		b    []byte
	}{
		{"index.html", docsPage("Guide", -1, 0, titles, toc, []byte("<p>Start with chapter one.</p>\n"))},
		{"search.json", search.Bytes()},
		{"sitemap.xml", sitemap.Bytes()},
		{"assets/site.css", css.Bytes()},
		{"assets/bundle.js", js.Bytes()},
	} {
		if err := g.write(f.path, f.b); err != nil {
			return err
		}
	}
	for i := range 20 {
		if err := g.write(fmt.Sprintf("assets/img/figure-%02d.png", i), randomBytes(g.r, g.between(20_000, 120_000))); err != nil {
			return err
		}
	}
	g.report()
	return nil
}

// docsTOC is the table of contents every page carries: chapters, each with
// its pages.
func (g *gen) docsTOC(titles [][]string) string {
	var b strings.Builder
	b.WriteString("<ol class=\"toc\">\n")
	for c, ts := range titles {
		fmt.Fprintf(&b, "<li class=\"toc-chapter\"><a href=\"/guide/ch%02d/\">Chapter %d</a><ol>", c, c+1)
		for _, t := range ts[:6] {
			fmt.Fprintf(&b, "<li><a href=\"/guide/ch%02d/%s/\">%s</a></li>", c, slug(t), t)
		}
		b.WriteString("</ol></li>\n")
	}
	b.WriteString("</ol>\n")
	return b.String()
}

// docsPage is one page of the guide: a head with metadata and preloads, the
// table of contents, the chapter's navigation, the body and a footer.
func docsPage(title string, chapter, page int, titles [][]string, toc string, body []byte) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "<!DOCTYPE html>\n<html lang=\"en\" class=\"no-js\">\n<head>\n<meta charset=\"utf-8\">\n"+
		"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>%s | Open Guide</title>\n"+
		"<meta name=\"description\" content=\"%s: a chapter of the open guide to running a project.\">\n"+
		"<meta property=\"og:title\" content=\"%s\">\n<meta property=\"og:type\" content=\"article\">\n"+
		"<link rel=\"stylesheet\" href=\"/assets/site.css\">\n<link rel=\"preload\" href=\"/assets/bundle.js\" as=\"script\">\n"+
		"<link rel=\"alternate\" hreflang=\"en\" href=\"/guide/\">\n<script>document.documentElement.className = 'js';</script>\n"+
		"</head>\n<body class=\"page\">\n<header class=\"site-header\"><a class=\"logo\" href=\"/\">Open Guide</a>\n"+
		"<form class=\"search\" action=\"/search/\"><input type=\"search\" name=\"q\" placeholder=\"Search the guide\"></form></header>\n"+
		"<div class=\"layout\">\n<nav class=\"sidebar\" aria-label=\"Contents\">\n%s", title, title, title, toc)
	if chapter >= 0 {
		b.WriteString("<ul class=\"chapter-nav\">\n")
		for i, t := range titles[chapter] {
			cur := ""
			if i == page {
				cur = " aria-current=\"page\""
			}
			fmt.Fprintf(&b, "<li><a href=\"/guide/ch%02d/%s/\"%s>%s</a></li>\n", chapter, slug(t), cur, t)
		}
		b.WriteString("</ul>\n")
	}
	fmt.Fprintf(&b, "</nav>\n<main class=\"content\">\n<article>\n<h1>%s</h1>\n", title)
	b.Write(body)
	b.WriteString("</article>\n</main>\n</div>\n<footer class=\"site-footer\"><p>Content released under CC-BY-4.0. " +
		"<a href=\"/guide/\">Contents</a> <a href=\"/sitemap.xml\">Sitemap</a></p></footer>\n" +
		"<script src=\"/assets/bundle.js\" defer></script>\n</body>\n</html>\n")
	return b.Bytes()
}

// docsBody writes sections of prose with lists, code and links until b
// holds at least size bytes.
func (g *gen) docsBody(b *bytes.Buffer, size int) {
	for b.Len() < size {
		t := g.title()
		fmt.Fprintf(b, "<h2 id=\"%s\">%s<a class=\"anchor\" href=\"#%s\">#</a></h2>\n", slug(t), t, slug(t))
		g.paragraphs(b, b.Len()+g.between(1_000, 3_000))
		switch g.r.IntN(3) {
		case 0:
			b.WriteString("<ul>\n")
			for range g.between(3, 8) {
				fmt.Fprintf(b, "<li><strong>%s</strong>: %s</li>\n", g.title(), g.words(g.between(8, 20)))
			}
			b.WriteString("</ul>\n")
		case 1:
			fmt.Fprintf(b, "<div class=\"highlight\"><pre><code class=\"language-shell\">$ git clone https://example.com/%s.git\n$ cd %s\n$ make test\n</code></pre></div>\n",
				slug(g.title()), words[g.r.IntN(len(words))])
		default:
			fmt.Fprintf(b, "<blockquote><p>%s</p></blockquote>\n<p>See <a href=\"/guide/ch%02d/\">%s</a>.</p>\n",
				g.words(g.between(12, 30)), g.r.IntN(25), g.title())
		}
	}
}

// words is n words of prose, lower case, space-separated.
func (g *gen) words(n int) string {
	ws := make([]string, n)
	for i := range ws {
		ws[i] = words[g.r.IntN(len(words))]
	}
	return strings.Join(ws, " ")
}
