package debian

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/url"
)

var _ Fetcher = (*httpFetcher)(nil)

// maxFetch bounds one fetched file; a Packages index is tens of megabytes.
const maxFetch = 512 << 20

// httpFetcher fetches from an archive over HTTP(S), for the tests that read
// a real archive. Both fields are required: there is no default mirror and
// no default client.
type httpFetcher struct {
	// BaseURL is the archive's root, the directory that holds dists/ and pool/.
	BaseURL string
	// Client performs the requests.
	Client *http.Client
}

// Fetch gets BaseURL/path and checks wantSHA256 when it is not "".
func (f *httpFetcher) Fetch(ctx context.Context, path, wantSHA256 string) ([]byte, error) {
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

func (f *httpFetcher) get(ctx context.Context, u string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	resp, err := f.Client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusNotFound || resp.StatusCode == http.StatusGone {
		return nil, fmt.Errorf("status %s: %w", resp.Status, fs.ErrNotExist)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("status %s", resp.Status)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxFetch+1))
	if err == nil && len(data) > maxFetch {
		err = fmt.Errorf("larger than %d bytes", maxFetch)
	}
	return data, err
}
