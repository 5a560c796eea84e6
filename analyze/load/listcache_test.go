package load

import (
	"context"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/cleave-dev/cleave/analyze/model"
	"github.com/cleave-dev/cleave/analyze/typed"
)

// TestListCache: a listing is served from the cache after an edit that leaves every file's
// header (build constraints, package clause, imports) as it was, and listed again after any
// other; what it serves is what the go command says.
func TestListCache(t *testing.T) {
	root := t.TempDir()
	write := func(rel, content string) {
		t.Helper()
		p := filepath.Join(root, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("go.mod", "module example.com/shop\n\ngo 1.22\n")
	write("orders/orders.go", "package orders\n\nimport \"strings\"\n\n// Normalize trims an id.\nfunc Normalize(id string) string { return strings.TrimSpace(id) }\n")
	write("cmd/api/main.go", "package main\n\nimport (\n\t\"fmt\"\n\n\t\"example.com/shop/orders\"\n)\n\nfunc main() { fmt.Println(orders.Normalize(\" 1 \")) }\n")
	cache := ListCache{Dir: t.TempDir()}
	list := func() (string, bool) {
		t.Helper()
		tree, err := Walk(root, nil)
		if err != nil {
			t.Fatal(err)
		}
		pre := typed.StartPrefetch(context.Background(), root, tree.GoFiles, false, true, nil, func(string) bool { return false }, Summarize)
		defer pre.Close()
		byDir, warns, hit := cache.List(context.Background(), tree, false, pre)
		fresh, freshWarns := ListPackages(context.Background(), tree, false)
		if got, want := describe(byDir, warns), describe(fresh, freshWarns); got != want {
			t.Fatalf("the cache served\n%s\nthe go command says\n%s", got, want)
		}
		return describe(byDir, warns), hit
	}
	steps := []struct {
		name    string
		edit    func()
		wantHit bool
	}{
		{"first run", func() {}, false},
		{"nothing changed", func() {}, true},
		{"a body changed", func() {
			write("orders/orders.go", "package orders\n\nimport \"strings\"\n\n// Normalize trims and folds an id.\nfunc Normalize(id string) string { return strings.ToLower(strings.TrimSpace(id)) }\n")
		}, true},
		{"an import added", func() {
			write("orders/orders.go", "package orders\n\nimport (\n\t\"strings\"\n\t\"unicode\"\n)\n\nvar _ = unicode.IsSpace\n\nfunc Normalize(id string) string { return strings.TrimSpace(id) }\n")
		}, false},
		{"a build constraint added", func() {
			write("orders/orders.go", "//go:build linux\n\npackage orders\n\nimport (\n\t\"strings\"\n\t\"unicode\"\n)\n\nvar _ = unicode.IsSpace\n\nfunc Normalize(id string) string { return strings.TrimSpace(id) }\n")
		}, false},
		{"a file added", func() {
			write("orders/store.go", "package orders\n\n// Store keeps orders.\ntype Store struct{}\n")
		}, false},
		{"the package renamed", func() {
			write("orders/store.go", "package order\n\n// Store keeps orders.\ntype Store struct{}\n")
		}, false},
		{"go.mod changed", func() {
			write("go.mod", "module example.com/shop\n\ngo 1.23\n")
		}, false},
	}
	for _, s := range steps {
		s.edit()
		if _, hit := list(); hit != s.wantHit {
			t.Errorf("%s: served from the cache %v, want %v", s.name, hit, s.wantHit)
		}
	}
	// A damaged entry is a miss, and is replaced.
	entries, _ := filepath.Glob(filepath.Join(cache.Dir, "list", "*.json"))
	for _, e := range entries {
		if err := os.WriteFile(e, []byte("{not json"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if _, hit := list(); hit {
		t.Errorf("a damaged entry served")
	}
	if _, hit := list(); !hit {
		t.Errorf("the damaged entry was not replaced")
	}
	if n, _, err := CacheStatus(cache.Dir); err != nil || n == 0 {
		t.Errorf("CacheStatus: %d entries, %v", n, err)
	}
	if err := CleanCache(cache.Dir); err != nil {
		t.Fatal(err)
	}
	if n, _, _ := CacheStatus(cache.Dir); n != 0 {
		t.Errorf("%d entries left after CleanCache", n)
	}
	// A cache directory that is a file is an error that says so, for status and clean alike;
	// listing with it caches nothing and fails nothing.
	file := filepath.Join(t.TempDir(), "cache")
	if err := os.WriteFile(file, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, err := CacheStatus(file); err == nil || !strings.Contains(err.Error(), "not a directory") {
		t.Errorf("CacheStatus on a file: %v", err)
	}
	if err := CleanCache(file); err == nil || !strings.Contains(err.Error(), "not a directory") {
		t.Errorf("CleanCache on a file: %v", err)
	}
	cache = ListCache{Dir: file}
	if _, hit := list(); hit {
		t.Errorf("a cache in a file served")
	}
}

// describe writes a listing in a stable order, for comparison.
func describe(byDir map[string]*listed, warns []model.Warning) string {
	var b strings.Builder
	for _, d := range slices.Sorted(maps.Keys(byDir)) {
		l := byDir[d]
		b.WriteString(d + " " + l.path + " " + l.name + " " + l.goMod + " " + l.modDir + " " + strings.Join(l.files, ",") + "\n")
	}
	for _, w := range warns {
		b.WriteString(w.Subject + ": " + w.Message + "\n")
	}
	return b.String()
}
