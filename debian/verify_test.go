package debian

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp"
)

const day = 24 * 60 * 60

func TestVerifyInRelease(t *testing.T) {
	key := newKey(t, "archive", 0, 0)
	got, err := VerifyInRelease(clearsignWith(t, releaseBody, key), publicKeys(t, key), verifyTime)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, wantRelease) {
		t.Errorf("VerifyInRelease() = %+v, want %+v", got, wantRelease)
	}
}

// wantProblem fails unless err is a *SignatureError with problem.
func wantProblem(t *testing.T, name string, err error, problem SignatureProblem) {
	t.Helper()
	var se *SignatureError
	if !errors.As(err, &se) || se.Problem != problem {
		t.Errorf("%s: error = %v, want a SignatureError with problem %d", name, err, problem)
	}
}

func TestVerifyInReleaseRejects(t *testing.T) {
	key, other := newKey(t, "archive", 0, 0), newKey(t, "other", 0, 0)
	signed := string(clearsignWith(t, releaseBody, key))
	tests := []struct {
		name    string
		in      string
		problem SignatureProblem
	}{
		// The signer is not in the keyring.
		{"other key", string(clearsignWith(t, releaseBody, other)), SignatureUntrusted},
		// One byte of a checksum changed after signing.
		{"tampered checksum", strings.Replace(signed, sha[:8], "0"+sha[1:8], 1), SignatureMismatch},
		// A line added after signing.
		{"added line", strings.Replace(signed, "Suite: stable\n", "Suite: stable\nNotAutomatic: yes\n", 1), SignatureMismatch},
		// An unsigned Release before the signed one must not be parsed.
		{"unsigned prefix", releaseBody + signed, SignatureMalformed},
		{"not clearsigned", releaseBody, SignatureMalformed},
		{"garbage signature", clearsign(releaseBody), SignatureMalformed},
		{"no signature packets", strings.Replace(signed, signed[strings.Index(signed, pgpSigBegin):], pgpSigBegin+"\n\n"+pgpSigEnd+"\n", 1), SignatureMalformed},
	}
	for _, tt := range tests {
		rel, err := VerifyInRelease([]byte(tt.in), publicKeys(t, key), verifyTime)
		if rel != nil {
			t.Errorf("%s: VerifyInRelease() = %+v, want nil", tt.name, rel)
		}
		wantProblem(t, tt.name, err, tt.problem)
	}
}

// Trailing whitespace and CRLF line ends are not signed (RFC 4880 7.1), so a
// mirror that adds them does not break the signature, and they are not parsed.
func TestVerifyInReleaseWhitespace(t *testing.T) {
	key := newKey(t, "archive", 0, 0)
	signed := strings.Replace(string(clearsignWith(t, releaseBody, key)), "Codename: trixie\n", "Codename: trixie \t\n", 1)
	signed = strings.ReplaceAll(signed, "\n", "\r\n")
	got, err := VerifyInRelease([]byte(signed), publicKeys(t, key), verifyTime)
	if err != nil || !reflect.DeepEqual(got, wantRelease) {
		t.Errorf("VerifyInRelease(CRLF, trailing blanks) = %+v, %v", got, err)
	}
}

// Expired keys are refused, as apt refuses them; a signature by another,
// valid key still verifies (Debian signs with two releases' keys).
func TestVerifyInReleaseExpiredKeys(t *testing.T) {
	short := newKey(t, "short", day, day)
	subOnly := newKey(t, "subkey expires", 0, day)
	long := newKey(t, "long", 0, 0)
	later := signTime.Add(2 * day * time.Second)
	tests := []struct {
		name    string
		signers []*openpgp.Entity
		keys    openpgp.EntityList
		now     time.Time
		problem SignatureProblem // 0: verifies
	}{
		{"within lifetime", []*openpgp.Entity{short}, publicKeys(t, short), verifyTime, 0},
		{"key expired", []*openpgp.Entity{short}, publicKeys(t, short), later, SignatureExpired},
		{"subkey expired", []*openpgp.Entity{subOnly}, publicKeys(t, subOnly), later, SignatureExpired},
		{"expired and valid", []*openpgp.Entity{short, long}, publicKeys(t, short, long), later, 0},
		{"valid and expired", []*openpgp.Entity{long, short}, publicKeys(t, short, long), later, 0},
		{"expired and untrusted", []*openpgp.Entity{short, long}, publicKeys(t, short), later, SignatureExpired},
		// A clock behind the archive's: the signature seems to come from the future.
		{"before the key existed", []*openpgp.Entity{long}, publicKeys(t, long), signTime.Add(-day * time.Second), SignatureExpired},
	}
	for _, tt := range tests {
		_, err := VerifyInRelease(clearsignWith(t, releaseBody, tt.signers...), tt.keys, tt.now)
		if tt.now.Before(signTime) && (err == nil || !strings.Contains(err.Error(), "check the clock")) {
			t.Errorf("%s: error = %v, want it to say to check the clock", tt.name, err)
		}
		if tt.problem == 0 && err != nil {
			t.Errorf("%s: VerifyInRelease() error = %v, want nil", tt.name, err)
		} else if tt.problem != 0 {
			wantProblem(t, tt.name, err, tt.problem)
		}
	}
}

func TestVerifyRelease(t *testing.T) {
	key, other := newKey(t, "archive", 0, 0), newKey(t, "other", 0, 0)
	body := []byte(releaseBody)
	for _, armored := range []bool{true, false} {
		got, err := VerifyRelease(body, detachSign(t, body, key, armored), publicKeys(t, key), verifyTime)
		if err != nil || !reflect.DeepEqual(got, wantRelease) {
			t.Errorf("VerifyRelease(armored=%v) = %+v, %v", armored, got, err)
		}
	}
	sig := detachSign(t, body, key, true)
	tampered := []byte(strings.Replace(releaseBody, "1234", "1235", 1))
	_, err := VerifyRelease(tampered, sig, publicKeys(t, key), verifyTime)
	wantProblem(t, "tampered", err, SignatureMismatch)
	_, err = VerifyRelease(body, detachSign(t, body, other, true), publicKeys(t, key), verifyTime)
	wantProblem(t, "other key", err, SignatureUntrusted)
	_, err = VerifyRelease(body, []byte("-----BEGIN PGP SIGNATURE-----\n\nnot base64\n-----END PGP SIGNATURE-----\n"), publicKeys(t, key), verifyTime)
	wantProblem(t, "garbage", err, SignatureMalformed)
	_, err = VerifyRelease(body, []byte("\x00\x01"), publicKeys(t, key), verifyTime)
	wantProblem(t, "binary garbage", err, SignatureMalformed)
}

// An empty keyring or a zero time is the caller's mistake, not the archive's.
func TestVerifyArguments(t *testing.T) {
	key := newKey(t, "archive", 0, 0)
	signed := clearsignWith(t, releaseBody, key)
	var se *SignatureError
	if _, err := VerifyInRelease(signed, nil, verifyTime); err == nil || errors.As(err, &se) {
		t.Errorf("VerifyInRelease(no keys) error = %v, want a plain error", err)
	}
	if _, err := VerifyInRelease(signed, publicKeys(t, key), time.Time{}); err == nil || errors.As(err, &se) {
		t.Errorf("VerifyInRelease(zero time) error = %v, want a plain error", err)
	}
	if _, err := VerifyRelease([]byte(releaseBody), nil, nil, verifyTime); err == nil {
		t.Error("VerifyRelease(no keys) = nil error")
	}
}

func TestSignatureErrorMessage(t *testing.T) {
	key, other := newKey(t, "archive", 0, 0), newKey(t, "other", 0, 0)
	_, err := VerifyInRelease(clearsignWith(t, releaseBody, other), publicKeys(t, key), verifyTime)
	sub, _ := other.SigningKey(signTime)
	for _, want := range []string{
		"the archive's InRelease is not signed by any trusted key",
		"signed by key " + strings.ToUpper(sub.PublicKey.KeyIdString()),
		"if this is your own archive, add its public key with debian.keys in the spec",
	} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error = %v, want it to contain %q", err, want)
		}
	}
	wrapped := &SignatureError{File: "Release", Problem: SignatureMalformed, Err: errTest}
	if !errors.Is(wrapped, errTest) {
		t.Error("SignatureError does not unwrap to its Err")
	}
}

var errTest = errors.New("test")
