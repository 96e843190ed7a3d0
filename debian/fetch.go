package debian

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// Fetcher gets a file from a Debian archive by its mirror-relative path
// ("dists/trixie/InRelease", "dists/trixie/main/binary-amd64/Packages.xz").
// wantSHA256 is "" when the caller does not know the checksum yet; otherwise
// an implementation may use it (BuildKit's llb.HTTP checksum), and this
// package verifies it again anyway.
type Fetcher interface {
	Fetch(ctx context.Context, path, wantSHA256 string) ([]byte, error)
}

// FetcherFunc adapts a function to a Fetcher.
type FetcherFunc func(ctx context.Context, path, wantSHA256 string) ([]byte, error)

// Fetch calls f.
func (f FetcherFunc) Fetch(ctx context.Context, path, wantSHA256 string) ([]byte, error) {
	return f(ctx, path, wantSHA256)
}

var (
	_ Fetcher = FetcherFunc(nil)
	_ Fetcher = (*HTTPFetcher)(nil)
)

// maxFetch bounds one fetched file; a Packages index is tens of megabytes.
const maxFetch = 512 << 20

// HTTPFetcher fetches from an archive over HTTP(S), for tools that run
// outside BuildKit. Both fields are required: there is no default mirror and
// no default client.
type HTTPFetcher struct {
	// BaseURL is the archive's root, the directory that holds dists/ and pool/.
	BaseURL string
	// Client performs the requests.
	Client *http.Client
}

// Fetch gets BaseURL/path and checks wantSHA256 when it is not "".
func (f *HTTPFetcher) Fetch(ctx context.Context, path, wantSHA256 string) ([]byte, error) {
	if f == nil || f.Client == nil || f.BaseURL == "" {
		return nil, errors.New("http fetcher: base URL and client are required")
	}
	u, err := url.JoinPath(f.BaseURL, path)
	if err != nil {
		return nil, fmt.Errorf("fetching %s: %w", path, err)
	}
	data, err := f.get(ctx, u)
	if err != nil {
		return nil, fmt.Errorf("fetching %s: %w", path, err)
	}
	return data, verify(data, -1, wantSHA256)
}

func (f *HTTPFetcher) get(ctx context.Context, u string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	resp, err := f.Client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("status %s", resp.Status)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxFetch+1))
	if err == nil && len(data) > maxFetch {
		err = fmt.Errorf("larger than %d bytes", maxFetch)
	}
	return data, err
}

// verify checks data's sha256 against want (skipped when "") and its size
// against size (skipped when negative).
func verify(data []byte, size int64, want string) error {
	if size >= 0 && int64(len(data)) != size {
		return fmt.Errorf("size mismatch: got %d bytes, want %d", len(data), size)
	}
	if want == "" {
		return nil
	}
	sum := sha256.Sum256(data)
	if got := hex.EncodeToString(sum[:]); !strings.EqualFold(got, want) {
		return fmt.Errorf("sha256 mismatch: got %s, want %s", got, want)
	}
	return nil
}
