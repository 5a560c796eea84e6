package typed

import (
	"bytes"
	"context"
	"fmt"
	"go/ast"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/cleave-dev/cleave/analyze/model"
)

// leftOutRepo is a repository whose files are mostly inert, so that the prefetch leaves
// declarations out of their trees, with the cases where the whole repository's decision
// must put one back.
var leftOutRepo = map[string]string{
	// store reaches the database; save is kept by its own body.
	"store/store.go": `package store

import "database/sql"

type Store struct{ db *sql.DB }

func (s *Store) Save(id int) error {
	_, err := s.db.Exec("INSERT INTO items (id) VALUES ($1)", id)
	return err
}
`,
	// calls.go is mostly inert: saveAll's body matters only because it names Save (a kept
	// method), which the tokens cannot know; it names pad, declared in another mostly inert
	// file and named by nothing the tokens see: pad is left out, then put back.
	"store/calls.go": `package store

// saveAll lies on a call path to Save.
func saveAll(s *Store, ids []int) {
	for _, id := range ids {
		_ = s.Save(pad(id))
	}
}

func twice(n int) int {
	n *= 2
	return n
}

func thrice(n int) int {
	n *= 3
	return n
}
`,
	"store/pad.go": `package store

// pad is left out of the tree, and put back for saveAll.
func pad(n int) int {
	n++
	return n
}

// unused is left out, and stays out.
func unused(n int) int {
	n--
	return n
}

func alsoUnused(n int) int {
	n -= 2
	return n
}
`,
	"store/other.go": `package store

import "strings"

/* Named by a variable of another file: never left out. */
func named(n int) int {
	n += 4
	return n
}

// inertMethod is kept: it is a method of a type with a kept method.
func (s *Store) inertMethod(n int) int {
	n += 5
	return n
}

// qualified names an import's type in its signature: never left out.
func qualified(b *strings.Builder) int {
	n := b.Len()
	n += 6
	return n
}
`,
	"store/vars.go": `package store

var hooks = []func(int) int{named}
`,
}

// TestLeftOutDeclarations: the trees the typed pass checks are the same whether the files were
// parsed ahead, with declarations left out and put back, or parsed by the pass itself.
func TestLeftOutDeclarations(t *testing.T) {
	for _, c := range []struct {
		name  string
		extra map[string]string
	}{
		{"dropping", nil},
		// Where most bodies are kept, dropUnnamed does not run: every declaration left out
		// is put back.
		{"keeping", manyKept(40)},
	} {
		t.Run(c.name, func(t *testing.T) {
			files := map[string]string{}
			for rel, src := range leftOutRepo {
				files[rel] = src
			}
			for rel, src := range c.extra {
				files[rel] = src
			}
			root := t.TempDir()
			rels := writeTree(t, root, files)
			library := func(p string) bool { return p == "database/sql" }
			pkgs := func() []*model.Package {
				byDir := map[string]*model.Package{}
				var out []*model.Package
				for _, rel := range rels {
					dir := filepath.Dir(rel)
					p := byDir[dir]
					if p == nil {
						p = &model.Package{Path: "example.com/x/" + dir, Name: dir, Dir: dir}
						byDir[dir] = p
						out = append(out, p)
					}
					p.Files = append(p.Files, rel)
				}
				return out
			}
			plainPkgs := pkgs()
			plain := typeCheck(root, plainPkgs, map[*model.Package]bool{plainPkgs[0]: true, plainPkgs[len(plainPkgs)-1]: true}, library, nil)
			summarize := func(src []byte) ([]byte, bool, bool) { return nil, bytes.Contains(src, []byte("database/sql")), false }
			pre := StartPrefetch(context.Background(), root, rels, false, true, nil, library, summarize)
			aheadPkgs := pkgs()
			ahead := typeCheck(root, aheadPkgs, map[*model.Package]bool{aheadPkgs[0]: true, aheadPkgs[len(aheadPkgs)-1]: true}, library, pre)
			pre.Close()
			var left []string
			for n := range pre.leaveOut {
				left = append(left, n)
			}
			slices.Sort(left)
			// saveAll is left out too: only the whole repository knows that its body matters.
			if want := []string{"alsoUnused", "pad", "saveAll", "thrice", "twice", "unused"}; !slices.Equal(left, want) {
				t.Errorf("left out %v, want %v", left, want)
			}
			if got, want := describeTrees(ahead), describeTrees(plain); got != want {
				t.Errorf("parsed ahead:\n%s\nparsed by the pass:\n%s", got, want)
			}
		})
	}
}

// manyKept is a package of n functions whose bodies all matter (each holds a string).
func manyKept(n int) map[string]string {
	var b strings.Builder
	b.WriteString("package zkept\n")
	for i := range n {
		fmt.Fprintf(&b, "\nfunc K%d() string {\n\treturn \"k%d\"\n}\n", i, i)
	}
	return map[string]string{"zkept/kept.go": b.String()}
}

// describeTrees lists every declaration of every file the pass checks, with the lines it
// spans and whether its body is there.
func describeTrees(tr *TypedRepo) string {
	var b strings.Builder
	for _, tp := range tr.Pkgs {
		for _, f := range tp.files {
			fmt.Fprintf(&b, "%s:\n", tr.fset.Position(f.Pos()).Filename)
			for _, d := range f.Decls {
				from, to := tr.fset.Position(d.Pos()).Line, tr.fset.Position(d.End()).Line
				switch d := d.(type) {
				case *ast.FuncDecl:
					fmt.Fprintf(&b, "  func %s %d-%d body %v\n", d.Name.Name, from, to, d.Body != nil)
				case *ast.GenDecl:
					fmt.Fprintf(&b, "  %s %d-%d\n", d.Tok, from, to)
				}
			}
		}
	}
	return b.String()
}

// TestCompact: cuts keep their newlines, offsets map back, and cuts that overlap or reach past
// the text (a damaged record of the store) are left alone rather than read out of bounds.
func TestCompact(t *testing.T) {
	src := []byte("ab{cd\nef}gh\n{ij}\nkl")
	out, at := compact(src, [][2]int{{3, 8}, {13, 15}})
	if string(out) != "ab{\n}gh\n{}\nkl" {
		t.Errorf("compacted to %q", out)
	}
	for c, want := range map[int]int{0: 0, 2: 2, 4: 8, 5: 9, 8: 12, 9: 15, 10: 16} {
		if got := at.real(c); got != want {
			t.Errorf("offset %d maps to %d, want %d", c, got, want)
		}
	}
	for _, cuts := range [][][2]int{{{3, 8}, {5, 9}}, {{9, 4}}, {{3, 99}}} {
		out, _ := compact(src, cuts)
		if !bytes.HasPrefix(out, []byte("ab{")) {
			t.Errorf("cuts %v: %q", cuts, out)
		}
	}
}
