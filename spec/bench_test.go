package spec_test

import (
	"testing"

	"github.com/layercake-build/layercake/spec"
)

// benchSpec is a realistic spec with every field of site.build set, as a
// Hakyll or Hugo site would write it, plus comments and an x- key.
const benchSpec = `# syntax=127.0.0.1:5000/layercake:dev
# A Hakyll blog, generated inside the build.
version: 1
epoch: 1735689600
debian:
  suite: trixie
  mirror: http://example.org/debian
  exclude: [libxml2, libxslt1.1]
server:
  port: 8080
site:
  build:
    packages: [ghc, libghc-hakyll-dev, git, ca-certificates]
    run: ghc -O0 -threaded -rtsopts site.hs -outputdir /tmp/ghc -o /tmp/site && /tmp/site build
    workdir: .
    output: _site
    env:
      LANG: C.UTF-8
      HAKYLL_ENV: production
      GHCRTS: -M1g
    network: false
    cache: [/root/.cache/hakyll, /root/.ghc]
    gitignore: true
x-notes:
  owner: web team
  reviewed: 2025-01-01
`

// BenchmarkLoad measures parsing, validation and defaults of one spec.
func BenchmarkLoad(b *testing.B) {
	data := []byte(benchSpec)
	if _, err := spec.Load("Dockerfile", data); err != nil {
		b.Fatalf("spec.Load() error = %v", err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := spec.Load("Dockerfile", data); err != nil {
			b.Fatal(err)
		}
	}
}
