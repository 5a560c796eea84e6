package typed

import (
	"go/ast"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

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

const ordersTable = "orders"

// TableName only returns a constant: the resolver reads the name from it.
func (Store) TableName() string { return ordersTable }

var port = 5432

// Port only returns a value: the resolver reads a port from it.
func Port() int { return port }

// table names a constant.
func table(prefix string) string { return prefix + ordersTable }

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

// Twice only does arithmetic: dropped, and as nothing that is left names it, not even
// declared.
func Twice(n int) int {
	n *= 2
	return n
}

// Helper's body is dropped, but a variable names it: it stays declared.
func Helper() int {
	v := 1
	return v
}

var limit = Helper

// Four calls a dropped function only: dropped.
func Four() int {
	x := Twice(1)
	return Twice(x)
}
`
	root := t.TempDir()
	var pkgs []*model.Package
	for _, p := range []struct{ path, src string }{{"example.com/x/store", store}, {"example.com/x/app", app}} {
		file := strings.TrimPrefix(p.path, "example.com/x/") + "/" + "code.go"
		if err := os.MkdirAll(filepath.Join(root, filepath.Dir(file)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(root, file), []byte(p.src), 0o644); err != nil {
			t.Fatal(err)
		}
		pkg := &model.Package{Path: p.path, Name: filepath.Base(p.path), Dir: filepath.Dir(file), Files: []string{file}}
		if p.path == "example.com/x/app" {
			pkg.Imports = []model.Import{{Path: "example.com/x/store"}}
		}
		pkgs = append(pkgs, pkg)
	}
	bodies := map[*model.Package]bool{pkgs[0]: true, pkgs[1]: true}
	tr := typeCheck(root, pkgs, bodies, func(path string) bool { return path == "database/sql" }, nil)
	// Saver is dropped as its file is parsed, and kept once Save is: the file is parsed
	// again; the type-checker then sees its body.
	if tr.ByPath["example.com/x/store"].info.Uses == nil {
		t.Fatal("store was not checked")
	}
	sawSave := false
	for id, obj := range tr.ByPath["example.com/x/store"].info.Uses {
		if id.Name == "Save" && obj != nil {
			sawSave = true
		}
	}
	if !sawSave {
		t.Errorf("the body of Saver, which calls Save, was not checked")
	}
	var kept, dropped []string
	for _, tp := range []*typedPkg{tr.ByPath["example.com/x/store"], tr.ByPath["example.com/x/app"]} {
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
	if want := []string{"Save", "TableName", "Port", "table", "Saver", "Add", "Routes", "Wrap"}; !slices.Equal(kept, want) {
		t.Errorf("kept %v, want %v", kept, want)
	}
	if want := []string{"Helper"}; !slices.Equal(dropped, want) {
		t.Errorf("declared without a body: %v, want %v (count, Twice and Four not declared at all)", dropped, want)
	}
}
