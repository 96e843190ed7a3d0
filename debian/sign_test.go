package debian

import (
	"bytes"
	"testing"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp"
	pgpclearsign "github.com/ProtonMail/go-crypto/openpgp/clearsign"
	"github.com/ProtonMail/go-crypto/openpgp/packet"
)

// signTime is when the test keys are made and sign; it is the fixtures' Date.
var signTime = time.Date(2025, 8, 9, 11, 12, 20, 0, time.UTC)

// verifyTime is an hour after signTime, inside every test key's lifetime.
var verifyTime = signTime.Add(time.Hour)

func pgpConfig(lifetimeSecs uint32) *packet.Config {
	return &packet.Config{
		Algorithm:       packet.PubKeyAlgoEdDSA,
		Time:            func() time.Time { return signTime },
		KeyLifetimeSecs: lifetimeSecs,
	}
}

// newKey makes a key that signs with a subkey, as Debian's archive keys do.
// A lifetime of 0 never expires; subLifetime applies to the signing subkey.
func newKey(t testing.TB, name string, lifetime, subLifetime uint32) *openpgp.Entity {
	t.Helper()
	e, err := openpgp.NewEntity(name, "test", "", pgpConfig(lifetime))
	if err != nil {
		t.Fatal(err)
	}
	if err := e.AddSigningSubkey(pgpConfig(subLifetime)); err != nil {
		t.Fatal(err)
	}
	return e
}

// publicKeys returns the public parts of es, read back from their
// serialization as a shipped key file would be.
func publicKeys(t testing.TB, es ...*openpgp.Entity) openpgp.EntityList {
	t.Helper()
	var buf bytes.Buffer
	for _, e := range es {
		if err := e.Serialize(&buf); err != nil {
			t.Fatal(err)
		}
	}
	keys, err := openpgp.ReadKeyRing(&buf)
	if err != nil {
		t.Fatal(err)
	}
	return keys
}

// clearsignWith clearsigns body with each of es (Debian signs with several keys).
func clearsignWith(t testing.TB, body string, es ...*openpgp.Entity) []byte {
	t.Helper()
	var privs []*packet.PrivateKey
	for _, e := range es {
		k, ok := e.SigningKey(signTime)
		if !ok || k.PublicKey == e.PrimaryKey {
			t.Fatalf("%v has no signing subkey", e.Identities)
		}
		privs = append(privs, k.PrivateKey)
	}
	var buf bytes.Buffer
	w, err := pgpclearsign.EncodeMulti(&buf, privs, pgpConfig(0))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write([]byte(body)); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// detachSign makes an armored (Release.gpg) or binary detached signature.
func detachSign(t testing.TB, data []byte, e *openpgp.Entity, armored bool) []byte {
	t.Helper()
	sign := openpgp.DetachSign
	if armored {
		sign = openpgp.ArmoredDetachSign
	}
	var buf bytes.Buffer
	if err := sign(&buf, e, bytes.NewReader(data), pgpConfig(0)); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
