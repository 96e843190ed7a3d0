package debian

import (
	"bytes"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/ProtonMail/go-crypto/openpgp/armor"
)

// The automatic signing keys (as subkeys) and the stable release keys of
// bookworm and trixie, which sign trixie's InRelease (see keys/README.md).
var debianSigningKeys = []string{
	"4CB50190207B4758A3F73A796ED0E7B82643E131", // 12/bookworm automatic, subkey
	"B8E5F13176D2A7A75220028078DBA3BC47EF2265", // 13/trixie automatic, subkey
	"4D64FEC119C2029067D6E791F8D2585B8783D481", // 12/bookworm stable release
	"41587F7DB8C774BCCF131416762F67A0B2C39DE4", // 13/trixie stable release
}

func TestDebianKeyring(t *testing.T) {
	keys, err := DebianKeyring()
	if err != nil {
		t.Fatal(err)
	}
	if len(keys) != 6 {
		t.Errorf("DebianKeyring() has %d keys, want 6", len(keys))
	}
	// Signing keys must be usable for signing at a date when all of them are valid.
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, fpr := range debianSigningKeys {
		found := false
		for _, k := range keys.KeysByIdUsage(keyIDOf(t, fpr), 0x02) {
			found = found || (strings.EqualFold(fingerprint(k.PublicKey.Fingerprint), fpr) && !k.Entity.Revoked(at))
		}
		if !found {
			t.Errorf("DebianKeyring() has no signing key %s", fpr)
		}
	}
	again, _ := DebianKeyring()
	again[0] = nil
	if keys, _ := DebianKeyring(); keys[0] == nil {
		t.Error("DebianKeyring() returns a shared slice")
	}
}

func keyIDOf(t *testing.T, fpr string) uint64 {
	t.Helper()
	var id uint64
	for _, c := range fpr[len(fpr)-16:] {
		id = id<<4 | uint64(strings.IndexRune("0123456789ABCDEF", c))
	}
	return id
}

func fingerprint(b []byte) string {
	const hex = "0123456789ABCDEF"
	var s strings.Builder
	for _, c := range b {
		s.WriteByte(hex[c>>4])
		s.WriteByte(hex[c&15])
	}
	return s.String()
}

func TestReadKeyFilesErrors(t *testing.T) {
	tests := map[string]fstest.MapFS{
		"no files":  {},
		"not a key": {"keys/a.pgp": {Data: []byte("hello")}},
		"empty":     {"keys/a.pgp": {Data: nil}},
	}
	for name, fsys := range tests {
		if keys, err := readKeyFiles(fsys, "keys/*.pgp"); err == nil {
			t.Errorf("%s: readKeyFiles() = %d keys, nil error", name, len(keys))
		}
	}
}

func TestReadKeys(t *testing.T) {
	key := newKey(t, "own archive", 0, 0)
	var binary, armored, secret bytes.Buffer
	if err := key.Serialize(&binary); err != nil {
		t.Fatal(err)
	}
	w, err := armor.Encode(&armored, openpgp.PublicKeyType, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := key.Serialize(w); err != nil || w.Close() != nil {
		t.Fatal(err)
	}
	if err := key.SerializePrivate(&secret, nil); err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{"binary": binary.Bytes(), "armored": armored.Bytes()} {
		keys, err := ReadKeys(data)
		if err != nil || len(keys) != 1 || keys[0].PrimaryKey.KeyId != key.PrimaryKey.KeyId {
			t.Errorf("ReadKeys(%s) = %d keys, %v", name, len(keys), err)
			continue
		}
		signed := clearsignWith(t, releaseBody, key)
		if _, err := VerifyInRelease(signed, keys, verifyTime); err != nil {
			t.Errorf("VerifyInRelease with ReadKeys(%s): %v", name, err)
		}
	}
	for name, data := range map[string][]byte{"secret": secret.Bytes(), "empty": nil, "garbage": []byte("hello")} {
		if keys, err := ReadKeys(data); err == nil {
			t.Errorf("ReadKeys(%s) = %d keys, nil error", name, len(keys))
		}
	}
}
