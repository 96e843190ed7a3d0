package frontend

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/ProtonMail/go-crypto/openpgp/armor"
	pgpclearsign "github.com/ProtonMail/go-crypto/openpgp/clearsign"
	"github.com/ProtonMail/go-crypto/openpgp/packet"
	"github.com/layercake-build/layercake/debian"
	"github.com/ulikunitz/xz"
)

// archive is a signed Debian archive for trixie: its files by mirror URL and
// the public key (armored) that signed InRelease.
type archive struct {
	files  map[string][]byte
	pubKey []byte
	// detached are Release and Release.gpg, for an archive without InRelease.
	detached map[string][]byte
	key      *openpgp.Entity
}

// testSecurity is the security archive's default URL for testMirror.
const testSecurity = "http://archive.test/debian-security"

var archiveTime = time.Date(2025, 8, 9, 11, 12, 20, 0, time.UTC)

// packagesIndex lists nginx, its brotli module and libc6 for arch, as
// testPackage pins them.
func packagesIndex(arch string, pkgs []string) string {
	var b bytes.Buffer
	depends := map[string]string{"nginx": "libc6", "libnginx-mod-http-brotli-static": "nginx", "jekyll": "awk"}
	provides := map[string]string{"gawk": "awk", "mawk": "awk"}
	essential := map[string]bool{"dash": true, "util-linux": true}
	for _, p := range pkgs {
		tp := testPackage(p, arch)
		fmt.Fprintf(&b, "Package: %s\nVersion: %s\nArchitecture: %s\nFilename: %s\nSize: %d\nSHA256: %s\n", tp.Name, tp.Version, tp.Architecture, tp.Filename, tp.Size, tp.SHA256)
		if d := depends[p]; d != "" {
			b.WriteString("Depends: " + d + "\n")
		}
		if v := provides[p]; v != "" {
			b.WriteString("Provides: " + v + "\n")
		}
		if essential[p] {
			b.WriteString("Essential: yes\n")
		}
		b.WriteString("\n")
	}
	return b.String()
}

// newArchive signs an archive with a fresh key; now is after archiveTime
// (keys made "now" would not yet be valid at the Release's date otherwise).
func newArchive(t *testing.T, arches ...string) *archive {
	t.Helper()
	return newArchiveWith(t, nil, arches...)
}

// runtimePackages are the closure of llbgen.RuntimeRoots in the test archive.
var runtimePackages = []string{"nginx", "libc6", "libnginx-mod-http-brotli-static"}

// newArchiveWith also lists the extra packages (no dependencies).
func newArchiveWith(t *testing.T, extra []string, arches ...string) *archive {
	t.Helper()
	return newArchiveOf(t, append(slices.Clone(runtimePackages), extra...), arches...)
}

// newArchiveOf lists exactly pkgs in trixie; trixie-updates and
// trixie-security (at testSecurity) are served empty.
func newArchiveOf(t *testing.T, pkgs []string, arches ...string) *archive {
	t.Helper()
	cfg := &packet.Config{Algorithm: packet.PubKeyAlgoEdDSA, Time: func() time.Time { return archiveTime }}
	key, err := openpgp.NewEntity("archive", "test", "", cfg)
	if err != nil {
		t.Fatal(err)
	}
	a := &archive{files: map[string][]byte{}, key: key}
	indexes := map[string]string{}
	for _, arch := range arches {
		indexes[arch] = packagesIndex(arch, pkgs)
	}
	release := a.addSuite(t, testMirror, "trixie", "", indexes)
	for _, arch := range arches {
		indexes[arch] = ""
	}
	a.addSuite(t, testMirror, "trixie-updates", "", indexes)
	a.addSuite(t, testSecurity, "trixie-security", "", indexes)
	var detached bytes.Buffer
	if err := openpgp.ArmoredDetachSign(&detached, key, strings.NewReader(release), cfg); err != nil {
		t.Fatal(err)
	}
	a.detached = map[string][]byte{
		testMirror + "/dists/trixie/Release":     []byte(release),
		testMirror + "/dists/trixie/Release.gpg": detached.Bytes(),
	}
	var pub bytes.Buffer
	aw, err := armor.Encode(&pub, openpgp.PublicKeyType, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := key.Serialize(aw); err != nil {
		t.Fatal(err)
	}
	aw.Close()
	a.pubKey = pub.Bytes()
	return a
}

// addSuite serves suite at base: its InRelease, signed with a's key and
// with extra fields, and a Packages.xz per architecture. It returns the
// Release text.
func (a *archive) addSuite(t *testing.T, base, suite, extra string, indexes map[string]string) string {
	t.Helper()
	cfg := &packet.Config{Algorithm: packet.PubKeyAlgoEdDSA, Time: func() time.Time { return archiveTime }}
	release := "Suite: " + suite + "\nDate: Sat, 09 Aug 2025 11:12:20 UTC\n" + extra + "SHA256:\n"
	for _, arch := range slices.Sorted(maps.Keys(indexes)) {
		xzd := xzBytes(t, indexes[arch])
		name := "main/binary-" + arch + "/Packages.xz"
		a.files[base+"/dists/"+suite+"/"+name] = xzd
		sum := sha256.Sum256(xzd)
		release += fmt.Sprintf(" %s %d %s\n", hex.EncodeToString(sum[:]), len(xzd), name)
	}
	var signed bytes.Buffer
	w, err := pgpclearsign.Encode(&signed, a.key.PrivateKey, cfg)
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte(release))
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	a.files[base+"/dists/"+suite+"/InRelease"] = signed.Bytes()
	return release
}

func xzBytes(t *testing.T, s string) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, err := xz.NewWriter(&buf)
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte(s))
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// unlockedFake is a build of a spec trusting the archive's key, with no lock,
// from a served archive.
func unlockedFake(t *testing.T, a *archive, opts map[string]string) *fakeGateway {
	t.Helper()
	spec := "version: 1\ndebian:\n  suite: trixie\n  mirror: " + testMirror + "\n  keys: [keys/archive.asc]\nsite:\n  dir: public\n"
	g := newFake(spec, tree{"public/index.html": file("<h1>hi</h1>"), "keys/archive.asc": file(string(a.pubKey))}, opts)
	for u, data := range a.files {
		g.http[u] = data
	}
	return g
}

// writtenLock runs g, a build of the lock target, and returns the lock it
// wrote.
func writtenLock(t *testing.T, g *fakeGateway) *debian.Lock {
	t.Helper()
	res, err := run(t, g)
	if err != nil {
		t.Fatalf("Build() error = %v", err)
	}
	data, err := readAll(t.Context(), res.Ref.(files), LockFile)
	if err != nil {
		t.Fatal(err)
	}
	lock, err := debian.ParseLock(data)
	if err != nil {
		t.Fatalf("the written lock does not parse: %v\n%s", err, data)
	}
	return lock
}
