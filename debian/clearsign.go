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
	// Body is the signed text with dash-escaping removed; lines end in "\n".
	Body []byte
	// BodyLine is the line of the input where Body starts, for error messages.
	BodyLine int
	// Signature is the armored signature block, from its BEGIN line to its END line.
	Signature []byte
}

// SplitClearsigned splits a clearsigned message (an InRelease file). It checks
// the armor's shape only; verifying Signature over Body is left to the caller.
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
		body.WriteString(strings.TrimPrefix(lines[i], "- "))
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
