package typed

import (
	"go/ast"
	"go/parser"
	"go/scanner"
	"go/token"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/cleave-dev/cleave/analyze/astutil"
)

// TestScanAgreesWithSyntax reads every Go file of the fixtures both ways: by its tokens
// (scanFuncs) and by its syntax tree (readBody). The tokens must find every body the tree
// has, at the same place; say that a body matters wherever the tree says so (they may say so
// more often, never less); and, where neither says so, name the same identifiers.
func TestScanAgreesWithSyntax(t *testing.T) {
	files := 0
	err := filepath.WalkDir(filepath.Join("..", "..", "testdata", "fixtures"), func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".go") {
			return err
		}
		src, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, p, src, parser.SkipObjectResolution)
		if err != nil {
			return nil // broken on purpose (the broken fixture)
		}
		files++
		agree(t, p, src, fset, f)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 100 {
		t.Fatalf("only %d fixture files read", files)
	}
}

// agree checks that the tokens of a file read as its syntax tree says (see
// TestScanAgreesWithSyntax).
func agree(t *testing.T, p string, src []byte, fset *token.FileSet, f *ast.File) {
	t.Helper()
	libs := map[string]bool{}
	for local, path := range astutil.ImportNames(f) {
		if strings.Contains(path, ".") || path == "database/sql" || path == "net/http" || path == "os" {
			libs[local] = true
		}
	}
	scans, outside, ok := scanFuncs(src, libs)
	if !ok {
		t.Errorf("%s: the tokens do not read", p)
		return
	}
	// What the file names outside its functions, the tokens name too.
	outsideSet := map[string]bool{}
	for _, n := range outside {
		outsideSet[n] = true
	}
	for _, d := range f.Decls {
		if gd, ok := d.(*ast.GenDecl); ok {
			for _, n := range identNames(gd) {
				if !outsideSet[n] {
					t.Errorf("%s: %s is named outside the functions, not by the tokens", p, n)
				}
			}
		}
	}
	byBrace := map[int]funcScan{}
	for _, s := range scans {
		byBrace[s.lbrace] = s
	}
	seen := map[string]bool{}
	for _, d := range f.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok || fd.Body == nil {
			continue
		}
		s, found := byBrace[fset.Position(fd.Body.Lbrace).Offset]
		if !found {
			t.Errorf("%s: the tokens miss the body of %s", p, fd.Name.Name)
			continue
		}
		if end := fset.Position(fd.Body.Rbrace).Offset; s.rbrace != end {
			t.Errorf("%s: the body of %s ends at %d by its tokens, at %d by its syntax", p, fd.Name.Name, s.rbrace, end)
		}
		if s.name != fd.Name.Name || s.method != (fd.Recv != nil) {
			t.Errorf("%s: the tokens read %s (method %v) as %s (method %v)", p, fd.Name.Name, fd.Recv != nil, s.name, s.method)
		}
		if start := fset.Position(fd.Pos()).Offset; s.start != start {
			t.Errorf("%s: %s starts at %d by its tokens, at %d by its syntax", p, fd.Name.Name, s.start, start)
		}
		// Only space and comments lie between the token before and the declaration.
		if s.lead > s.start {
			t.Errorf("%s: %s is led from %d, after its start %d", p, fd.Name.Name, s.lead, s.start)
		} else {
			var sc scanner.Scanner
			sc.Init(token.NewFileSet().AddFile("", -1, s.start-s.lead), src[s.lead:s.start], nil, scanner.ScanComments)
			for {
				_, tok, lit := sc.Scan()
				if tok == token.EOF {
					break
				}
				if tok != token.COMMENT && !(tok == token.SEMICOLON && lit == "\n") {
					t.Errorf("%s: %s is led by %s %q, not only by space and comments", p, fd.Name.Name, tok, lit)
					break
				}
			}
		}
		// The signature: the names it holds first, and whether it names a package's identifier.
		sig := map[string]bool{}
		qualified := false
		for _, n := range []ast.Node{fd.Recv, fd.Type} {
			if n == nil || n == (*ast.FieldList)(nil) {
				continue
			}
			ast.Inspect(n, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.Ident:
					sig[n.Name] = true
				case *ast.SelectorExpr:
					qualified = true
				}
				return true
			})
		}
		if got := slices.Sorted(slices.Values(s.names[:s.sig])); !slices.Equal(got, slices.Sorted(maps.Keys(sig))) {
			t.Errorf("%s: the signature of %s names %v by its tokens, %v by its syntax", p, fd.Name.Name, got, slices.Sorted(maps.Keys(sig)))
		}
		if s.qualified != qualified {
			t.Errorf("%s: the signature of %s names a package's identifier: %v by its tokens, %v by its syntax", p, fd.Name.Name, s.qualified, qualified)
		}
		var b bodyFacts
		if readBody(&b, fd, libs, seen) {
			if !s.matters {
				t.Errorf("%s: %s matters by its syntax, not by its tokens", p, fd.Name.Name)
			}
			continue
		}
		if !s.matters {
			got, want := slices.Sorted(slices.Values(s.names)), slices.Sorted(slices.Values(b.names))
			if !slices.Equal(got, want) {
				t.Errorf("%s: %s names %v by its tokens, %v by its syntax", p, fd.Name.Name, got, want)
			}
		}
	}
}

// TestScanFuncs: the shapes of declaration the tokens must read right.
func TestScanFuncs(t *testing.T) {
	const src = `package p

import "database/sql"

var hook = func() { x := 1; _ = x }

func plain(n int) int {
	n *= 2
	return n
}

func (s *Store) method() (struct{ a int }, error) {
	v := struct{ a int }{}
	return v, nil
}

func generic[T interface{ ~int }](xs []T) func() T {
	return func() T { var z T; return z }
}

func external(int) int

func setsField(s *Store) {
	s.db = nil
}

func keyed() {
	_ = T{A: 1}
}

func usesLib(db *sql.DB) {
	total := 0
	total++
}

func quoted() {
	x := 0
	_ = x
	_ = "SELECT 1"
}
`
	scans, outside, ok := scanFuncs([]byte(src), map[string]bool{"sql": true})
	if !ok {
		t.Fatal("not read")
	}
	type want struct {
		name         string
		method, body bool
		matters      bool
	}
	wants := []want{
		{"plain", false, true, false},
		{"method", true, true, false},
		{"generic", false, true, true}, // one return statement
		{"external", false, false, false},
		{"setsField", false, true, true},
		{"keyed", false, true, true},
		{"usesLib", false, true, true},
		{"quoted", false, true, true},
	}
	if len(scans) != len(wants) {
		var names []string
		for _, s := range scans {
			names = append(names, s.name)
		}
		t.Fatalf("read %v, want %d declarations (the func literal of hook is none)", names, len(wants))
	}
	for i, w := range wants {
		s := scans[i]
		if s.name != w.name || s.method != w.method || (s.lbrace >= 0) != w.body || s.matters != w.matters {
			t.Errorf("%s: got name %s method %v body %v matters %v", w.name, s.name, s.method, s.lbrace >= 0, s.matters)
		}
	}
	if got := scans[0].names; !slices.Equal(got, []string{"n", "int"}) {
		t.Errorf("plain names %v, want [n int]", got)
	}
	if got := scans[0].names[:scans[0].sig]; !slices.Equal(got, []string{"n", "int"}) {
		t.Errorf("plain's signature names %v, want [n int]", got)
	}
	if got := scans[1].names[:scans[1].sig]; !slices.Equal(got, []string{"s", "Store", "a", "int", "error"}) {
		t.Errorf("method's signature names %v, want [s Store a int error]", got)
	}
	if !scans[6].qualified || scans[0].qualified {
		t.Errorf("usesLib's signature names sql.DB (qualified %v); plain's names none (%v)", scans[6].qualified, scans[0].qualified)
	}
	if want := []string{"p", "hook", "x", "_"}; !slices.Equal(outside, want) {
		t.Errorf("named outside the functions: %v, want %v", outside, want)
	}
}

// FuzzScanFuncs: any input reads without a panic, and where it parses as Go, its tokens read
// as its syntax tree says.
func FuzzScanFuncs(f *testing.F) {
	f.Add("package p\n\nfunc f() { g() }\n")
	f.Add("package p\n\nfunc (r *T) m() (struct{}, error) { return struct{}{}, nil }\n")
	f.Add("package p\n\nvar x = func() {}\n\nfunc f[T any]() func() T { return nil }\n")
	f.Add("package p\n\nfunc f(\n")
	f.Fuzz(func(t *testing.T, src string) {
		scans, _, ok := scanFuncs([]byte(src), nil)
		fset := token.NewFileSet()
		file, err := parser.ParseFile(fset, "", src, parser.SkipObjectResolution)
		if err != nil || !ok {
			return
		}
		_ = scans
		agree(t, "input", []byte(src), fset, file)
	})
}
