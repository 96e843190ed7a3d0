package debian

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"sync"

	"github.com/ProtonMail/go-crypto/openpgp"
)

// debianKeys holds Debian's archive signing keys, copied from the
// debian-archive-keyring package (see keys/README.md).
//
//go:embed keys/*.pgp
var debianKeys embed.FS

// DebianKeyring returns the public keys that sign Debian's archive (bookworm,
// trixie and forky), shipped with layercake in keys/. It is what LoadIndex
// verifies against unless given WithKeyring or WithoutSignatureCheck. The
// embedded files are parsed once; a parse error is returned on every call.
func DebianKeyring() (openpgp.EntityList, error) {
	keys, err := parsedDebianKeys()
	return slices.Clone(keys), err
}

var parsedDebianKeys = sync.OnceValues(func() (openpgp.EntityList, error) {
	return readKeyFiles(debianKeys, "keys/*.pgp")
})

// readKeyFiles parses every binary OpenPGP keyring in fsys matching pattern,
// in name order, and fails when there is none or a file holds no key.
func readKeyFiles(fsys fs.FS, pattern string) (openpgp.EntityList, error) {
	names, err := fs.Glob(fsys, pattern)
	if err != nil {
		return nil, err
	}
	if len(names) == 0 {
		return nil, errors.New("debian keyring: no key files")
	}
	var all openpgp.EntityList
	for _, name := range names {
		keys, err := readKeyFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("debian keyring: %s: %w", name, err)
		}
		all = append(all, keys...)
	}
	return all, nil
}

func readKeyFile(fsys fs.FS, name string) (openpgp.EntityList, error) {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, err
	}
	return ReadKeys(data)
}

// ReadKeys parses OpenPGP public keys, armored ("-----BEGIN PGP PUBLIC KEY
// BLOCK-----", as gpg --export --armor writes) or binary, e.g. a file named by
// debian.keys in the spec. A file with no key, or with a secret key, is an
// error. Append the result to DebianKeyring's and pass it to WithKeyring.
func ReadKeys(data []byte) (openpgp.EntityList, error) {
	var keys openpgp.EntityList
	var err error
	if bytes.HasPrefix(bytes.TrimLeft(data, " \t\r\n"), []byte("-----BEGIN ")) {
		keys, err = openpgp.ReadArmoredKeyRing(bytes.NewReader(data))
	} else {
		keys, err = openpgp.ReadKeyRing(bytes.NewReader(data))
	}
	if err != nil {
		return nil, err
	}
	if len(keys) == 0 {
		return nil, errors.New("no OpenPGP public key")
	}
	for _, e := range keys {
		if e.PrivateKey != nil {
			return nil, errors.New("holds a secret key: export only the public key (gpg --export --armor <key id>)")
		}
	}
	return keys, nil
}
