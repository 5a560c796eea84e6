package typed

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
)

// TestPrefetchDropsText checks that a file's text is dropped once it is parsed, where the
// reader of the listing has its facts and its tree serves, and is held for the reader
// otherwise: a file it wants whole whose bodies were blanked, or one that was not parsed.
func TestPrefetchDropsText(t *testing.T) {
	root := t.TempDir()
	inert := "package store\n\nfunc a(x int) {\n\tx++\n}\n\nfunc b(x int) {\n\tx--\n}\n\nfunc c(x, y int) {\n\tx, y = y, x\n}\n"
	files := map[string]string{
		"store/query.go":      "package store\n\nimport \"database/sql\"\n\nfunc Get(db *sql.DB) error {\n\t_, err := db.Exec(\"DELETE FROM users\")\n\treturn err\n}\n",
		"store/inert.go":      inert,
		"store/kind.go":       inert + "\n// serve\n", // the reader wants its whole tree
		"store/query_test.go": "package store\n",
	}
	rels := writeTree(t, root, files)
	summarize := func(src []byte) ([]byte, bool, bool) {
		return []byte(strconv.Itoa(len(src))), bytes.Contains(src, []byte("database/sql")), bytes.Contains(src, []byte("serve"))
	}
	pre := StartPrefetch(context.Background(), root, rels, false, false, nil, func(p string) bool { return p == "database/sql" }, summarize)
	pre.Parse()
	for _, rel := range rels {
		<-pre.files[rel].parsed
	}
	for _, c := range []struct {
		rel  string
		held bool
	}{
		{"store/query.go", false},     // parsed whole, and the tree serves the reader
		{"store/inert.go", false},     // its bodies blanked, but the reader wants no whole tree
		{"store/kind.go", true},       // blanked, and the reader wants the whole tree
		{"store/query_test.go", true}, // a test file: not parsed
	} {
		if facts, ok := pre.Facts(c.rel); !ok || string(facts) != strconv.Itoa(len(files[c.rel])) {
			t.Errorf("%s: facts %v, %v; want %d", c.rel, facts, ok, len(files[c.rel]))
		}
		src, err, ok := pre.Source(c.rel)
		if ok != c.held || err != nil || c.held && string(src) != files[c.rel] {
			t.Errorf("%s: Source held %v (err %v), want held %v", c.rel, ok, err, c.held)
		}
	}
	pre.Close()
}

// writeTree writes files (content by slash path) under root, and returns their paths, sorted.
func writeTree(t *testing.T, root string, files map[string]string) []string {
	t.Helper()
	var rels []string
	for rel, src := range files {
		p := filepath.Join(root, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		rels = append(rels, rel)
	}
	slices.Sort(rels)
	return rels
}
