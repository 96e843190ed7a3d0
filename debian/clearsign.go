package debian

import (
	"bytes"
	"errors"
	"strings"
)

const (
	pgpSignedHeader = "-----BEGIN PGP SIGNED MESSAGE-----"
	pgpSigBegin     = "-----BEGIN PGP SIGNATURE-----"
	pgpSigEnd       = "-----END PGP SIGNATURE-----"
)

// Clearsigned is an OpenPGP clearsigned message split into its parts.
type Clearsigned struct {
	// Body is the signed text, line by line: dash-escaping and trailing spaces
	// and tabs removed (RFC 4880 section 7.1: they are not signed); lines end
	// in "\n". It is exactly what SignedText covers, so a verifier that checks
	// SignedText and then parses Body parses only signed bytes.
	Body []byte
	// BodyLine is the line of the input where Body starts, for error messages.
	BodyLine int
	// Signature is the armored signature block, from its BEGIN line to its END line.
	Signature []byte
}

// SplitClearsigned splits a clearsigned message (an InRelease file). It checks
// the armor's shape only; VerifyInRelease verifies Signature over SignedText.
// Nothing but blank lines may come before the message, so an unsigned prefix
// is never taken for the signed text.
func SplitClearsigned(data []byte) (*Clearsigned, error) {
	lines := strings.Split(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n")
	i := skipBlank(lines, 0)
	if i == len(lines) || strings.TrimSpace(lines[i]) != pgpSignedHeader {
		return nil, errors.New("clearsigned: missing " + pgpSignedHeader)
	}
	i = skipArmorHeaders(lines, i+1)
	if i == len(lines) {
		return nil, errors.New("clearsigned: missing blank line after armor headers")
	}
	cs := &Clearsigned{BodyLine: i + 2}
	var body bytes.Buffer
	for i++; i < len(lines) && strings.TrimSpace(lines[i]) != pgpSigBegin; i++ {
		body.WriteString(strings.TrimRight(strings.TrimPrefix(lines[i], "- "), " \t"))
		body.WriteByte('\n')
	}
	end := indexOf(lines, i, pgpSigEnd)
	if i == len(lines) || end < 0 {
		return nil, errors.New("clearsigned: missing signature block")
	}
	cs.Body = body.Bytes()
	cs.Signature = []byte(strings.Join(lines[i:end+1], "\n") + "\n")
	return cs, nil
}

// SignedText returns the bytes the signature covers: Body's lines joined by
// "\r\n", without the line break that precedes the signature block.
func (cs *Clearsigned) SignedText() []byte {
	text := bytes.TrimSuffix(cs.Body, []byte("\n"))
	return bytes.ReplaceAll(text, []byte("\n"), []byte("\r\n"))
}

func isClearsigned(data []byte) bool {
	return bytes.HasPrefix(bytes.TrimLeft(data, " \t\r\n"), []byte(pgpSignedHeader))
}

func skipBlank(lines []string, i int) int {
	for i < len(lines) && strings.TrimSpace(lines[i]) == "" {
		i++
	}
	return i
}

// skipArmorHeaders returns the index of the blank line that ends the headers.
func skipArmorHeaders(lines []string, i int) int {
	for i < len(lines) && strings.TrimSpace(lines[i]) != "" {
		i++
	}
	return i
}

func indexOf(lines []string, from int, want string) int {
	for i := from; i < len(lines); i++ {
		if strings.TrimSpace(lines[i]) == want {
			return i
		}
	}
	return -1
}
