package integration

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/ProtonMail/go-crypto/openpgp/armor"
	"github.com/ProtonMail/go-crypto/openpgp/clearsign"
	"github.com/ProtonMail/go-crypto/openpgp/packet"
	"github.com/layercake-build/layercake/debian"
)

// resigningMirror serves the real archive on 127.0.0.1, except that
// InRelease is signed by a key made in the test: an archive of one's own.
type resigningMirror struct {
	upstream string
	key      *openpgp.Entity
	url      string
	// cfg dates the key and every signature an hour back, as a real archive
	// signs before a client reads: a signature made after the frontend took
	// its verification time (a second earlier) is refused, rightly.
	cfg *packet.Config
	// refresh moves an expired Valid-Until a week past now, for a mirror
	// that stopped updating a suite (see TestToolchainFromForky).
	refresh bool
}

func startResigningMirror(t *testing.T, upstream string) *resigningMirror {
	t.Helper()
	signed := time.Now().Add(-time.Hour)
	cfg := &packet.Config{Time: func() time.Time { return signed }}
	key, err := openpgp.NewEntity("layercake test archive", "", "archive@example.invalid", cfg)
	if err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	m := &resigningMirror{upstream: upstream, key: key, url: "http://" + l.Addr().String() + "/debian", cfg: cfg}
	srv := &http.Server{Handler: http.StripPrefix("/debian", m), ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(l)
	t.Cleanup(func() { srv.Close() })
	return m
}

func (m *resigningMirror) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch {
	case strings.HasSuffix(r.URL.Path, "/InRelease"):
		data, err := m.resign(r.URL.Path)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		w.Write(data)
	case strings.HasSuffix(r.URL.Path, "/Release"), strings.HasSuffix(r.URL.Path, "/Release.gpg"):
		http.NotFound(w, r) // only InRelease, so the test key is the only way in
	default:
		m.proxy(w, r.URL.Path)
	}
}

// resign fetches the real InRelease and clearsigns its signed text again.
func (m *resigningMirror) resign(path string) ([]byte, error) {
	data, err := m.get(path)
	if err != nil {
		return nil, err
	}
	cs, err := debian.SplitClearsigned(data)
	if err != nil {
		return nil, err
	}
	var out bytes.Buffer
	w, err := clearsign.Encode(&out, m.key.PrivateKey, m.cfg)
	if err != nil {
		return nil, err
	}
	body := cs.Body
	if m.refresh {
		body = refreshValidUntil(body, time.Now())
	}
	w.Write(body)
	if err := w.Close(); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// refreshValidUntil moves a Release's Valid-Until that is past at now to a
// week after now; everything else, the index hashes too, stays.
func refreshValidUntil(release []byte, now time.Time) []byte {
	lines := strings.Split(string(release), "\n")
	for i, l := range lines {
		v, ok := strings.CutPrefix(l, "Valid-Until: ")
		if !ok {
			continue
		}
		if t, err := time.Parse(time.RFC1123, strings.TrimSpace(v)); err == nil && t.Before(now) {
			lines[i] = "Valid-Until: " + now.Add(7*24*time.Hour).UTC().Format(time.RFC1123)
		}
	}
	return []byte(strings.Join(lines, "\n"))
}

func (m *resigningMirror) get(path string) ([]byte, error) {
	resp, err := http.Get(m.upstream + path)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("upstream %s: %s", path, resp.Status)
	}
	return io.ReadAll(resp.Body)
}

func (m *resigningMirror) proxy(w http.ResponseWriter, path string) {
	resp, err := http.Get(m.upstream + path)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	defer resp.Body.Close()
	w.WriteHeader(resp.StatusCode)
	io.Copy(w, resp.Body)
}

// publicKey is the armored public key of the mirror's signing key.
func (m *resigningMirror) publicKey(t *testing.T) string {
	t.Helper()
	var buf bytes.Buffer
	w, err := armor.Encode(&buf, openpgp.PublicKeyType, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.key.Serialize(w); err != nil {
		t.Fatal(err)
	}
	w.Close()
	return buf.String()
}

// TestOwnArchiveKey: an archive signed by a key the spec names in
// debian.keys resolves; without that key the build fails, naming the problem.
func TestOwnArchiveKey(t *testing.T) {
	e := need(t)
	t.Parallel()
	m := startResigningMirror(t, e.mirror)
	for _, tc := range []struct {
		name   string
		keys   string
		wantOK bool
	}{
		{"with debian.keys", "  keys: [keys/archive.asc]\n", true},
		{"without the key", "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			write(t, dir, "keys/archive.asc", m.publicKey(t))
			write(t, dir, "Dockerfile", fmt.Sprintf("# syntax=%s\nversion: 1\ndebian:\n  suite: trixie\n%ssite:\n  dir: .\n", e.frontend, tc.keys))
			out, err := e.tryBuild(t, build{dir: dir, args: []string{"--build-arg", "DEBIAN_MIRROR=" + m.url, "--target", "lock", "-o", t.TempDir()}})
			if (err == nil) != tc.wantOK {
				t.Fatalf("build error = %v, want success %v:\n%s", err, tc.wantOK, tail(out, 30))
			}
			if !tc.wantOK && !strings.Contains(out, "not signed by any trusted key") {
				t.Errorf("the failure does not say the signature is untrusted:\n%s", tail(out, 20))
			}
		})
	}
}
