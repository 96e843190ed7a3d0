// Command scanner is an SBOM generator for BuildKit's attest:sbom: the
// image hack/release attaches SBOMs with (tools/syft/Dockerfile puts it
// beside syft on scratch).
//
// BuildKit runs a generator image with the image to scan mounted read-only
// at $BUILDKIT_SCAN_SOURCE and an empty folder at $BUILDKIT_SCAN_DESTINATION;
// every file written there must be one in-toto statement, and the one whose
// name starts with "sbom." describes the image itself. Parameters given as
// attest:sbom=generator=…,KEY=VALUE arrive as $BUILDKIT_SCAN_KEY.
//
// syft writes a creation time from the wall clock and a random document
// namespace. With $BUILDKIT_SCAN_SOURCE_DATE_EPOCH set, the creation time is
// that epoch and the namespace is derived from the document's content, so
// the same image always gives the same bytes. Build contexts and stages
// ($BUILDKIT_SCAN_SOURCE_EXTRAS) are not scanned.
package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"time"
)

const (
	statementType = "https://in-toto.io/Statement/v0.1"
	predicateSPDX = "https://spdx.dev/Document"
	namespaceBase = "https://github.com/layercake-build/layercake/sbom/"
)

func main() {
	if err := scan(); err != nil {
		fmt.Fprintln(os.Stderr, "scanner:", err)
		os.Exit(1)
	}
}

func scan() error {
	src, dst := os.Getenv("BUILDKIT_SCAN_SOURCE"), os.Getenv("BUILDKIT_SCAN_DESTINATION")
	if src == "" || dst == "" {
		return errors.New("BUILDKIT_SCAN_SOURCE and BUILDKIT_SCAN_DESTINATION must be set (run me as attest:sbom=generator=<this image>)")
	}
	syft := exec.Command("/bin/syft", "scan", "dir:"+src, "--output", "spdx-json", "--quiet")
	syft.Env = append(os.Environ(), "SYFT_CHECK_FOR_APP_UPDATE=false")
	syft.Stderr = os.Stderr
	out, err := syft.Output()
	if err != nil {
		return fmt.Errorf("syft: %w", err)
	}
	doc, err := normalize(out, os.Getenv("BUILDKIT_SCAN_SOURCE_DATE_EPOCH"))
	if err != nil {
		return err
	}
	stmt, err := json.Marshal(map[string]any{
		"_type":         statementType,
		"predicateType": predicateSPDX,
		"subject":       []any{}, // BuildKit names the image as the subject
		"predicate":     doc,
	})
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dst, "sbom.spdx.json"), stmt, 0o644)
}

// normalize replaces syft's wall-clock creation time with the epoch and its
// random namespace with one derived from the rest of the document. Without
// an epoch the document is returned as syft wrote it.
func normalize(spdx []byte, epoch string) (json.RawMessage, error) {
	if epoch == "" {
		return spdx, nil
	}
	sec, err := strconv.ParseInt(epoch, 10, 64)
	if err != nil || sec < 0 {
		return nil, fmt.Errorf("BUILDKIT_SCAN_SOURCE_DATE_EPOCH=%q: want seconds since 1970 (attest:sbom=…,SOURCE_DATE_EPOCH=N)", epoch)
	}
	dec := json.NewDecoder(bytes.NewReader(spdx))
	dec.UseNumber() // keep numbers exactly as syft wrote them
	var doc map[string]any
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("reading syft's SPDX: %w", err)
	}
	info, ok := doc["creationInfo"].(map[string]any)
	if !ok {
		return nil, errors.New("syft's SPDX has no creationInfo")
	}
	info["created"] = time.Unix(sec, 0).UTC().Format(time.RFC3339)
	delete(doc, "documentNamespace")
	body, err := json.Marshal(doc) // map keys sorted: stable bytes
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(body)
	doc["documentNamespace"] = namespaceBase + hex.EncodeToString(sum[:])
	return json.Marshal(doc)
}
