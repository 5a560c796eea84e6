package analyze

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The cached facts serve exactly when what the typed pass reads is unchanged, and a run that
// takes them gives what a run without the cache gives, byte for byte.
func TestFactsCache(t *testing.T) {
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS(filepath.Join("..", "testdata", "fixtures", "cachedfacts"))); err != nil {
		t.Fatal(err)
	}
	cache := t.TempDir()
	run := func(cacheDir string) (out string, hit bool) {
		t.Helper()
		res, err := Run(context.Background(), Options{Dir: dir, CacheDir: cacheDir, Progress: func(s string) {
			hit = hit || strings.HasPrefix(s, "the typed facts are the cached ones")
		}})
		if err != nil {
			t.Fatal(err)
		}
		data, err := json.Marshal(res)
		if err != nil {
			t.Fatal(err)
		}
		return string(data), hit
	}
	edit := func(file, from, to string) {
		t.Helper()
		p := filepath.Join(dir, filepath.FromSlash(file))
		src, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(src), from) {
			t.Fatalf("%s lacks %q", file, from)
		}
		if err := os.WriteFile(p, []byte(strings.Replace(string(src), from, to, 1)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if _, hit := run(cache); hit {
		t.Fatal("the first run found cached facts")
	}
	steps := []struct {
		name           string
		file, from, to string
		hit            bool
		changes        string // what the output gains, if it changes
	}{
		{name: "nothing changed", hit: true},
		{name: "a body that cannot matter", file: "internal/service/format.go", from: "c /= 10", to: "c = c / 10", hit: true},
		{name: "a comment above the imports", file: "internal/service/format.go", from: "package service", to: "// Formatting.\npackage service"},
		// Refresh names the same things either way, but reads the other table: its body
		// matters through the call path to the stores, and its file is read whole.
		{name: "a body on a call path", file: "internal/service/service.go",
			from: "_ = s.journal\n\t_, err := s.accounts.Load", to: "_ = s.accounts\n\t_, err := s.journal.Load",
			changes: "table journal_entries is written by deployable ledger and read by audit"},
		{name: "a query", file: "internal/journal/store.go", from: "FROM journal_entries", to: "FROM journal_archive",
			changes: "journal_archive"},
	}
	prev, _ := run("")
	for _, s := range steps {
		if s.file != "" {
			edit(s.file, s.from, s.to)
		}
		got, hit := run(cache)
		want, _ := run("")
		if hit != s.hit {
			t.Errorf("%s: cache hit %v, want %v", s.name, hit, s.hit)
		}
		if got != want {
			t.Errorf("%s: the run with the cache differs from the run without", s.name)
		}
		if s.changes != "" && (got == prev || !strings.Contains(got, s.changes)) {
			t.Errorf("%s: the output does not show %q", s.name, s.changes)
		}
		prev = want
	}
}

// Facts read from a configuration file the code loads (an ini file's table prefix) are cached
// only while the file is as it was.
func TestFactsCacheConfigFile(t *testing.T) {
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS(filepath.Join("..", "testdata", "fixtures", "gormv1ini"))); err != nil {
		t.Fatal(err)
	}
	cache := t.TempDir()
	run := func(cacheDir string) (tables []string, hit bool) {
		t.Helper()
		res, err := Run(context.Background(), Options{Dir: dir, CacheDir: cacheDir, Progress: func(s string) {
			hit = hit || strings.HasPrefix(s, "the typed facts are the cached ones")
		}})
		if err != nil {
			t.Fatal(err)
		}
		for _, tb := range res.Tables {
			tables = append(tables, tb.Name)
		}
		return tables, hit
	}
	if got, _ := run(cache); strings.Join(got, " ") != "wiki_page wiki_revision" {
		t.Fatalf("tables %v, want wiki_page wiki_revision", got)
	}
	if _, hit := run(cache); !hit {
		t.Fatal("an unchanged tree missed the cached facts")
	}
	ini := filepath.Join(dir, "conf", "app.ini")
	src, err := os.ReadFile(ini)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(ini, []byte(strings.Replace(string(src), "Prefix = wiki_", "Prefix = kb_", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	got, hit := run(cache)
	if hit || strings.Join(got, " ") != "kb_page kb_revision" {
		t.Fatalf("after the prefix changed in the ini file: tables %v (cache hit %v), want kb_page kb_revision from a new pass", got, hit)
	}
}
