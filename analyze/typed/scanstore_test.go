package typed

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/cleave-dev/cleave/analyze/model"
)

// memStore is a ScanStore in memory that counts its saves.
type memStore struct {
	data  []byte
	saves int
}

func (m *memStore) Load() []byte     { return bytes.Clone(m.data) }
func (m *memStore) Save(data []byte) { m.data, m.saves = bytes.Clone(data), m.saves+1 }

func sqlLibrary(p string) bool { return p == "database/sql" || strings.HasPrefix(p, "gorm.io/") }

// goSources returns the Go files of the fixture repositories and of this package, by path.
func goSources(t testing.TB) map[string][]byte {
	out := map[string][]byte{}
	for _, root := range []string{filepath.Join("..", "..", "testdata", "fixtures"), "."} {
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") {
				return err
			}
			src, err := os.ReadFile(path)
			out[path] = src
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// TestScanRecordRoundTrip: what a record holds of a file's scan decodes to the scan itself,
// for every Go file of the fixtures and of this package.
func TestScanRecordRoundTrip(t *testing.T) {
	p := &Prefetch{tr: &TypedRepo{library: sqlLibrary}}
	trusted := 0
	for path, src := range goSources(t) {
		pf := &prefile{header: headerSum(src)}
		p.scan(path, pf, src, true)
		want := scanRecord{header: pf.header, summary: summary{[]byte(path), len(src)%2 == 0, len(src)%3 == 0}, skeleton: pf.skeleton, pkgName: pf.pkgName, scanned: true, trusted: pf.scans != nil,
			scans: pf.scans, outside: pf.outside, imports: pf.imports}
		got, ok := decodeRecord(encodeRecord(want), len(src))
		if !ok || !reflect.DeepEqual(got, want) {
			t.Fatalf("%s: the record decodes to\n%+v, ok %v\nwant\n%+v", path, got, ok, want)
		}
		if want.trusted {
			trusted++
		}
		if head, ok := recordHead(encodeRecord(want)); !ok || head.header != want.header || head.pkgName != want.pkgName ||
			!reflect.DeepEqual(head.imports, want.imports) || !reflect.DeepEqual(head.summary, want.summary) {
			t.Fatalf("%s: the record's head reads as %+v, %v", path, head, ok)
		}
	}
	if trusted < 100 {
		t.Fatalf("only %d files read by their tokens: the test reads too little", trusted)
	}
	// A record that claims more than its file holds is refused.
	src := []byte("package a\n\nfunc f() {\n\tg()\n}\n")
	pf := &prefile{header: headerSum(src)}
	p.scan("a.go", pf, src, true)
	rec := encodeRecord(scanRecord{header: pf.header, skeleton: pf.skeleton, pkgName: pf.pkgName, scanned: true, trusted: true, scans: pf.scans})
	if _, ok := decodeRecord(rec, len(src)-3); ok {
		t.Error("a record whose brace lies past the end of its file decodes")
	}
}

// TestPrefetchScanStore: a second run takes every file's scan from the store and saves
// nothing; what it knows of the files is what a run without the store knows; a changed file
// is scanned again, and a damaged store is no store.
func TestPrefetchScanStore(t *testing.T) {
	root := t.TempDir()
	files := map[string]string{
		"store/store.go":  "package store\n\nimport \"database/sql\"\n\n// Get deletes.\nfunc Get(db *sql.DB) error {\n\t_, err := db.Exec(\"DELETE FROM users\")\n\treturn err\n}\n",
		"calc/calc.go":    "package calc\n\nfunc Add(a, b int) int {\n\treturn a + b\n}\n\nfunc twice(a int) int {\n\treturn Add(a, a)\n}\n",
		"calc/empty.go":   "package calc\n",
		"calc/broken.go":  "package calc\n\nfunc (\n",
		"calc/line.go":    "package calc\n\n//line x.go:1\nfunc f() {}\n",
		"calc/a_test.go":  "package calc\n\nfunc helper() {}\n",
		"calc/imports.go": "package calc\n\nimport (\n\t_ \"embed\"\n\t\"fmt\"\n\tx \"strings\"\n)\n\nvar _, _ = fmt.Sprint, x.Fields\n",
	}
	write := func(rel, src string) {
		p := filepath.Join(root, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var rels []string
	for rel, src := range files {
		write(rel, src)
		rels = append(rels, rel)
	}
	var summarized atomic.Int32
	summarize := func(src []byte) ([]byte, bool, bool) {
		summarized.Add(1)
		return []byte{byte(len(src))}, bytes.Contains(src, []byte("database/sql")), bytes.Contains(src, []byte("func ("))
	}
	type seen struct {
		pkg, skeleton, header, sum string
		scans                      []funcScan
		imports                    []model.Import
		headerOK                   bool
		facts                      []byte
		wantsTree                  bool
	}
	run := func(store ScanStore) map[string]seen {
		t.Helper()
		pre := StartPrefetch(context.Background(), root, rels, false, true, store, sqlLibrary, summarize)
		out := map[string]seen{}
		for _, rel := range rels {
			pf := pre.files[rel]
			<-pf.scanned
			h, _ := pre.Header(rel)
			s, _ := pre.Sum(rel)
			imps, ok := pre.Imports(rel)
			facts, _ := pre.Facts(rel)
			out[rel] = seen{pf.pkgName, pf.skeleton, h, s, pf.scans, imps, ok, facts, pf.wantsTree}
		}
		pre.Close()
		return out
	}
	want := run(nil)
	if imps := want["calc/imports.go"].imports; len(imps) != 3 || !imps[0].Blank || imps[0].Column != 4 ||
		imps[1].Path != "fmt" || imps[1].Line != 5 || imps[1].Column != 2 || imps[1].Blank || imps[2].Path != "strings" || imps[2].Column != 4 {
		t.Errorf("the imports of calc/imports.go read as %+v", imps)
	}
	if want["calc/badhead.go"].headerOK || !want["calc/broken.go"].headerOK || !want["calc/empty.go"].headerOK {
		t.Errorf("the headers read: badhead.go %v, broken.go (broken after its header) %v, empty.go %v",
			want["calc/badhead.go"].headerOK, want["calc/broken.go"].headerOK, want["calc/empty.go"].headerOK)
	}
	store := &memStore{}
	if got := run(store); !reflect.DeepEqual(got, want) || store.saves != 1 {
		t.Fatalf("first run with a store: saved %d times, read\n%+v\nwant\n%+v", store.saves, got, want)
	}
	summarized.Store(0)
	if got := run(store); !reflect.DeepEqual(got, want) || store.saves != 1 {
		t.Fatalf("second run: saved %d times (want no save), read\n%+v\nwant\n%+v", store.saves, got, want)
	}
	if n := summarized.Load(); n != 0 {
		t.Errorf("second run: %d files summarized again, want none (the store holds their summaries)", n)
	}
	// No save: every record was the store's own.
	recs := decodeStore(store.data)
	if len(recs) != len(files) {
		t.Fatalf("the store holds %d records, want %d", len(recs), len(files))
	}
	write("calc/calc.go", strings.Replace(files["calc/calc.go"], "a + b", "b + a", 1))
	changed := run(nil)
	if got := run(store); !reflect.DeepEqual(got, changed) || store.saves != 2 {
		t.Fatalf("after an edit: saved %d times (want 2), read\n%+v\nwant\n%+v", store.saves, got, changed)
	}
	if got := decodeStore(store.data); len(got) != len(files) {
		t.Fatalf("the store holds %d records after an edit, want %d (the old content's is dropped)", len(got), len(files))
	}
	for _, damage := range [][]byte{nil, []byte("cleave scans 0\n"), store.data[:len(store.data)/2], append(bytes.Clone(store.data), 0)} {
		if got := run(&memStore{data: damage}); !reflect.DeepEqual(got, changed) {
			t.Fatalf("a damaged store (%d bytes) changes what is read:\n%+v", len(damage), got)
		}
	}
}

// FuzzScanStore: no store or record, however damaged, makes the decoder panic, and a record
// that decodes encodes to the same bytes.
func FuzzScanStore(f *testing.F) {
	p := &Prefetch{tr: &TypedRepo{library: sqlLibrary}}
	recs := map[string][]byte{}
	for path, src := range goSources(f) {
		pf := &prefile{header: headerSum(src)}
		p.scan(path, pf, src, true)
		rec := encodeRecord(scanRecord{header: pf.header, skeleton: pf.skeleton, pkgName: pf.pkgName, scanned: true, trusted: pf.scans != nil, scans: pf.scans})
		f.Add(rec, len(src))
		recs[contentSum(src)] = rec
		if len(recs) == 3 {
			f.Add(encodeStore(recs), 0)
		}
	}
	f.Add(encodeRecord(scanRecord{header: "h"}), 0)
	f.Fuzz(func(t *testing.T, data []byte, n int) {
		for _, rec := range decodeStore(data) {
			decodeRecord(rec, n)
		}
		recordHead(data)
		if r, ok := decodeRecord(data, n); ok {
			if again := encodeRecord(r); !bytes.Equal(again, data) {
				// Names are written once each, in the order first met: an encoding that
				// decodes but orders its table otherwise is not one cleave writes. It must
				// still decode to the same record.
				if r2, ok := decodeRecord(again, n); !ok || !reflect.DeepEqual(r2, r) {
					t.Fatalf("a decoded record encodes to what decodes otherwise:\n%+v\n%+v", r, r2)
				}
			}
		}
	})
}
