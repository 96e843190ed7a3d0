package debian

import (
	"errors"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp"
)

// LoadOption changes how LoadIndex checks the archive's signature.
type LoadOption func(*loadConfig)

type loadConfig struct {
	keys      openpgp.EntityList
	keysSet   bool
	skipCheck bool
	now       time.Time
}

// WithKeyring makes LoadIndex trust keys instead of DebianKeyring, e.g.
// Debian's keys plus those of the user's own archive (append them). An empty
// keyring is an error.
func WithKeyring(keys openpgp.EntityList) LoadOption {
	return func(c *loadConfig) { c.keys, c.keysSet = keys, true }
}

// WithoutSignatureCheck makes LoadIndex trust the Release as fetched, with
// no signature check. It is for archives trusted by other means (tests, a
// file the caller verified itself); it cannot be combined with WithKeyring.
func WithoutSignatureCheck() LoadOption {
	return func(c *loadConfig) { c.skipCheck = true }
}

// WithVerifyTime sets the time at which the signing keys must be valid
// (see VerifyInRelease). The default is the current time.
func WithVerifyTime(t time.Time) LoadOption {
	return func(c *loadConfig) { c.now = t }
}

func newLoadConfig(opts []LoadOption) (*loadConfig, error) {
	c := &loadConfig{}
	for _, opt := range opts {
		if opt == nil {
			return nil, errors.New("nil LoadOption")
		}
		opt(c)
	}
	switch {
	case c.skipCheck && c.keysSet:
		return nil, errors.New("WithKeyring and WithoutSignatureCheck cannot be combined")
	case c.skipCheck:
		return c, nil
	case c.keysSet && len(c.keys) == 0:
		return nil, errors.New("WithKeyring: the keyring is empty")
	}
	if c.keysSet {
		return c, nil
	}
	var err error
	c.keys, err = DebianKeyring()
	return c, err
}

// verifyTime is the time signatures are checked at: the one set with
// WithTime, else the clock when the signature is checked, after the download
// (an archive may sign its index a moment before serving it).
func (c *loadConfig) verifyTime() time.Time {
	if c.now.IsZero() {
		return time.Now()
	}
	return c.now
}
