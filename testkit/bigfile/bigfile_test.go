package bigfile

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// The file is valid JSON of about the size asked for, in a folder made for
// it, and the same bytes every time.
func TestJSON(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a", "x.json"), filepath.Join(dir, "b.json")
	for _, name := range []string{a, b} {
		if err := JSON(name, 100_000); err != nil {
			t.Fatal(err)
		}
	}
	da, err := os.ReadFile(a)
	if err != nil {
		t.Fatal(err)
	}
	db, err := os.ReadFile(b)
	if err != nil {
		t.Fatal(err)
	}
	if string(da) != string(db) {
		t.Error("two files of the same size differ")
	}
	if len(da) < 100_000 || len(da) > 100_200 {
		t.Errorf("%d bytes, want about 100,000", len(da))
	}
	var v []map[string]any
	if err := json.Unmarshal(da, &v); err != nil || len(v) < 1000 {
		t.Errorf("not a JSON list of records: %v (%d)", err, len(v))
	}
}
