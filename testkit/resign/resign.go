// Package resign serves a Debian archive on loopback with its InRelease
// files signed again by a key made on the spot: an archive of one's own,
// for tests and benchmarks. With refresh, an expired Valid-Until is moved
// a week on, so a mirror that stopped updating a suite can still write a
// lock (builds from the lock read no index and can use the real mirror).
package resign

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/ProtonMail/go-crypto/openpgp/armor"
	"github.com/ProtonMail/go-crypto/openpgp/clearsign"
	"github.com/ProtonMail/go-crypto/openpgp/packet"
	"github.com/layercake-build/layercake/debian"
)

// Mirror serves the real archive on 127.0.0.1, except that InRelease is
// signed by a key made by Start.
type Mirror struct {
	upstream string
	key      *openpgp.Entity
	url      string
	// cfg dates the key and every signature an hour back, as a real archive
	// signs before a client reads: a signature made after the frontend took
	// its verification time (a second earlier) is refused, rightly.
	cfg *packet.Config
	// refresh moves an expired Valid-Until a week past now, for a mirror
	// that stopped updating a suite.
	refresh bool
	srv     *http.Server
}

// Start serves upstream, an archive URL, at URL(), on a free port of
// 127.0.0.1, until Close. With refresh, an expired Valid-Until is moved a
// week past now.
func Start(upstream string, refresh bool) (*Mirror, error) {
	upstream, err := archiveURL(upstream)
	if err != nil {
		return nil, err
	}
	signed := time.Now().Add(-time.Hour)
	cfg := &packet.Config{Time: func() time.Time { return signed }}
	key, err := openpgp.NewEntity("layercake test archive", "", "archive@example.invalid", cfg)
	if err != nil {
		return nil, fmt.Errorf("making the signing key: %w", err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	m := &Mirror{upstream: upstream, key: key, url: "http://" + l.Addr().String() + "/debian", cfg: cfg, refresh: refresh}
	m.srv = &http.Server{Handler: http.StripPrefix("/debian", m), ReadHeaderTimeout: 10 * time.Second}
	go m.srv.Serve(l)
	return m, nil
}

// URL is the archive URL the mirror serves, for DEBIAN_MIRROR.
func (m *Mirror) URL() string { return m.url }

// Close stops serving.
func (m *Mirror) Close() error { return m.srv.Close() }

// ServeHTTP answers InRelease re-signed, Release and Release.gpg not at
// all, and everything else from upstream.
func (m *Mirror) ServeHTTP(w http.ResponseWriter, r *http.Request) {
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
		m.proxy(w, r)
	}
}

// resign fetches the real InRelease and clearsigns its signed text again.
func (m *Mirror) resign(path string) ([]byte, error) {
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
		body = RefreshValidUntil(body, time.Now())
	}
	w.Write(body)
	if err := w.Close(); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// RefreshValidUntil moves a Release's Valid-Until that is past at now to a
// week after now; everything else, the index hashes too, stays.
func RefreshValidUntil(release []byte, now time.Time) []byte {
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

// indexClient fetches InRelease files: small, so a minute is plenty.
var indexClient = &http.Client{Timeout: time.Minute}

func (m *Mirror) get(path string) ([]byte, error) {
	resp, err := indexClient.Get(m.upstream + path)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("upstream %s: %s", path, resp.Status)
	}
	return io.ReadAll(resp.Body)
}

// proxy streams a file from upstream, for as long as the client waits.
func (m *Mirror) proxy(w http.ResponseWriter, r *http.Request) {
	req, err := http.NewRequestWithContext(r.Context(), http.MethodGet, m.upstream+r.URL.Path, nil)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	defer resp.Body.Close()
	if n := resp.Header.Get("Content-Length"); n != "" {
		w.Header().Set("Content-Length", n)
	}
	w.WriteHeader(resp.StatusCode)
	io.Copy(w, resp.Body)
}

// PublicKey is the armored public key of the mirror's signing key.
func (m *Mirror) PublicKey() (string, error) {
	var buf bytes.Buffer
	w, err := armor.Encode(&buf, openpgp.PublicKeyType, nil)
	if err != nil {
		return "", err
	}
	if err := m.key.Serialize(w); err != nil {
		return "", err
	}
	if err := w.Close(); err != nil {
		return "", err
	}
	return buf.String(), nil
}

// archiveURL checks that upstream is an http or https URL and drops a
// trailing slash, so paths join with one.
func archiveURL(upstream string) (string, error) {
	u, err := url.Parse(upstream)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("archive URL %q: want http://host/path or https://host/path, as in apt's URIs:", upstream)
	}
	return strings.TrimRight(upstream, "/"), nil
}

// suiteRE is what Expired accepts as a suite name (trixie, forky,
// trixie-security): no slash, no dot-dot.
var suiteRE = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)

// Expired reports whether the InRelease of suite at upstream is past its
// Valid-Until at now, as layercake (and apt) would refuse it. The
// signature is not checked: only the date matters here.
func Expired(upstream, suite string, now time.Time) (bool, error) {
	upstream, err := archiveURL(upstream)
	if err != nil {
		return false, err
	}
	if !suiteRE.MatchString(suite) {
		return false, fmt.Errorf("suite %q: want a name such as forky or trixie-security", suite)
	}
	path := "/dists/" + suite + "/InRelease"
	data, err := (&Mirror{upstream: upstream}).get(path)
	if err != nil {
		return false, err
	}
	cs, err := debian.SplitClearsigned(data)
	if err != nil {
		return false, fmt.Errorf("%s%s: %w", upstream, path, err)
	}
	rel, err := debian.ParseRelease(cs.Body)
	if err != nil {
		return false, fmt.Errorf("%s%s: %w", upstream, path, err)
	}
	return !rel.ValidUntil.IsZero() && now.After(rel.ValidUntil), nil
}
