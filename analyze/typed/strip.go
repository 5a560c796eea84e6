package typed

import (
	"go/ast"
	"go/token"
	"runtime"
	"sync"
)

// Which function bodies can matter. Type-checking bodies is most of the typed analysis, and
// most bodies of a large repository can fire no recogniser: they compute, format, validate.
// Before checking, every body is read for what it names, and the body of a function is kept
// only when it can matter:
//   - it names an import a recogniser reads (a database, transport, framework or
//     configuration library; os and flag, for environment and flag values);
//   - it names something whose declaration involves such a library: a type holding a
//     database handle, a field or variable of such a type, a function taking or returning
//     one, a method of such an interface;
//   - it names a function or method whose body is kept: it lies on a call path to one
//     (names are matched without their receivers, so an unrelated method of the same name
//     keeps a body too, which costs only time);
//   - it names a type with a method whose body is kept, or a type embedding one: building a
//     value of the type (T{}, new(T), T(x)) is what lets a call through an interface reach
//     the method;
//   - it holds a string literal (SQL text, an address, an environment variable's or a
//     configuration key's name), sets a field, or builds a keyed composite literal (values
//     the resolver of settings follows);
//   - it is in a main package, or is an init function.
//
// The other bodies are dropped before checking: they call nothing that matters, so the call
// graph loses no path to anything a recogniser reads.

// bodyFacts is what one function body names.
type bodyFacts struct {
	decl     *ast.FuncDecl
	names    []string // every identifier the body and signature name, once each
	direct   bool     // it can matter by itself
	kept     bool
	fileLibs map[string]bool
}

// stripBodies drops the bodies that cannot matter from the parsed packages whose bodies are
// checked. library reports whether an import path is one a recogniser reads.
func stripBodies(pkgs []*typedPkg, library func(path string) bool) {
	libsOf := map[*ast.File]map[string]bool{} // a file's local names of library imports
	for _, tp := range pkgs {
		for _, f := range tp.files {
			libs := map[string]bool{}
			for local, path := range tp.imports[f] {
				if library(path) || path == "os" || path == "flag" || path == "syscall" {
					libs[local] = true
				}
			}
			libsOf[f] = libs
		}
	}
	interesting := interestingDecls(pkgs, libsOf)

	// What each body names, read on every core.
	var bodies []*bodyFacts
	for _, tp := range pkgs {
		if !tp.Bodies {
			continue
		}
		for _, f := range tp.files {
			for _, d := range f.Decls {
				if fd, ok := d.(*ast.FuncDecl); ok && fd.Body != nil {
					bodies = append(bodies, &bodyFacts{decl: fd, fileLibs: libsOf[f],
						direct: tp.Pkg.Name == "main" || fd.Recv == nil && fd.Name.Name == "init"})
				}
			}
		}
	}
	var wg sync.WaitGroup
	workers := runtime.GOMAXPROCS(0)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(bodies); i += workers {
				readBody(bodies[i])
			}
		}()
	}
	wg.Wait()

	// Keep what matters by itself, then whatever names a kept function, until nothing changes.
	byName := map[string][]*bodyFacts{}
	var queue []*bodyFacts
	keep := func(b *bodyFacts) {
		if !b.kept {
			b.kept = true
			queue = append(queue, b)
		}
	}
	for _, b := range bodies {
		if b.direct {
			keep(b)
			continue
		}
		for _, n := range b.names {
			if b.fileLibs[n] || interesting[n] {
				keep(b)
				break
			}
		}
		if !b.kept {
			for _, n := range b.names {
				byName[n] = append(byName[n], b)
			}
		}
	}
	wake := func(name string) {
		for _, c := range byName[name] {
			keep(c)
		}
		delete(byName, name)
	}
	embedders := embeddersOf(pkgs)
	woken := map[string]bool{}
	var wakeType func(name string)
	wakeType = func(name string) {
		if woken[name] {
			return
		}
		woken[name] = true
		wake(name)
		for _, e := range embedders[name] {
			wakeType(e)
		}
	}
	for len(queue) > 0 {
		b := queue[0]
		queue = queue[1:]
		wake(b.decl.Name.Name)
		if r := recvName(b.decl); r != "" {
			wakeType(r)
		}
	}
	for _, b := range bodies {
		if !b.kept {
			b.decl.Body = nil
		}
	}
}

// readBody collects what a function's body and signature name, and whether the body holds a
// string literal, sets a field or builds a keyed composite literal.
func readBody(b *bodyFacts) {
	seen := map[string]bool{}
	visit := func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.Ident:
			if !seen[n.Name] {
				seen[n.Name] = true
				b.names = append(b.names, n.Name)
			}
		case *ast.BasicLit:
			if n.Kind == token.STRING {
				b.direct = true
			}
		case *ast.AssignStmt:
			for _, l := range n.Lhs {
				if _, ok := ast.Unparen(l).(*ast.SelectorExpr); ok {
					b.direct = true
				}
			}
		case *ast.KeyValueExpr:
			b.direct = true
		}
		return !b.direct
	}
	ast.Inspect(b.decl.Type, visit)
	if b.decl.Recv != nil {
		ast.Inspect(b.decl.Recv, visit)
	}
	if !b.direct {
		ast.Inspect(b.decl.Body, visit)
	}
}

// interestingDecls returns the names of the declarations that involve a library: types whose
// definition names a library or another such type, fields and package-level variables and
// constants of such types, functions whose signature names one, and the methods of such
// interfaces.
func interestingDecls(pkgs []*typedPkg, libsOf map[*ast.File]map[string]bool) map[string]bool {
	type spec struct {
		name  string
		typ   ast.Expr
		libs  map[string]bool
		names []string
	}
	var specs []*spec
	for _, tp := range pkgs {
		for _, f := range tp.files {
			for _, d := range f.Decls {
				gd, ok := d.(*ast.GenDecl)
				if !ok || gd.Tok != token.TYPE {
					continue
				}
				for _, s := range gd.Specs {
					ts := s.(*ast.TypeSpec)
					specs = append(specs, &spec{name: ts.Name.Name, typ: ts.Type, libs: libsOf[f], names: identNames(ts.Type)})
				}
			}
		}
	}
	out := map[string]bool{}
	mentions := func(names []string, libs map[string]bool) bool {
		for _, n := range names {
			if libs[n] || out[n] {
				return true
			}
		}
		return false
	}
	for changed := true; changed; {
		changed = false
		for _, s := range specs {
			if !out[s.name] && mentions(s.names, s.libs) {
				out[s.name] = true
				changed = true
			}
		}
	}
	// Members and declarations of those types.
	var names []string
	for _, s := range specs {
		switch t := s.typ.(type) {
		case *ast.StructType:
			for _, fl := range t.Fields.List {
				if mentions(identNames(fl.Type), s.libs) {
					for _, n := range fl.Names {
						names = append(names, n.Name)
					}
				}
			}
		case *ast.InterfaceType:
			if out[s.name] {
				for _, m := range t.Methods.List {
					for _, n := range m.Names {
						names = append(names, n.Name)
					}
				}
			}
		}
	}
	for _, tp := range pkgs {
		for _, f := range tp.files {
			libs := libsOf[f]
			for _, d := range f.Decls {
				switch d := d.(type) {
				case *ast.FuncDecl:
					if mentions(identNames(d.Type), libs) {
						names = append(names, d.Name.Name)
					}
				case *ast.GenDecl:
					if d.Tok == token.IMPORT || d.Tok == token.TYPE {
						continue
					}
					for _, s := range d.Specs {
						vs := s.(*ast.ValueSpec)
						if mentions(identNames(vs), libs) {
							for _, n := range vs.Names {
								names = append(names, n.Name)
							}
						}
					}
				}
			}
		}
	}
	for _, n := range names {
		out[n] = true
	}
	return out
}

// recvName returns the name of a method's receiver type, "" for a function.
func recvName(fd *ast.FuncDecl) string {
	if fd.Recv == nil || len(fd.Recv.List) == 0 {
		return ""
	}
	return typeName(fd.Recv.List[0].Type)
}

// typeName returns the name of the type a type expression names: T, *T, pkg.T, T[X].
func typeName(e ast.Expr) string {
	for {
		switch t := e.(type) {
		case *ast.StarExpr:
			e = t.X
		case *ast.ParenExpr:
			e = t.X
		case *ast.IndexExpr:
			e = t.X
		case *ast.IndexListExpr:
			e = t.X
		case *ast.SelectorExpr:
			return t.Sel.Name
		case *ast.Ident:
			return t.Name
		default:
			return ""
		}
	}
}

// embeddersOf maps each type name to the names of the struct and interface types that embed
// a type of that name.
func embeddersOf(pkgs []*typedPkg) map[string][]string {
	out := map[string][]string{}
	for _, tp := range pkgs {
		for _, f := range tp.files {
			for _, d := range f.Decls {
				gd, ok := d.(*ast.GenDecl)
				if !ok || gd.Tok != token.TYPE {
					continue
				}
				for _, s := range gd.Specs {
					ts := s.(*ast.TypeSpec)
					var fields *ast.FieldList
					switch t := ts.Type.(type) {
					case *ast.StructType:
						fields = t.Fields
					case *ast.InterfaceType:
						fields = t.Methods
					}
					if fields == nil {
						continue
					}
					for _, fl := range fields.List {
						if len(fl.Names) == 0 {
							if n := typeName(fl.Type); n != "" {
								out[n] = append(out[n], ts.Name.Name)
							}
						}
					}
				}
			}
		}
	}
	return out
}

// identNames returns the names of the identifiers under a node, once each.
func identNames(n ast.Node) []string {
	if n == nil {
		return nil
	}
	var out []string
	seen := map[string]bool{}
	ast.Inspect(n, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && !seen[id.Name] {
			seen[id.Name] = true
			out = append(out, id.Name)
		}
		return true
	})
	return out
}
