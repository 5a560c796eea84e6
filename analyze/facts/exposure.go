package facts

import (
	"go/ast"
	"go/parser"
	"go/token"
	"strconv"
	"strings"

	"github.com/cleave-dev/cleave/analyze/astutil"
	"github.com/cleave-dev/cleave/analyze/model"
	"github.com/cleave-dev/cleave/analyze/modules"
	"github.com/cleave-dev/cleave/internal/safefs"
)

// apiCheck weighs an import of an inferred module's private package against the module's
// public API. A convention read from the code is only broken where that API offered what the
// importer took: a public package of the module wraps the private one (imports it) and can be
// imported from where the importer lies, and the importer names something of the private
// package that neither a wrapper nor another package it imports hands out. A manager whose methods return the types its DAO package
// declares makes those types part of its API: naming them is using the API, not reaching past
// it. A storage package the module offers no API over is private only as any other package is,
// by how the code uses it.
//
// Only the files of candidate findings are parsed, each once.
type apiCheck struct {
	root   string
	mods   *modules.ModuleSet
	byPath map[string]*model.Package
	usage  modules.Usage
	files  map[string]*ast.File // by slash path relative to the root; nil when unreadable
	fset   *token.FileSet
	// exposed holds, by wrapper and wrapped import path, the wrapped package's names the
	// wrapper's exported declarations mention.
	exposed map[[2]string]map[string]bool
}

func newAPICheck(root string, pkgs []*model.Package, mods *modules.ModuleSet, usage modules.Usage) *apiCheck {
	byPath := map[string]*model.Package{}
	for _, p := range pkgs {
		byPath[p.Path] = p
	}
	return &apiCheck{root: root, mods: mods, byPath: byPath, usage: usage, files: map[string]*ast.File{},
		fset: token.NewFileSet(), exposed: map[[2]string]map[string]bool{}}
}

// instead returns the public packages of q's module that an importer in dir could use
// instead of q, and whether the import of q in file crosses the module's boundary at all.
func (c *apiCheck) instead(from *model.Package, file string, q *model.Package) (wrappers []string, crosses bool) {
	dir := from.Dir
	mi := c.mods.ByName[q.Module]
	if mi == nil {
		return nil, true
	}
	var ws []*model.Package
	for _, w := range mi.Pkgs {
		if w == q || w.TestSupport || modules.TestNamed(w.Dir) || c.mods.Private(w, c.usage) || !visible(dir, w.Dir) || !w.ImportsAny(q.Path) {
			continue
		}
		ws = append(ws, w)
	}
	if len(ws) == 0 {
		// The module offers no API over q here: its name alone (a storage package) does not
		// make it private, only how the code uses it.
		return nil, c.mods.PrivateByUse(q, c.usage)
	}
	used, ok := c.selected(file, q)
	if !ok || len(used) == 0 {
		// unreadable, or a dot import: what it uses is unknown
		for _, w := range ws {
			wrappers = append(wrappers, w.Dir)
		}
		return wrappers, true
	}
	exposed := map[string]bool{}
	for _, w := range ws {
		wrappers = append(wrappers, w.Dir)
		for name := range c.exposure(w, q) {
			exposed[name] = true
		}
	}
	// What another package the importer uses hands out (a manager of its own module that
	// returns q's records) the importer takes from that package, not from q.
	for _, imp := range from.Imports {
		if x := c.byPath[imp.Path]; x != nil && !imp.Test && x != q && x != from && x.ImportsAny(q.Path) {
			for name := range c.exposure(x, q) {
				exposed[name] = true
			}
		}
	}
	for name := range used {
		if !exposed[name] {
			return wrappers, true
		}
	}
	return nil, false
}

// selected returns the names a file selects from its import of q (store.Open, store.User);
// false when the file cannot be read or parsed, or imports it with a dot.
func (c *apiCheck) selected(file string, q *model.Package) (map[string]bool, bool) {
	f := c.parse(file)
	if f == nil {
		return nil, false
	}
	name, ok := localName(f, q.Path, q.Name)
	if !ok {
		return nil, false
	}
	out := map[string]bool{}
	selectedIn(f, name, out)
	return out, true
}

// selectedIn adds to out the names that n selects from the package it calls name (name.X).
func selectedIn(n ast.Node, name string, out map[string]bool) {
	ast.Inspect(n, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok {
			if id, ok := sel.X.(*ast.Ident); ok && id.Name == name {
				out[sel.Sel.Name] = true
			}
		}
		return true
	})
}

// exposure returns the names of q that w hands out: those in the results of its exported
// functions and of the exported methods of its exported types, in the exported fields of its
// exported structs and the results of their interfaces' methods, in its other exported types,
// and in the types of its exported variables. A parameter is no hand-out: a constructor that
// takes the store (orders.New(s *store.Store)) leaves building one to the program's wiring.
func (c *apiCheck) exposure(w, q *model.Package) map[string]bool {
	key := [2]string{w.Path, q.Path}
	if got, ok := c.exposed[key]; ok {
		return got
	}
	out := map[string]bool{}
	for _, file := range w.Files {
		if strings.HasSuffix(file, "_test.go") {
			continue
		}
		f := c.parse(file)
		if f == nil {
			continue
		}
		name, ok := localName(f, q.Path, q.Name)
		if !ok {
			continue
		}
		mention := func(n ast.Node) {
			if n != nil {
				selectedIn(n, name, out)
			}
		}
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				if d.Name.IsExported() && (d.Recv == nil || exportedRecv(d.Recv)) && d.Type.Results != nil {
					mention(d.Type.Results)
				}
			case *ast.GenDecl:
				for _, s := range d.Specs {
					switch s := s.(type) {
					case *ast.TypeSpec:
						if s.Name.IsExported() {
							exportedParts(s.Type, mention)
						}
					case *ast.ValueSpec:
						for _, n := range s.Names {
							if n.IsExported() {
								mention(s.Type)
								break
							}
						}
					}
				}
			}
		}
	}
	c.exposed[key] = out
	return out
}

// exportedParts calls mention with the parts of a type that other packages are handed: a
// struct's exported and embedded fields, the results of an interface's methods and its embeds,
// the whole of any other type.
func exportedParts(t ast.Expr, mention func(ast.Node)) {
	switch t := t.(type) {
	case *ast.StructType:
		for _, fld := range t.Fields.List {
			exported := len(fld.Names) == 0
			for _, n := range fld.Names {
				exported = exported || n.IsExported()
			}
			if exported {
				mention(fld.Type)
			}
		}
	case *ast.InterfaceType:
		for _, m := range t.Methods.List {
			if len(m.Names) == 0 || m.Names[0].IsExported() {
				if ft, ok := m.Type.(*ast.FuncType); ok {
					if ft.Results != nil {
						mention(ft.Results)
					}
				} else {
					mention(m.Type) // an embedded interface
				}
			}
		}
	default:
		mention(t)
	}
}

// exportedRecv reports whether a method's receiver is an exported type.
func exportedRecv(fl *ast.FieldList) bool {
	return len(fl.List) > 0 && ast.IsExported(astutil.TypeName(fl.List[0].Type))
}

// localName returns the name a file refers to an import by: its alias, or the package's
// declared name; false for a file that does not import it, or imports it with a dot or for
// side effects.
func localName(f *ast.File, importPath, declared string) (string, bool) {
	for _, imp := range f.Imports {
		p, err := strconv.Unquote(imp.Path.Value)
		if err != nil || p != importPath {
			continue
		}
		if imp.Name != nil {
			if imp.Name.Name == "." || imp.Name.Name == "_" {
				return "", false
			}
			return imp.Name.Name, true
		}
		return declared, declared != ""
	}
	return "", false
}

// parse reads and parses a file of the repository once, without its comments.
func (c *apiCheck) parse(rel string) *ast.File {
	if f, ok := c.files[rel]; ok {
		return f
	}
	var f *ast.File
	if data, err := safefs.ReadIn(c.root, rel, safefs.GoFile); err == nil {
		f, _ = parser.ParseFile(c.fset, rel, data, parser.SkipObjectResolution)
		if f != nil && f.Name == nil {
			f = nil
		}
	}
	c.files[rel] = f
	return f
}

// visible reports whether a package in dir may import the package in target under Go's rule
// for internal directories: only from within the parent of its last internal element.
func visible(dir, target string) bool {
	segs := model.Segments(target)
	for i := len(segs) - 1; i >= 0; i-- {
		if segs[i] == "internal" {
			parent := strings.Join(segs[:i], "/")
			if parent == "" {
				return true
			}
			return dir == parent || strings.HasPrefix(dir, parent+"/")
		}
	}
	return true
}
