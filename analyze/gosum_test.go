package analyze

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A module whose go.sum lacks entries is listed with copies of go.mod and go.sum that the go
// command completes outside the repository: the analysis goes on, says so, and writes nothing
// into the tree.
func TestMissingGoSum(t *testing.T) {
	src := filepath.Join("..", "testdata", "fixtures", "dbxalbums")
	dir := t.TempDir()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dir, rel), 0o755)
		}
		if rel == "go.sum" {
			return nil // the entries are missing
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if rel == "go.mod" {
			// an older module: its graph is not pruned, so the go command checks the go.mod
			// of every module it requires against go.sum
			data = []byte(strings.Replace(string(data), "go 1.24", "go 1.16", 1))
		}
		return os.WriteFile(filepath.Join(dir, rel), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	res, err := Run(context.Background(), Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Tables) == 0 || len(res.Deployables) == 0 {
		t.Errorf("tables %d, deployables %d: the packages were not read", len(res.Tables), len(res.Deployables))
	}
	said := false
	for _, w := range res.Warnings {
		said = said || w.Subject == "./go.mod" && strings.Contains(w.Message, "go.sum lacks entries")
	}
	if !said {
		t.Errorf("no warning says go.sum lacks entries: %+v", res.Warnings)
	}
	if _, err := os.Stat(filepath.Join(dir, "go.sum")); err == nil {
		t.Error("go.sum was written into the analysed tree")
	}
}
