package typed

import (
	"go/ast"
	"go/parser"
	"go/token"
	"slices"
	"testing"

	"github.com/cleave-dev/cleave/analyze/astutil"
	"github.com/cleave-dev/cleave/analyze/model"
)

// TestStripBodies: the bodies that can reach a library, or build what can, are kept; pure
// computation is dropped.
func TestStripBodies(t *testing.T) {
	const store = `package store

import "database/sql"

type Store struct{ db *sql.DB }

// Save reaches the database through a field of a library type.
func (s *Store) Save(id int) error {
	_, err := s.db.Exec("INSERT INTO items (id) VALUES ($1)", id)
	return err
}

// count is pure computation.
func count(xs []int) int {
	n := 0
	for range xs {
		n++
	}
	return n
}

// Saver lies on a call path to Save.
func Saver(s *Store, ids []int) error {
	for _, id := range ids {
		if err := s.Save(id); err != nil {
			return err
		}
	}
	return nil
}
`
	const app = `package app

import "example.com/x/store"

type Adder interface{ Add() }

type all struct{}

// Add calls the store: kept.
func (all) Add() { _ = store.Saver(nil, nil) }

type wrapped struct{ all }

// Routes builds a value whose method is kept, without naming anything else: kept.
func Routes() Adder { return all{} }

// Wrap builds a type embedding one with a kept method: kept.
func Wrap() Adder { return wrapped{} }

// Twice only does arithmetic: dropped.
func Twice(n int) int { return n * 2 }

// Calls a dropped function only: dropped.
func Four() int { return Twice(Twice(1)) }
`
	pkgs := []*typedPkg{parsed(t, "example.com/x/store", store), parsed(t, "example.com/x/app", app)}
	stripBodies(pkgs, func(path string) bool { return path == "database/sql" })
	var kept, dropped []string
	for _, tp := range pkgs {
		for _, d := range tp.files[0].Decls {
			if fd, ok := d.(*ast.FuncDecl); ok {
				if fd.Body != nil {
					kept = append(kept, fd.Name.Name)
				} else {
					dropped = append(dropped, fd.Name.Name)
				}
			}
		}
	}
	if want := []string{"Save", "Saver", "Add", "Routes", "Wrap"}; !slices.Equal(kept, want) {
		t.Errorf("kept %v, want %v", kept, want)
	}
	if want := []string{"count", "Twice", "Four"}; !slices.Equal(dropped, want) {
		t.Errorf("dropped %v, want %v", dropped, want)
	}
}

func parsed(t *testing.T, path, src string) *typedPkg {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), path+".go", src, parser.SkipObjectResolution)
	if err != nil {
		t.Fatal(err)
	}
	return &typedPkg{Pkg: &model.Package{Path: path, Name: f.Name.Name}, Bodies: true, files: []*ast.File{f},
		imports: map[*ast.File]map[string]string{f: astutil.ImportNames(f)}}
}
