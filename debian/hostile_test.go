package debian

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

func TestProbeDebian(t *testing.T) {
	xzd := xzData(t, fixturePackages)
	rel := func(entries ...string) []byte { return []byte(releaseFor(false, entries...)) }
	load := func(files map[string][]byte) string {
		_, _, err := LoadIndex(context.Background(), &mapFetcher{files: files}, "trixie", "arm64")
		return fmt.Sprint(err)
	}
	const p = "dists/trixie/main/binary-arm64/Packages.xz"
	const ip = "main/binary-arm64/Packages.xz"
	trunc := xzd[:len(xzd)/2]
	big := xzData(t, "Package: a\nDescription: "+strings.Repeat("x", 2<<20)+"\n")
	t.Logf("trunc: %s", load(map[string][]byte{"dists/trixie/InRelease": rel(entry(trunc, ip)), p: trunc}))
	t.Logf("corrupt: %s", load(map[string][]byte{"dists/trixie/InRelease": rel(entry([]byte("\xfd7zXZ\x00garbage"), ip)), p: []byte("\xfd7zXZ\x00garbage")}))
	t.Logf("bigline: %s", load(map[string][]byte{"dists/trixie/InRelease": rel(entry(big, ip)), p: big}))
	t.Logf("100MB: %s", load(map[string][]byte{"dists/trixie/InRelease": rel(fmt.Sprintf(" %s %d %s\n", sum(xzd), 100<<20, ip)), p: xzd}))
	t.Logf("nodate: %s", load(map[string][]byte{"dists/trixie/InRelease": []byte("Suite: trixie\n")}))
	for _, l := range []string{
		" " + sum(xzd) + " 12 ",
		" " + strings.ToUpper(sum(xzd)) + " 12 " + ip,
		" " + sum(xzd) + " -1 " + ip,
		" " + sum(xzd) + " 12 ../" + ip,
		" " + sum(xzd) + " 12 /" + ip,
		" " + sum(xzd)[:63] + " 12 " + ip,
		" " + sum(xzd) + " 99999999999999999999 " + ip,
	} {
		_, err := ParseRelease([]byte("Date: Sat, 09 Aug 2025 11:12:20 UTC\nSHA256:\n" + l + "\n"))
		t.Logf("rel %q: %v", l[:10], err)
	}
	for _, d := range []string{"Depends: a (>= )", "Depends: a,", "Depends: a (>> 1", "Depends: A", "Depends: a | | b", "Depends: a (=> 1)", "Depends:", "Provides: x (>= 1)", "Depends: a [amd64", "Pre-Depends: a (>= 1:)"} {
		_, err := ParsePackages(strings.NewReader("Package: x\nVersion: 1\nArchitecture: all\n" + d + "\n"))
		t.Logf("%q: %v", d, err)
	}
	idx := index(t, pkg("a", "1", "amd64", "Depends: b (<< 2)")+pkg("b", "1", "amd64", "")+pkg("b", "2", "amd64", "")+pkg("c", "1", "amd64", "Depends: b (>= 2)")+pkg("d", "1", "amd64", "Depends: ghost")+pkg("e", "1", "amd64", "Depends: f (>= 3)")+pkg("f", "1", "amd64", "Depends: e"))
	for _, roots := range [][]string{{"a", "c"}, {"d"}, {"e"}, {"ghost"}, {"f"}} {
		_, err := Resolve(idx, roots, nil)
		t.Logf("%v: %T %v", roots, err, err)
	}
}
