package debian_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/layercake-build/layercake/debian"
	"github.com/layercake-build/layercake/debian/deb"
)

// Benchmarks for the archive client. The index is synthetic, generated in
// the setup with a fixed seed, so every run measures the same work and no
// network is needed. Run them with
//
//	go test -run='^$' -bench=. -benchmem ./debian/

// indexStanzas is about the size of Debian trixie's main amd64 index
// (with the "all" packages), which Resolve works on in a real build.
const indexStanzas = 60000

// Roots of the synthetic index whose closures are measured. smallRoot is
// shaped like nginx (a dozen packages); bigRoot like a toolchain.
const (
	smallRoot = "site-small"
	bigRoot   = "site-big"
)

// stanza is one synthetic Packages entry before it is written out.
type stanza struct {
	name, version, arch string
	preDepends, depends []string
	provides            []string
}

// indexGen builds the synthetic index deterministically.
type indexGen struct {
	rng      *rand.Rand
	stanzas  []stanza
	versions map[string]string // newest version of each real package
}

// coreLibs are depended on by every tree package, like libc6 and friends.
var coreLibs = []string{"core-libc", "core-gcc-base", "core-zlib"}

// syntheticIndex returns the index as Packages text, built once per process.
var syntheticIndex = sync.OnceValue(func() []byte {
	g := &indexGen{rng: rand.New(rand.NewPCG(1, 2)), versions: map[string]string{}}
	g.core()
	g.tree(smallRoot, "small", 8, 2)
	g.tree(bigRoot, "big", 296, 3)
	g.filler(indexStanzas - len(g.stanzas))
	var buf bytes.Buffer
	for i, s := range g.stanzas {
		writeStanza(&buf, s, i)
	}
	return buf.Bytes()
})

// core adds the shared libraries and excluded packages that dependency
// groups name: debconf (excluded by default, provides debconf-2.0) and an
// old and a new core-libc, so the versioned constraints pick the newer one.
func (g *indexGen) core() {
	g.add(stanza{name: "core-libc", version: "2.40-1", arch: "amd64"})
	g.add(stanza{name: "core-libc", version: "2.41-12+deb13u5", arch: "amd64",
		depends: []string{"core-gcc-base"}, provides: []string{"core-libc-abi (= 2.41)"}})
	g.add(stanza{name: "core-gcc-base", version: "14.2.0-19", arch: "amd64"})
	g.add(stanza{name: "core-zlib", version: "1:1.3.dfsg+really1.3.1-1+b1", arch: "amd64",
		preDepends: []string{"core-libc (>= 2.14)"}})
	g.add(stanza{name: "debconf", version: "1.5.91", arch: "all", provides: []string{"debconf-2.0"}})
}

// tree adds root and n packages prefix-0..prefix-(n-1), where package i
// depends on its children fanout*i+1..fanout*i+fanout. The dependency on a
// child takes one of several forms, as real indexes do: plain, versioned,
// through a virtual package, with an alternative that has no candidate, or
// with an ":any" qualifier. Every package has an older version too, and
// depends on the core libraries and on an excluded package. The closure of
// root is n+1 packages plus the core libraries.
func (g *indexGen) tree(root, prefix string, n, fanout int) {
	name := func(i int) string { return fmt.Sprintf("%s-%03d", prefix, i) }
	g.add(stanza{name: root, version: "1.0-1", arch: "all", depends: []string{name(0)}})
	for i := range n {
		s := stanza{
			name: name(i), version: fmt.Sprintf("%d.%d.%d-%d", 1+i%4, i%10, i%7, 1+i%3), arch: "amd64",
			preDepends: []string{"core-libc (>= 2.38)"},
			depends:    []string{"core-gcc-base", "core-zlib (>= 1:1.2)", "debconf (>= 0.5) | debconf-2.0"},
			provides:   []string{"virt-" + name(i)},
		}
		if i%4 == 0 {
			s.arch = "all"
		}
		for c := fanout*i + 1; c <= fanout*i+fanout && c < n; c++ {
			s.depends = append(s.depends, childDep(name(c), c))
		}
		g.add(stanza{name: s.name, version: "0.9-1", arch: s.arch}) // an older version, never chosen
		g.add(s)
	}
}

// childDep writes the dependency on package c in one of five forms.
func childDep(name string, c int) string {
	switch c % 5 {
	case 0:
		return name + " (>= 0.9-2)"
	case 1:
		return "virt-" + name
	case 2:
		return "missing-" + name + " | " + name
	case 3:
		return name + ":any"
	}
	return name
}

// filler adds n unrelated packages with random dependencies on earlier
// filler packages, a few virtual names and a second version for one in ten,
// so look-ups run against maps of a real index's size.
func (g *indexGen) filler(n int) {
	var names []string
	for n > 0 {
		i := len(names)
		s := stanza{name: fmt.Sprintf("lib%s%d", [...]string{"foo", "bar", "baz", "qux"}[i%4], i),
			version: fmt.Sprintf("%d:%d.%d-%d", i%3, i%13, i%29, 1+i%5), arch: [...]string{"amd64", "all"}[i%2]}
		for range g.rng.IntN(5) {
			if len(names) == 0 {
				break
			}
			dep := names[g.rng.IntN(len(names))]
			if g.rng.IntN(3) == 0 {
				dep += " (>= 0:0)"
			}
			s.depends = append(s.depends, dep)
		}
		if i%50 == 0 {
			s.provides = []string{fmt.Sprintf("virtual-%d", i/50)}
		}
		names = append(names, s.name)
		if i%10 == 0 && n > 1 {
			g.add(stanza{name: s.name, version: "0:0.1-1", arch: s.arch})
			n--
		}
		g.add(s)
		n--
	}
}

func (g *indexGen) add(s stanza) { g.stanzas = append(g.stanzas, s) }

// writeStanza writes s with the fields a real index carries, most of which
// the parser reads past.
func writeStanza(w *bytes.Buffer, s stanza, i int) {
	sum := sha256.Sum256([]byte(s.name + s.version))
	fmt.Fprintf(w, "Package: %s\nSource: %s-src\nVersion: %s\nInstalled-Size: %d\n", s.name, s.name, s.version, 10+i%9000)
	fmt.Fprintf(w, "Maintainer: Debian Maintainers <maint%d@example.invalid>\nArchitecture: %s\n", i%97, s.arch)
	if i%3 == 0 {
		w.WriteString("Multi-Arch: same\n")
	}
	writeList(w, "Pre-Depends", s.preDepends)
	writeList(w, "Depends", s.depends)
	writeList(w, "Provides", s.provides)
	fmt.Fprintf(w, "Description: synthetic package %d\n a longer description that spans\n .\n a few continuation lines.\n", i)
	fmt.Fprintf(w, "Homepage: https://example.org/%s\nSection: libs\nPriority: optional\n", s.name)
	fmt.Fprintf(w, "Filename: pool/main/%c/%s/%s_%s_%s.deb\nSize: %d\n", s.name[0], s.name, s.name, strings.ReplaceAll(s.version, ":", "%3a"), s.arch, 1000+i)
	fmt.Fprintf(w, "MD5sum: %x\nSHA256: %s\n\n", sum[:16], hex.EncodeToString(sum[:]))
}

func writeList(w *bytes.Buffer, field string, items []string) {
	if len(items) > 0 {
		fmt.Fprintf(w, "%s: %s\n", field, strings.Join(items, ", "))
	}
}

// parsedIndex parses the synthetic index once.
var parsedIndex = sync.OnceValues(func() ([]debian.Package, error) {
	return debian.ParsePackages(bytes.NewReader(syntheticIndex()))
})

func benchIndex(b *testing.B) *debian.Index {
	b.Helper()
	pkgs, err := parsedIndex()
	if err != nil {
		b.Fatalf("ParsePackages(synthetic) error = %v", err)
	}
	if len(pkgs) != indexStanzas {
		b.Fatalf("synthetic index has %d stanzas, want %d", len(pkgs), indexStanzas)
	}
	return debian.NewIndex(pkgs)
}

// BenchmarkParsePackages parses the whole synthetic index (about the size of
// trixie's amd64 Packages file).
func BenchmarkParsePackages(b *testing.B) {
	data := syntheticIndex()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		pkgs, err := debian.ParsePackages(bytes.NewReader(data))
		if err != nil {
			b.Fatal(err)
		}
		if len(pkgs) != indexStanzas {
			b.Fatalf("ParsePackages() = %d stanzas, want %d", len(pkgs), indexStanzas)
		}
	}
}

// BenchmarkNewIndex indexes the parsed synthetic index by name and Provides.
func BenchmarkNewIndex(b *testing.B) {
	benchIndex(b) // parse outside the timer
	pkgs, _ := parsedIndex()
	b.ReportAllocs()
	for b.Loop() {
		debian.NewIndex(pkgs)
	}
}

// BenchmarkResolve resolves a root with a small closure (like nginx's) and
// one with a large closure (like a toolchain's) in the synthetic index, with
// the default exclusions. The closure size is reported as pkgs/op.
func BenchmarkResolve(b *testing.B) {
	idx := benchIndex(b)
	for _, tc := range []struct {
		root string
		want int
	}{
		{smallRoot, 1 + 8 + len(coreLibs)},
		{bigRoot, 1 + 296 + len(coreLibs)},
	} {
		b.Run(tc.root, func(b *testing.B) {
			got, err := debian.Resolve(idx, []string{tc.root}, debian.DefaultExclude)
			if err != nil {
				b.Fatalf("Resolve(%s) error = %v", tc.root, err)
			}
			if len(got) != tc.want {
				b.Fatalf("Resolve(%s) = %d packages, want %d", tc.root, len(got), tc.want)
			}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := debian.Resolve(idx, []string{tc.root}, debian.DefaultExclude); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(got)), "pkgs/op")
		})
	}
}

// benchLock returns a lock shaped like a Hakyll site's for two
// architectures: 11 runtime packages each and 58 toolchain packages for
// amd64, 80 in all.
func benchLock(b *testing.B) []byte {
	b.Helper()
	pkgs := func(arch, prefix string, n int) []deb.Locked {
		var out []deb.Locked
		for i := range n {
			name := fmt.Sprintf("%s%02d", prefix, i)
			version := fmt.Sprintf("1:%d.%d-%d+deb13u%d", i%5, i, 1+i%3, i%2)
			sum := sha256.Sum256([]byte(arch + name))
			out = append(out, deb.Locked{
				Name: name, Version: version, Architecture: arch,
				Path: fmt.Sprintf("pool/main/%c/%s/%s_%s_%s.deb", name[0], name, name, strings.TrimPrefix(version, "1:"), arch),
				Size: int64(10000 + 997*i), SHA256: hex.EncodeToString(sum[:]),
			})
		}
		return out
	}
	l := &debian.Lock{
		Version: debian.LockVersion, Suite: "trixie", Date: time.Date(2025, 11, 21, 9, 15, 44, 0, time.UTC),
		Roots: []string{"nginx"}, Exclude: debian.DefaultExclude, Toolchain: []string{"ghc", "libghc-hakyll-dev"},
		Architectures: map[string]*debian.ArchLock{
			"amd64": {Runtime: pkgs("amd64", "libruntime", 11), Toolchain: pkgs("amd64", "libtool", 58)},
			"arm64": {Runtime: pkgs("arm64", "libruntime", 11)},
		},
	}
	data, err := l.Marshal()
	if err != nil {
		b.Fatalf("Lock.Marshal() error = %v", err)
	}
	return data
}

// BenchmarkParseLock reads and validates an 80-package layercake.lock.
func BenchmarkParseLock(b *testing.B) {
	data := benchLock(b)
	if _, err := debian.ParseLock(data); err != nil {
		b.Fatalf("ParseLock() error = %v", err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := debian.ParseLock(data); err != nil {
			b.Fatal(err)
		}
	}
}

// versionPairs covers what the resolver compares: epochs, tildes,
// revisions, security updates, binNMUs and long upstream versions.
var versionPairs = [][2]string{
	{"2.41-12+deb13u5", "2.41-12"},
	{"1:1.3.dfsg+really1.3.1-1+b1", "1:1.2.13.dfsg-1"},
	{"1.26.3-3", "1.26.3-3+deb13u1"},
	{"1.0~rc1-1", "1.0-1"},
	{"1.0~~a", "1.0~"},
	{"3.5.1-1", "3.5.1-1~bpo12+1"},
	{"14.2.0-19", "14.2.0-8"},
	{"2:9.1.1230-2", "9.1.1230-2"},
	{"0.20250101.1234567-1", "0.20241231.7654321-1"},
	{"1.2.3", "1.2.3"},
	{"4.16.0.0-1+b2", "4.16.0.0-1+b10"},
	{"7.0.0~git20240101.abcdef0-1", "7.0.0~git20231201.0fedcba-3"},
}

// BenchmarkCompareVersions compares each of versionPairs once per op; the
// cost of one comparison is reported as ns/compare.
func BenchmarkCompareVersions(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		for _, p := range versionPairs {
			debian.CompareVersions(p[0], p[1])
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(versionPairs)), "ns/compare")
}
