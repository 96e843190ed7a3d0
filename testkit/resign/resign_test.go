package resign

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/ProtonMail/go-crypto/openpgp/clearsign"
	"github.com/ProtonMail/go-crypto/openpgp/packet"
	"github.com/layercake-build/layercake/debian"
)

// An archive's own test key and the Valid-Untils of its two suites: "old"
// stopped updating, "current" did not.
var (
	pastValid   = time.Date(2026, 11, 6, 8, 0, 0, 0, time.UTC)
	futureValid = time.Now().Add(30 * 24 * time.Hour).UTC().Truncate(time.Second)
	deb         = []byte("!<arch>\nnot really a package\r\n;{}\"'\n")
)

func release(suite string, validUntil time.Time) string {
	return "Origin: Debian\nSuite: " + suite + "\nCodename: " + suite + "\n" +
		"Date: Sat, 01 Nov 2026 08:00:00 UTC\n" +
		"Valid-Until: " + validUntil.Format(time.RFC1123) + "\n" +
		"Architectures: amd64\nComponents: main\nSHA256:\n" +
		" 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef 1234 main/binary-amd64/Packages.xz\n"
}

// fakeArchive serves, on loopback, /debian/dists/{old,current}/InRelease
// clearsigned by its own key, a Release and a Release.gpg, and one file of
// the pool.
func fakeArchive(t *testing.T) (url string, upstreamKey *openpgp.Entity) {
	t.Helper()
	cfg := &packet.Config{Time: func() time.Time { return time.Now().Add(-2 * time.Hour) }}
	key, err := openpgp.NewEntity("upstream", "", "upstream@example.invalid", cfg)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{"/debian/pool/main/f/f.deb": deb}
	for suite, until := range map[string]time.Time{"old": pastValid, "current": futureValid} {
		var out bytes.Buffer
		w, err := clearsign.Encode(&out, key.PrivateKey, cfg)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(release(suite, until)))
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		files["/debian/dists/"+suite+"/InRelease"] = out.Bytes()
		files["/debian/dists/"+suite+"/Release"] = []byte(release(suite, until))
		files["/debian/dists/"+suite+"/Release.gpg"] = []byte("a signature")
	}
	files["/debian/dists/broken/InRelease"] = []byte("not clearsigned\n")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		data, ok := files[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Write(data)
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/debian", key
}

func start(t *testing.T, upstream string, refresh bool) (*Mirror, openpgp.EntityList) {
	t.Helper()
	m, err := Start(upstream, refresh)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	if !strings.HasPrefix(m.URL(), "http://127.0.0.1:") {
		t.Errorf("URL() = %q, want a loopback URL", m.URL())
	}
	armored, err := m.PublicKey()
	if err != nil {
		t.Fatal(err)
	}
	keys, err := openpgp.ReadArmoredKeyRing(strings.NewReader(armored))
	if err != nil {
		t.Fatalf("reading PublicKey(): %v", err)
	}
	if len(keys) != 1 || keys[0].PrivateKey != nil {
		t.Fatalf("PublicKey() holds %d entities (private %v), want one public key", len(keys), keys[0].PrivateKey != nil)
	}
	return m, keys
}

func fetch(t *testing.T, url string) (int, []byte) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, data
}

// TestResignedInRelease: the InRelease the mirror serves verifies with its
// own key and not with upstream's; Valid-Until moves only with refresh,
// and only when it is past; the rest of the Release stays as upstream's.
func TestResignedInRelease(t *testing.T) {
	upstream, upstreamKey := fakeArchive(t)
	for _, tc := range []struct {
		suite   string
		refresh bool
		moved   bool
	}{
		{"old", false, false},
		{"old", true, true},
		{"current", true, false},
		{"current", false, false},
	} {
		name := tc.suite
		if tc.refresh {
			name += " refreshed"
		}
		t.Run(name, func(t *testing.T) {
			m, keys := start(t, upstream+"/", tc.refresh) // a trailing slash too
			status, data := fetch(t, m.URL()+"/dists/"+tc.suite+"/InRelease")
			if status != http.StatusOK {
				t.Fatalf("GET InRelease = %d %s", status, data)
			}
			now := time.Now()
			rel, err := debian.VerifyInRelease(data, keys, now)
			if err != nil {
				t.Fatalf("VerifyInRelease with the mirror's key: %v", err)
			}
			if _, err := debian.VerifyInRelease(data, openpgp.EntityList{upstreamKey}, now); err == nil {
				t.Error("the re-signed InRelease verifies with upstream's key")
			}
			want := pastValid
			if tc.suite == "current" {
				want = futureValid
			}
			if tc.moved {
				if !rel.ValidUntil.After(now.Add(6*24*time.Hour)) || rel.ValidUntil.After(now.Add(8*24*time.Hour)) {
					t.Errorf("Valid-Until = %v, want a week after %v", rel.ValidUntil, now)
				}
			} else if !rel.ValidUntil.Equal(want) {
				t.Errorf("Valid-Until = %v, want upstream's %v", rel.ValidUntil, want)
			}
			cs, err := debian.SplitClearsigned(data)
			if err != nil {
				t.Fatal(err)
			}
			if got, orig := dropValidUntil(string(cs.Body)), dropValidUntil(release(tc.suite, want)); got != orig {
				t.Errorf("re-signed Release (without Valid-Until):\n%s\nwant upstream's:\n%s", got, orig)
			}
		})
	}
}

func dropValidUntil(s string) string {
	var keep []string
	for _, l := range strings.Split(strings.TrimRight(s, "\n"), "\n") {
		if !strings.HasPrefix(l, "Valid-Until:") {
			keep = append(keep, l)
		}
	}
	return strings.Join(keep, "\n")
}

// TestServesOnlyInRelease: Release and Release.gpg are hidden, so the
// mirror's key is the only way in; other files pass through unchanged,
// and upstream's failures reach the client.
func TestServesOnlyInRelease(t *testing.T) {
	upstream, _ := fakeArchive(t)
	m, _ := start(t, upstream, true)
	for _, tc := range []struct {
		path   string
		status int
		body   []byte
	}{
		{"/dists/old/Release", http.StatusNotFound, nil},
		{"/dists/old/Release.gpg", http.StatusNotFound, nil},
		{"/pool/main/f/f.deb", http.StatusOK, deb},
		{"/pool/main/g/g.deb", http.StatusNotFound, nil},
		{"/dists/missing/InRelease", http.StatusBadGateway, nil},
		{"/dists/broken/InRelease", http.StatusBadGateway, nil},
	} {
		status, data := fetch(t, m.URL()+tc.path)
		if status != tc.status || (tc.body != nil && !bytes.Equal(data, tc.body)) {
			t.Errorf("GET %s = %d %q, want %d %q", tc.path, status, data, tc.status, tc.body)
		}
	}
	if status, _ := fetch(t, strings.TrimSuffix(m.URL(), "/debian")+"/pool/main/f/f.deb"); status != http.StatusNotFound {
		t.Errorf("GET outside /debian = %d, want 404", status)
	}
}

// TestExpired reads Valid-Until as the frontend would refuse it.
func TestExpired(t *testing.T) {
	upstream, _ := fakeArchive(t)
	for _, tc := range []struct {
		suite string
		now   time.Time
		want  bool
	}{
		{"old", time.Now(), true},
		{"old", pastValid.Add(-time.Second), false},
		{"current", time.Now(), false},
		{"current", futureValid.Add(time.Second), true},
	} {
		got, err := Expired(upstream, tc.suite, tc.now)
		if err != nil || got != tc.want {
			t.Errorf("Expired(%s, %v) = %v, %v; want %v", tc.suite, tc.now, got, err, tc.want)
		}
	}
	for _, suite := range []string{"missing", "broken", "../old", "old/../old", "", "old\r\nX: y"} {
		if got, err := Expired(upstream, suite, time.Now()); err == nil {
			t.Errorf("Expired(%q) = %v, nil; want an error", suite, got)
		}
	}
}

// TestArchiveURL: only http(s) archive URLs are served, without a trailing slash.
func TestArchiveURL(t *testing.T) {
	for in, want := range map[string]string{
		"http://127.0.0.1:1/debian/":     "http://127.0.0.1:1/debian",
		"https://example.invalid/debian": "https://example.invalid/debian",
	} {
		if got, err := archiveURL(in); err != nil || got != want {
			t.Errorf("archiveURL(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"", "debian", "file:///srv/debian", "ftp://h/debian", "http:///debian", "http://h/debian?x=1", "http://h/debian#x", "http://h/deb\nian"} {
		if _, err := Start(in, false); err == nil {
			t.Errorf("Start(%q) succeeded, want an error", in)
		}
	}
}

// TestRefreshValidUntil: only a past, well-formed Valid-Until moves.
func TestRefreshValidUntil(t *testing.T) {
	now := time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC)
	week := "Valid-Until: Sun, 13 Dec 2026 12:00:00 UTC"
	for _, tc := range []struct{ in, want string }{
		{"Suite: old\nValid-Until: Fri, 06 Nov 2026 08:00:00 UTC\nX: y\n", "Suite: old\n" + week + "\nX: y\n"},
		{"Valid-Until: Mon, 07 Dec 2026 08:00:00 UTC\n", "Valid-Until: Mon, 07 Dec 2026 08:00:00 UTC\n"},
		{"Valid-Until: yesterday\n", "Valid-Until: yesterday\n"},
		{"Suite: old\n", "Suite: old\n"},
		{" Valid-Until: Fri, 06 Nov 2026 08:00:00 UTC\n", " Valid-Until: Fri, 06 Nov 2026 08:00:00 UTC\n"},
	} {
		if got := string(RefreshValidUntil([]byte(tc.in), now)); got != tc.want {
			t.Errorf("RefreshValidUntil(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
