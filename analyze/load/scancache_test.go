package load

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// TestScanCache: an entry is what was saved for its root, and only for it; the cache counts
// it as a scan, keeps at most maxScanEntries of them, and cleaning removes them.
func TestScanCache(t *testing.T) {
	dir := t.TempDir()
	a, b := ScanCache{Dir: dir, Root: "/src/a"}, ScanCache{Dir: dir, Root: "/src/b"}
	if a.Load() != nil {
		t.Fatal("an empty cache loads something")
	}
	a.Save([]byte("one"))
	if got := a.Load(); !bytes.Equal(got, []byte("one")) || b.Load() != nil {
		t.Fatalf("loaded %q for a, %q for b", got, b.Load())
	}
	a.Save([]byte("two"))
	if got := a.Load(); !bytes.Equal(got, []byte("two")) {
		t.Fatalf("after a second save: %q", got)
	}
	if (ScanCache{Root: "/src/a"}).Load() != nil {
		t.Fatal("the zero cache loads something")
	}
	for i := range maxScanEntries + 3 {
		ScanCache{Dir: dir, Root: fmt.Sprintf("/src/%d", i)}.Save([]byte("x"))
	}
	byKind, _, err := CacheCounts(dir)
	if err != nil || byKind["scans"] != maxScanEntries {
		t.Fatalf("counts %v, %v; want %d scans", byKind, err, maxScanEntries)
	}
	if err := os.WriteFile(filepath.Join(dir, "scans", ".entry-123"), []byte("half"), 0o600); err != nil {
		t.Fatal(err)
	}
	if byKind, _, _ := CacheCounts(dir); byKind["scans"] != maxScanEntries {
		t.Fatalf("a temporary file counts as an entry: %v", byKind)
	}
	if err := CleanCache(dir); err != nil {
		t.Fatal(err)
	}
	if n, _, _ := CacheStatus(dir); n != 0 {
		t.Fatalf("%d entries left after clean", n)
	}
}
