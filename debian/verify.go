package debian

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/ProtonMail/go-crypto/openpgp/armor"
	pgperrors "github.com/ProtonMail/go-crypto/openpgp/errors"
	"github.com/ProtonMail/go-crypto/openpgp/packet"
)

// maxSignature bounds a dearmored signature block; Debian's holds three
// signatures in about 1.5 KB.
const maxSignature = 1 << 20

// VerifyInRelease verifies a clearsigned InRelease file against keys and
// parses the signed text. At least one of its signatures must be made by a
// key of keys (a primary key or a signing subkey, as Debian uses) and verify.
//
// Expired keys: like apt (gpgv), a signature counts only when its key, and
// the subkey that made it, are neither expired nor revoked at now, and the
// signature itself has not expired. Debian signs each InRelease with the
// keys of two releases, so one expiring key does not break verification;
// when all have expired, the error says to update layercake's keyring. To
// check an old snapshot on purpose, pass a now from when its keys were valid.
//
// Only the signed text is parsed: an unsigned prefix is rejected, and
// anything after the signature block is ignored. Failures are *SignatureError.
func VerifyInRelease(data []byte, keys openpgp.EntityList, now time.Time) (*Release, error) {
	if err := checkVerifyArgs(keys, now); err != nil {
		return nil, err
	}
	cs, err := SplitClearsigned(data)
	if err != nil {
		return nil, malformed("InRelease", err)
	}
	sigs, err := signaturePackets(cs.Signature)
	if err != nil {
		return nil, malformed("InRelease", err)
	}
	if err := verifySignatures("InRelease", cs.SignedText(), sigs, keys, now); err != nil {
		return nil, err
	}
	return parseReleaseBody(cs.Body, cs.BodyLine-1)
}

// VerifyRelease verifies a Release file against its detached signature
// (Release.gpg, armored or binary) and keys, then parses it. Keys are judged
// as in VerifyInRelease. Failures are *SignatureError.
func VerifyRelease(release, detachedSig []byte, keys openpgp.EntityList, now time.Time) (*Release, error) {
	if err := checkVerifyArgs(keys, now); err != nil {
		return nil, err
	}
	sigs, err := signaturePackets(detachedSig)
	if err != nil {
		return nil, malformed("Release", fmt.Errorf("Release.gpg: %w", err))
	}
	if err := verifySignatures("Release", release, sigs, keys, now); err != nil {
		return nil, err
	}
	return parseReleaseBody(release, 0)
}

func checkVerifyArgs(keys openpgp.EntityList, now time.Time) error {
	if len(keys) == 0 {
		return errors.New("verifying the archive: no trusted keys")
	}
	if now.IsZero() {
		return errors.New("verifying the archive: no verification time")
	}
	return nil
}

func malformed(file string, err error) error {
	return &SignatureError{File: file, Problem: SignatureMalformed, Err: err}
}

// signaturePackets returns the OpenPGP packets of an armored signature block,
// or data itself when it is not armored.
func signaturePackets(data []byte) ([]byte, error) {
	if !bytes.HasPrefix(bytes.TrimLeft(data, " \t\r\n"), []byte("-----BEGIN ")) {
		return data, nil
	}
	block, err := armor.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	if block.Type != openpgp.SignatureType {
		return nil, fmt.Errorf("armored %q, want %q", block.Type, openpgp.SignatureType)
	}
	sigs, err := io.ReadAll(io.LimitReader(block.Body, maxSignature+1))
	if err == nil && len(sigs) > maxSignature {
		err = fmt.Errorf("signature larger than %d bytes", maxSignature)
	}
	return sigs, err
}

// verifySignatures accepts signed when any signature in sigs is made by a
// key of keys and verifies at now. Each trusted signature is tried in turn,
// so one expired key among Debian's signers does not hide the others.
func verifySignatures(file string, signed, sigs []byte, keys openpgp.EntityList, now time.Time) error {
	ring := &untriedKeys{EntityList: keys, tried: map[uint64]bool{}}
	cfg := &packet.Config{Time: func() time.Time { return now }}
	var rejected []string
	problem := SignatureUntrusted
	for {
		ring.matched = false
		sig, _, err := openpgp.VerifyDetachedSignature(ring, bytes.NewReader(signed), bytes.NewReader(sigs), cfg)
		switch {
		case err == nil:
			return nil
		case !ring.matched && len(rejected) == 0 && !errors.Is(err, pgperrors.ErrUnknownIssuer):
			return malformed(file, err)
		case !ring.matched:
			return rejection(file, problem, rejected, ring.seen)
		}
		ring.tried[ring.current] = true
		rejected = append(rejected, fmt.Sprintf("key %016X: %v%s", ring.current, err, clockHint(sig, now)))
		problem = max(problem, problemOf(err)) // report the gravest
	}
}

func rejection(file string, problem SignatureProblem, rejected []string, seen []uint64) error {
	if len(seen) == 0 {
		return malformed(file, errors.New("no signatures"))
	}
	if problem != SignatureUntrusted {
		return &SignatureError{File: file, Problem: problem, Details: rejected}
	}
	var details []string
	for _, id := range seen {
		details = append(details, fmt.Sprintf("signed by key %016X", id))
	}
	return &SignatureError{File: file, Problem: SignatureUntrusted, Details: details}
}

// clockHint explains a signature that seems to come from the future.
func clockHint(sig *packet.Signature, now time.Time) string {
	if sig == nil || !sig.CreationTime.After(now) {
		return ""
	}
	return fmt.Sprintf(" (made %s, after the verification time %s: check the clock)",
		sig.CreationTime.UTC().Format(time.RFC3339), now.UTC().Format(time.RFC3339))
}

// problemOf classifies the error of a signature whose key is trusted.
func problemOf(err error) SignatureProblem {
	if errors.Is(err, pgperrors.ErrKeyExpired) || errors.Is(err, pgperrors.ErrSignatureExpired) ||
		errors.Is(err, pgperrors.ErrKeyRevoked) {
		return SignatureExpired
	}
	return SignatureMismatch
}

// untriedKeys is a KeyRing that hides the issuers already tried, so that
// openpgp.VerifyDetachedSignature, which checks the first signature whose
// issuer it finds, moves on to the next one. It records every issuer seen
// and the one it answered for.
type untriedKeys struct {
	openpgp.EntityList
	tried   map[uint64]bool
	seen    []uint64
	current uint64
	matched bool
}

// KeysById returns keys' keys with id, unless id was tried.
func (u *untriedKeys) KeysById(id uint64) []openpgp.Key {
	if u.tried[id] {
		return nil
	}
	return u.EntityList.KeysById(id)
}

// KeysByIdUsage returns keys' keys with id and usage, unless id was tried,
// and records id.
func (u *untriedKeys) KeysByIdUsage(id uint64, usage byte) []openpgp.Key {
	if !slices.Contains(u.seen, id) {
		u.seen = append(u.seen, id)
	}
	if u.tried[id] {
		return nil
	}
	keys := u.EntityList.KeysByIdUsage(id, usage)
	if len(keys) > 0 {
		u.current, u.matched = id, true
	}
	return keys
}

var _ openpgp.KeyRing = (*untriedKeys)(nil)
