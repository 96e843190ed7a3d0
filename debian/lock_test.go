package debian

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/layercake-build/layercake/debian/deb"
)

var update = flag.Bool("update", false, "rewrite testdata golden files")

func lockPkg(name, version, arch string) Package {
	_, fileVersion, _ := strings.Cut(version, ":")
	if fileVersion == "" {
		fileVersion = version
	}
	return Package{
		Name: name, Version: version, Architecture: arch, Size: 1000 + int64(len(name)), SHA256: sha,
		Filename: "pool/main/" + name[:1] + "/" + name + "/" + name + "_" + fileVersion + "_" + arch + ".deb",
	}
}

// fromArchive sets the archive p comes from, as LoadIndexes does.
func fromArchive(p Package, suite string) Package {
	p.Archive = suite
	return p
}

func testLock() *Lock {
	rel := &Release{Date: time.Date(2025, 8, 9, 11, 12, 20, 0, time.FixedZone("CEST", 2*3600))}
	updates := &Release{Date: time.Date(2025, 11, 30, 8, 0, 0, 0, time.UTC)}
	security := &Release{Date: time.Date(2025, 12, 5, 20, 14, 3, 0, time.UTC)}
	l := lockFrom(rel, "trixie", []string{"nginx"}, []string{"perl-base", "debconf", "debconf"}, "amd64", []Package{
		fromArchive(lockPkg("zlib1g", "1:1.3.dfsg+really1.3.1-1", "amd64"), "trixie"),
		fromArchive(lockPkg("nginx", "1.26.3-3+deb13u12", "amd64"), "trixie-security"),
		fromArchive(lockPkg("nginx-common", "1.26.3-3+deb13u12", "all"), "trixie-security"),
	})
	l.Set("arm64", []Package{fromArchive(lockPkg("nginx", "1.26.3-3+deb13u12", "arm64"), "trixie-security"), fromArchive(lockPkg("libc6", "2.41-12+deb13u1", "arm64"), "trixie-updates")})
	l.SetArchives([]string{"trixie", "trixie-updates", "trixie-security"}, []*Release{rel, updates, security})
	return l
}

func TestLockGolden(t *testing.T) {
	got, err := testLock().Marshal()
	if err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "layercake.lock.golden")
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("Marshal() =\n%s\nwant\n%s", got, want)
	}
	for range 10 {
		if again, _ := testLock().Marshal(); !bytes.Equal(again, got) {
			t.Fatal("Marshal() is not deterministic")
		}
	}
}

func TestLockRoundTrip(t *testing.T) {
	data, err := testLock().Marshal()
	if err != nil {
		t.Fatal(err)
	}
	l, err := ParseLock(data)
	if err != nil {
		t.Fatal(err)
	}
	again, err := l.Marshal()
	if err != nil || !bytes.Equal(again, data) {
		t.Errorf("round trip changed the lock: %v\n%s", err, again)
	}
	if l.Date.Location() != time.UTC || l.Architectures["arm64"].Runtime[0].Name != "libc6" {
		t.Errorf("ParseLock() = %+v", l)
	}
}

// lockFrom builds a lock for one architecture from a Release and the
// resolved packages, as the frontend does.
func lockFrom(rel *Release, suite string, roots, exclude []string, arch string, pkgs []Package) *Lock {
	l := &Lock{
		Version:       LockVersion,
		Suite:         suite,
		Date:          rel.Date.UTC(),
		Roots:         sortedUnique(roots),
		Exclude:       sortedUnique(exclude),
		Architectures: map[string]*ArchLock{},
	}
	l.SetArchives([]string{suite}, []*Release{rel})
	for i := range pkgs {
		if pkgs[i].Archive == "" {
			pkgs[i].Archive = suite
		}
	}
	l.Set(arch, pkgs)
	return l
}

// A lock of format 1 (one suite, written by the previous release) is read
// as one archive, the suite, and written again in the current format
// changing nothing but the version and the archives.
func TestParseLockVersionOne(t *testing.T) {
	v1, err := os.ReadFile(filepath.Join("testdata", "layercake-v1.lock"))
	if err != nil {
		t.Fatal(err)
	}
	l, err := ParseLock(v1)
	if err != nil {
		t.Fatalf("ParseLock(version 1) = %v", err)
	}
	if l.Version != 1 || len(l.Archives) != 1 || l.Archives[0].Suite != "trixie" || !l.Archives[0].Date.Equal(l.Date) {
		t.Errorf("ParseLock(version 1) = version %d, archives %+v, want version 1 and one archive, trixie of %v", l.Version, l.Archives, l.Date)
	}
	for _, p := range l.Architectures["amd64"].Runtime {
		if p.Archive != "trixie" {
			t.Errorf("ParseLock(version 1): %s comes from %q, want trixie", p.Name, p.Archive)
		}
	}
	out, err := l.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	var changed []string
	oldLines := strings.Split(string(v1), "\n")
	for _, line := range strings.Split(string(out), "\n") {
		if !slices.Contains(oldLines, line) {
			changed = append(changed, strings.TrimSpace(line))
		}
	}
	slices.Sort(changed)
	changed = slices.Compact(changed)
	want := []string{`"archive": "trixie",`, `"archives": [`, `"date": "2025-08-09T09:12:20Z"`, `"suite": "trixie",`, `"version": 2,`, "{"}
	if !slices.Equal(changed, want) {
		t.Errorf("writing a version 1 lock again added lines %q, want only %q", changed, want)
	}
}

func TestParseLockErrors(t *testing.T) {
	good, err := testLock().Marshal()
	if err != nil {
		t.Fatal(err)
	}
	edit := func(old, new string) string {
		if !bytes.Contains(good, []byte(old)) {
			t.Fatalf("golden lock has no %q", old)
		}
		return strings.Replace(string(good), old, new, 1)
	}
	tests := []struct {
		name, in, wantErr string
	}{
		{"unknown field", edit(`"suite"`, `"extra": 1, "suite"`), "unknown field"},
		{"newer version", edit(`"version": 2`, `"version": 3`), "written by a newer layercake; upgrade"},
		{"older version", edit(`"version": 2`, `"version": 0`), "unsupported version 0"},
		{"missing version", edit(`"version": 2,`, ``), "missing version"},
		{"version 1 with archives", edit(`"version": 2`, `"version": 1`), "version 1 has no archives"},
		{"package from another archive", edit(`"archive": "trixie-updates"`, `"archive": "bookworm"`), `archive "bookworm" is not among the lock's archives`},
		{"archive listed twice", edit(`"suite": "trixie-updates"`, `"suite": "trixie-security"`), "trixie-security is listed twice"},
		{"archives without the suite", edit(`"suite": "trixie",`+"\n      \"date\"", `"suite": "trixie-backports",`+"\n      \"date\""), `archives do not include the suite "trixie"`},
		{"bad sha256", edit(sha, strings.ToUpper(sha)), "sha256 must be 64 lowercase hex"},
		{"short sha256", edit(sha, "abc"), "sha256 must be"},
		{"dotdot path", edit(`"pool/main/n/nginx/`, `"pool/../n/nginx/`), "not a clean relative .deb path"},
		{"absolute path", edit(`"pool/main/n/nginx/`, `"/pool/main/n/nginx/`), "not a clean relative .deb path"},
		{"url path", edit(`"pool/main/n/nginx/`, `"http://example.org/pool/`), "://"},
		{"url suite", edit(`"trixie"`, `"https://example.org"`), "://"},
		{"bad version", edit(`"2.41-12+deb13u1"`, `"x"`), "invalid version"},
		{"wrong arch", edit(`"architecture": "arm64"`, `"architecture": "amd64"`), "neither"},
		{"zero size", edit(`"size": 1005`, `"size": 0`), "size must be positive"},
		{"trailing data", string(good) + "{}", "after top-level value"},
		{"not json", "version: 1", "parsing lock"},
		{"no date", edit(`"date": "2025-08-09T09:12:20Z",`, ``), "missing date"},
		{"no archives", `{"version": 2, "suite": "trixie", "date": "2025-08-09T09:12:20Z", "roots": ["nginx"], "exclude": [], "architectures": {}}`, "no archives"},
		{"no architectures", `{"version": 1, "suite": "trixie", "date": "2025-08-09T09:12:20Z", "roots": ["nginx"], "exclude": [], "architectures": {}}`, "no architectures"},
		{"null arch", `{"version": 1, "suite": "trixie", "date": "2025-08-09T09:12:20Z", "roots": ["nginx"], "exclude": [], "architectures": {"amd64": null}}`, "missing packages"},
	}
	for _, tt := range tests {
		_, err := ParseLock([]byte(tt.in))
		if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
			t.Errorf("%s: ParseLock() error = %v, want %q", tt.name, err, tt.wantErr)
		}
	}
}

func TestMarshalInvalidLock(t *testing.T) {
	l := testLock()
	l.Architectures["amd64"].Runtime[0].SHA256 = ""
	if _, err := l.Marshal(); err == nil {
		t.Error("Marshal(invalid lock) = nil error")
	}
}

func TestDebArch(t *testing.T) {
	tests := []struct{ arch, variant, want string }{
		{"amd64", "", "amd64"}, {"amd64", "v3", "amd64"}, {"arm64", "v8", "arm64"}, {"arm", "v7", "armhf"}, {"arm", "", "armhf"},
		{"arm", "v6", "armel"}, {"386", "", "i386"}, {"ppc64le", "", "ppc64el"}, {"s390x", "", "s390x"},
		{"riscv64", "", "riscv64"}, {"mips64le", "", "mips64el"},
	}
	for _, tt := range tests {
		if got, err := deb.Arch(tt.arch, tt.variant); err != nil || got != tt.want {
			t.Errorf("deb.Arch(%q, %q) = %q, %v, want %q", tt.arch, tt.variant, got, err, tt.want)
		}
	}
	for _, bad := range [][2]string{{"wasm", ""}, {"arm", "v8"}, {"", ""}} {
		if got, err := deb.Arch(bad[0], bad[1]); err == nil {
			t.Errorf("deb.Arch(%q, %q) = %q, want error", bad[0], bad[1], got)
		}
	}
}
