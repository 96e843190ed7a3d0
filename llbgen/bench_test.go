package llbgen_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"testing"
	"time"

	"github.com/layercake-build/layercake/debian/deb"
	"github.com/layercake-build/layercake/llbgen"
	"github.com/layercake-build/layercake/spec"
	"github.com/moby/buildkit/client/llb"
	ocispecs "github.com/opencontainers/image-spec/specs-go/v1"
)

// staticPackages are the 11 runtime packages of trixie's nginx on amd64, as
// examples/static's lock pins them (sizes and checksums made up).
var staticPackages = [][2]string{
	{"gcc-14-base", "14.2.0-19"},
	{"libc6", "2.41-12+deb13u5"},
	{"libcrypt1", "1:4.4.38-1"},
	{"libgcc-s1", "14.2.0-19"},
	{"libpcre2-8-0", "10.46-1~deb13u3"},
	{"libssl3t64", "3.5.9-1~deb13u1"},
	{"libzstd1", "1.5.7+dfsg-1"},
	{"nginx", "1.26.3-3+deb13u10"},
	{"nginx-common", "1.26.3-3+deb13u10"},
	{"openssl-provider-legacy", "3.5.9-1~deb13u1"},
	{"zlib1g", "1:1.3.dfsg+really1.3.1-1+deb13u1"},
}

func benchInput(b *testing.B) llbgen.Input {
	b.Helper()
	s, err := spec.Load("Dockerfile", []byte("version: 1\ndebian:\n  suite: trixie\nserver:\n  port: 8080\nsite:\n  dir: public\n"))
	if err != nil {
		b.Fatalf("spec.Load() error = %v", err)
	}
	var pkgs []deb.Locked
	for i, p := range staticPackages {
		sum := sha256.Sum256([]byte(p[0]))
		pkgs = append(pkgs, deb.Locked{
			Name: p[0], Version: p[1], Architecture: "amd64",
			Path: "pool/main/x/" + p[0] + "/" + p[0] + "_" + p[1] + "_amd64.deb",
			Size: int64(50000 * (i + 1)), SHA256: hex.EncodeToString(sum[:]),
		})
	}
	amd64 := ocispecs.Platform{OS: "linux", Architecture: "amd64"}
	return llbgen.Input{
		Spec:          s,
		Packages:      pkgs,
		Mirror:        "http://example.org/debian",
		Platform:      amd64,
		BuildPlatform: amd64,
		Epoch:         time.Unix(1763716544, 0).UTC(),
		HelperImage:   "127.0.0.1:5000/layercake:bench",
		Context:       llb.Local("context", llb.LocalUniqueID("bench")),
	}
}

// buildAndMarshal is what the frontend does per platform before it solves:
// generate the LLB and marshal the image state.
func buildAndMarshal(in llbgen.Input) (*llb.Definition, error) {
	out, err := llbgen.Build(in)
	if err != nil {
		return nil, err
	}
	return out.Image.Marshal(context.Background())
}

// BenchmarkBuildAndMarshal generates the LLB of examples/static (11
// packages and four generated layers) and marshals the image. The issue's
// target is under 50 ms; the copy chain is what builders without MergeOp get.
func BenchmarkBuildAndMarshal(b *testing.B) {
	for _, tc := range []struct {
		name      string
		copyChain bool
	}{{"merge", false}, {"copychain", true}} {
		b.Run(tc.name, func(b *testing.B) {
			in := benchInput(b)
			in.CopyChain = tc.copyChain
			def, err := buildAndMarshal(in)
			if err != nil {
				b.Fatalf("Build and Marshal error = %v", err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := buildAndMarshal(in); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(def.Def)), "ops")
		})
	}
}
