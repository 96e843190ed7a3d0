package debian

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
)

// Fetcher gets a file from a Debian archive by its mirror-relative path
// ("dists/trixie/InRelease", "dists/trixie/main/binary-amd64/Packages.xz").
// wantSHA256 is "" when the caller does not know the checksum yet; otherwise
// an implementation may use it (BuildKit's llb.HTTP checksum), and this
// package verifies it again anyway. A file the archive does not have (HTTP
// 404 or 410) is an error that wraps fs.ErrNotExist, so that it is told
// apart from a download that failed.
type Fetcher interface {
	Fetch(ctx context.Context, path, wantSHA256 string) ([]byte, error)
}

// FetcherFunc adapts a function to a Fetcher.
type FetcherFunc func(ctx context.Context, path, wantSHA256 string) ([]byte, error)

// Fetch calls f.
func (f FetcherFunc) Fetch(ctx context.Context, path, wantSHA256 string) ([]byte, error) {
	return f(ctx, path, wantSHA256)
}

var _ Fetcher = FetcherFunc(nil)

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
