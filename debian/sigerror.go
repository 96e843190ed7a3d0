package debian

import "strings"

// SignatureProblem says why an archive's signature was not accepted.
type SignatureProblem int

const (
	// SignatureMalformed: the file is not a well-formed clearsigned message or
	// OpenPGP signature.
	SignatureMalformed SignatureProblem = iota + 1
	// SignatureMissing: the archive serves neither InRelease nor Release.gpg.
	SignatureMissing
	// SignatureUntrusted: no signature was made by a key of the keyring.
	SignatureUntrusted
	// SignatureExpired: every trusted signature was made by a key (or subkey)
	// that is expired or revoked at the verification time, or has itself
	// expired or is dated after it (a clock behind the archive's).
	SignatureExpired
	// SignatureMismatch: a trusted key's signature does not match the signed
	// bytes (the file was changed after signing, or is corrupt). It is the
	// gravest problem: reported even when another signature has expired.
	SignatureMismatch
)

var signatureProblems = map[SignatureProblem][2]string{
	SignatureMalformed: {"is not a valid signed file",
		"check that debian.mirror points at a Debian archive"},
	SignatureMissing: {"has no signature: the archive serves neither InRelease nor Release.gpg",
		"sign the archive and add its public key with debian.keys in the spec"},
	SignatureUntrusted: {"is not signed by any trusted key",
		"if this is your own archive, add its public key with debian.keys in the spec"},
	SignatureMismatch: {"has a signature by a trusted key that does not match its content",
		"the file changed after it was signed (a broken or tampered mirror, or one caught mid-update); try again or use another mirror"},
	SignatureExpired: {"is signed only by expired or revoked keys",
		"update layercake for a newer Debian keyring; for your own archive, renew its key and update debian.keys"},
}

// SignatureError reports an archive index (InRelease, or Release with
// Release.gpg) whose signature was not accepted. Its message says what to do.
type SignatureError struct {
	// File is "InRelease" or "Release".
	File string
	// Problem says why the signature was not accepted.
	Problem SignatureProblem
	// Details lists what was seen, e.g. "key 6ED0E7B82643E131: openpgp: key expired"
	// or "signed by 6ED0E7B82643E131"; it may be empty.
	Details []string
	// Err is the underlying error, if any.
	Err error
}

func (e *SignatureError) Error() string {
	text, ok := signatureProblems[e.Problem]
	if !ok {
		text = [2]string{"was not verified", "check the archive's signature"}
	}
	var b strings.Builder
	b.WriteString("the archive's " + e.File + " " + text[0])
	if len(e.Details) > 0 {
		b.WriteString(" (" + strings.Join(e.Details, "; ") + ")")
	}
	if e.Err != nil {
		b.WriteString(": " + e.Err.Error())
	}
	b.WriteString("; " + text[1])
	return b.String()
}

// Unwrap returns the underlying error.
func (e *SignatureError) Unwrap() error { return e.Err }
