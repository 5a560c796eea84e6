package load

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cleave-dev/cleave/analyze/recognize"
)

// naiveMarkers looks for every word in turn: what markers must agree with.
func naiveMarkers(src []byte) uint8 {
	var found uint8
	any := func(group uint8, words ...[]byte) {
		for _, w := range words {
			if bytes.Contains(src, w) {
				found |= group
				return
			}
		}
	}
	any(markSQL, recognize.SQLMarkers...)
	any(markCall, recognize.CallMarkers...)
	any(markHit, recognize.HitMarkers...)
	any(markMTLS, []byte("RequireAndVerifyClientCert"), []byte("VerifyClientCertIfGiven"))
	var libs [][]byte
	for _, lib := range recognize.DbLibraries {
		libs = append(libs, []byte(`"`+lib))
	}
	any(markDB, libs...)
	return found
}

// TestMarkers: reading a file once finds the groups that looking for each word does, on
// every fixture file.
func TestMarkers(t *testing.T) {
	n := 0
	err := filepath.WalkDir(filepath.Join("..", "..", "testdata", "fixtures"), func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".go") {
			return err
		}
		src, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		n++
		if got, want := markers(src), naiveMarkers(src); got != want {
			t.Errorf("%s: markers %04b, want %04b", p, got, want)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 100 {
		t.Fatalf("only %d files read", n)
	}
}

func FuzzMarkers(f *testing.F) {
	f.Add([]byte("SELECT id FROM users"))
	f.Add([]byte("http.ListenAndServe(\":8080\", nil)"))
	f.Add([]byte("x.Publish(ctx, msg) RequireAndVerifyClientCert"))
	f.Fuzz(func(t *testing.T, src []byte) {
		if got, want := markers(src), naiveMarkers(src); got != want {
			t.Errorf("markers %04b, want %04b", got, want)
		}
	})
}

// A file declares only values when no line begins a function or a type.
func TestValuesOnly(t *testing.T) {
	for _, c := range []struct {
		src  string
		want bool
	}{
		{"package x\n\nvar KitexUnusedProtection = struct{}{}\n", true},
		{"package x\n\nconst (\n\tA = 1\n)\n", true},
		{"package x\n\nfunc F() {}\n", false},
		{"package x\n\ntype T int\n", false},
		{"package x\n\nvar f = func() {}\n", true}, // a function value is a value
		{"func init() {}\n", false},
	} {
		if got := valuesOnly([]byte(c.src)); got != c.want {
			t.Errorf("valuesOnly(%q) = %v, want %v", c.src, got, c.want)
		}
	}
}
