package typed

import (
	"go/ast"
	"go/token"
	"slices"

	"github.com/cleave-dev/cleave/analyze/astutil"
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
//     configuration key's name), names a constant or a variable given a literal, sets a
//     field, builds a keyed composite literal, or only returns a value (values the resolver
//     of names and settings follows);
//   - it is in a main package, or is an init function.
//
// The other bodies are dropped before checking: they call nothing that matters, so the call
// graph loses no path to anything a recogniser reads.

// bodyFacts is what one function body names. In a file where most bodies matter by
// themselves (most real code), every body stays until the whole repository is read, and is
// dropped then if it does not matter. In a file where most do not, those are dropped as soon
// as it is parsed, to spare the memory, and the file is parsed again should one of them turn
// out to matter.
type bodyFacts struct {
	file, decl int      // the indexes of the file in its package and of the declaration in it
	start      int      // the offset of the declaration's func keyword in its file
	name, recv string   // the function's name, and its receiver type's for a method
	names      []string // every identifier the body and signature name, once each
	kept       bool
	early      bool // dropped as the file was parsed
	// absent is set for a declaration left out of its file's tree (see Prefetch.unnamed); sig
	// holds what its signature names then, and decl is -1 until the file is parsed again.
	absent bool
	sig    []string
	// skeletal is set for a body that the file's skeleton holds only the names of (see
	// skeleton); fromTree for one read from the syntax tree, not the tokens.
	skeletal, fromTree bool
}

// libraryNames returns the local names a file gives the imports of libraries.
func (tr *TypedRepo) libraryNames(imports map[string]string) map[string]bool {
	libs := map[string]bool{}
	for local, path := range imports {
		lib, ok := tr.libraries.Load(path)
		if !ok {
			lib = tr.library(path) || path == "os" || path == "flag" || path == "syscall"
			tr.libraries.Store(path, lib)
		}
		if lib.(bool) {
			libs[local] = true
		}
	}
	return libs
}

// readBodies reads what the function bodies of a file just parsed name, keeps those that
// matter by themselves and drops the others, remembering what they named.
func (tr *TypedRepo) readBodies(tp *typedPkg, fi int, seen map[string]bool) {
	f := tp.files[fi]
	libs := tr.libraryNames(tp.imports[f])
	first, kept := len(tp.bodies), 0
	tf := tr.fset.File(f.Pos())
	for di, d := range f.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok || fd.Body == nil {
			continue
		}
		b := &bodyFacts{file: fi, decl: di, start: tf.Offset(fd.Pos()), name: fd.Name.Name, recv: recvName(fd), fromTree: true}
		b.kept = alwaysKept(tp.Pkg.Name, fd.Name.Name, fd.Recv != nil) || readBody(b, fd, libs, seen)
		if b.kept {
			kept++
		}
		tp.bodies = append(tp.bodies, b)
	}
	if mostlyInert(kept, len(tp.bodies)-first) {
		for _, b := range tp.bodies[first:] {
			if !b.kept {
				f.Decls[b.decl].(*ast.FuncDecl).Body = nil
				b.early = true
			}
		}
	}
}

// alwaysKept reports whether a function's body is kept for where it lies: every body of a
// main package, and an init function's.
func alwaysKept(pkgName, name string, method bool) bool {
	return pkgName == "main" || !method && name == "init"
}

// mostlyInert reports whether a file whose n bodies keep kept is one to drop the others of as
// it is read, rather than when the whole repository is.
func mostlyInert(kept, n int) bool { return kept*2 < n }

// readBody collects what a function's body and signature name, and reports whether the body
// matters by itself: it names a library, holds a string literal, sets a field, builds a keyed
// composite literal, or only returns a value.
func readBody(b *bodyFacts, fd *ast.FuncDecl, libs, seen map[string]bool) (matters bool) {
	clear(seen)
	visit := func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.Ident:
			if libs[n.Name] {
				matters = true
			} else if !seen[n.Name] {
				seen[n.Name] = true
				b.names = append(b.names, n.Name)
			}
		case *ast.BasicLit:
			if n.Kind == token.STRING {
				matters = true
			}
		case *ast.AssignStmt:
			for _, l := range n.Lhs {
				if _, ok := ast.Unparen(l).(*ast.SelectorExpr); ok {
					matters = true
				}
			}
		case *ast.KeyValueExpr:
			matters = true
		}
		return !matters
	}
	// A function that only returns a value (a TableName method, a getter of a name or a
	// port) is where the resolver reads a value from.
	if len(fd.Body.List) == 1 && fd.Type.Results != nil && len(fd.Type.Results.List) == 1 && len(fd.Type.Results.List[0].Names) <= 1 {
		switch fd.Type.Results.List[0].Type.(type) {
		case *ast.Ident, *ast.SelectorExpr:
			if _, ok := fd.Body.List[0].(*ast.ReturnStmt); ok {
				matters = true
			}
		}
	}
	ast.Inspect(fd.Type, visit)
	if fd.Recv != nil && !matters {
		ast.Inspect(fd.Recv, visit)
	}
	if !matters {
		ast.Inspect(fd.Body, visit)
	}
	if matters {
		b.names = nil
	}
	return matters
}

// stripBodies settles which of the dropped bodies matter after all: those naming something
// whose declaration involves a library, a function or method whose body is kept, or a type
// with a kept method; it parses their files again.
func (tr *TypedRepo) stripBodies(root string) {
	libsOf := map[*ast.File]map[string]bool{}
	for _, tp := range tr.Pkgs {
		for _, f := range tp.files {
			libsOf[f] = tr.libraryNames(tp.imports[f])
		}
	}
	interesting := interestingDecls(tr.Pkgs, libsOf)
	byName := map[string][]*bodyFacts{}
	var queue []*bodyFacts
	keep := func(b *bodyFacts) {
		if !b.kept {
			b.kept = true
			queue = append(queue, b)
		}
	}
	// Only a name that can be woken is worth indexing: a function's or a method's, or a
	// type's (a receiver, or one that embeds another). The bodies are judged package by
	// package on every core; the index is built from what they found.
	embedders := embeddersOf(tr.Pkgs)
	wakeable := map[string]bool{}
	for _, tp := range tr.Pkgs {
		for _, b := range tp.bodies {
			wakeable[b.name] = true
			if b.recv != "" {
				wakeable[b.recv] = true
			}
		}
	}
	for t, es := range embedders {
		wakeable[t] = true
		for _, e := range es {
			wakeable[e] = true
		}
	}
	type mention struct {
		name string
		b    *bodyFacts
	}
	kept := make([][]*bodyFacts, len(tr.Pkgs))
	mentions := make([][]mention, len(tr.Pkgs))
	astutil.Parallel(len(tr.Pkgs), func(i int) {
		for _, b := range tr.Pkgs[i].bodies {
			if !b.kept {
				for _, n := range b.names {
					if interesting[n] {
						b.kept = true
						break
					}
				}
			}
			if b.kept {
				kept[i] = append(kept[i], b)
				continue
			}
			for _, n := range b.names {
				if wakeable[n] {
					mentions[i] = append(mentions[i], mention{n, b})
				}
			}
		}
	})
	for i := range tr.Pkgs {
		queue = append(queue, kept[i]...)
		for _, m := range mentions[i] {
			byName[m.name] = append(byName[m.name], m.b)
		}
	}
	wake := func(name string) {
		for _, c := range byName[name] {
			keep(c)
		}
		delete(byName, name)
	}
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
		wake(b.name)
		if b.recv != "" {
			wakeType(b.recv)
		}
	}
	// The bodies that do not matter are dropped; the files with a body dropped at parse time
	// that matters after all are parsed again.
	for _, tp := range tr.Pkgs {
		for _, b := range tp.bodies {
			if !b.kept && !b.absent {
				tp.files[b.file].Decls[b.decl].(*ast.FuncDecl).Body = nil
			}
		}
	}
	tr.parseAgain(root, func(_ *typedPkg, b *bodyFacts) bool { return b.kept && b.early })
	tr.Whole = wholeFiles(tr.Pkgs)
	tr.dropUnnamed(root)
	for _, tp := range tr.Pkgs {
		// Only where every body was judged: a package whose bodies are not checked is still
		// read by its syntax (a TableName method returning another package's constant).
		tp.lean = tp.Bodies && tp.Pkg.Name != "main" && !slices.ContainsFunc(tp.bodies, func(b *bodyFacts) bool { return b.kept }) &&
			!valuesMention(tp, libsOf, interesting)
		tp.bodies = nil
	}
}

// wholeFiles lists the files whose text the typed pass reads beyond their skeletons: every
// file of a package whose bodies are not checked (its syntax is read whole), and every file
// with a body kept though its skeleton holds only its names, or judged by its syntax tree.
func wholeFiles(pkgs []*typedPkg) []string {
	var out []string
	for _, tp := range pkgs {
		whole := map[int]bool{}
		if !tp.Bodies {
			for fi := range tp.files {
				whole[fi] = true
			}
		}
		for _, b := range tp.bodies {
			if b.fromTree || b.kept && b.skeletal {
				whole[b.file] = true
			}
		}
		for fi := range whole {
			out = append(out, tp.Pkg.Files[tp.fileIndex[fi]])
		}
	}
	slices.Sort(out)
	return out
}

// dropUnnamed removes, where most bodies were dropped, the declarations of the functions
// (not methods, which make up method sets) whose body was dropped and whose name nothing
// left names: no kept body, no signature, no type, variable or constant declaration. They
// can be called only from bodies that were dropped, so they can matter to nothing, and
// checking their signatures would cost as much as the rest. Where most bodies are kept (most
// real code) the pass does not run: it would have to read every kept body through. A
// declaration left out of its file's tree ahead (see Prefetch.unnamed) that is to stay after
// all is put back: its file is parsed again.
func (tr *TypedRepo) dropUnnamed(root string) {
	pkgs := tr.Pkgs
	total, dropped := 0, 0
	for _, tp := range pkgs {
		for _, b := range tp.bodies {
			total++
			if !b.kept {
				dropped++
			}
		}
	}
	if total == 0 || dropped*10 < total*3 {
		tr.parseAgain(root, func(_ *typedPkg, b *bodyFacts) bool { return b.absent })
		return
	}
	// Only the names of the functions that may go are looked for: package by package on
	// every core, then merged.
	candidates := map[string]bool{}
	for _, tp := range pkgs {
		if tp.Pkg.Name != "main" {
			for _, b := range tp.bodies {
				if !b.kept && b.recv == "" {
					candidates[b.name] = true
				}
			}
		}
	}
	byPkg := make([]map[string]bool, len(pkgs))
	astutil.Parallel(len(pkgs), func(i int) {
		named := map[string]bool{}
		note := func(n ast.Node) {
			ast.Inspect(n, func(n ast.Node) bool {
				if id, ok := n.(*ast.Ident); ok && candidates[id.Name] {
					named[id.Name] = true
				}
				return true
			})
		}
		for _, f := range pkgs[i].files {
			for _, d := range f.Decls {
				switch d := d.(type) {
				case *ast.FuncDecl:
					note(d.Type)
					if d.Recv != nil {
						note(d.Recv)
					}
					if d.Body != nil {
						note(d.Body)
					}
				case *ast.GenDecl:
					if d.Tok != token.IMPORT {
						for _, s := range d.Specs {
							note(s)
						}
					}
				}
			}
		}
		for _, b := range pkgs[i].bodies {
			if b.absent { // its signature, as the scan read it
				for _, n := range b.sig {
					if candidates[n] {
						named[n] = true
					}
				}
			}
		}
		byPkg[i] = named
	})
	named := map[string]bool{}
	for _, m := range byPkg {
		for n := range m {
			named[n] = true
		}
	}
	// A declaration's own name is not among the names it mentions; init is always kept.
	gone := func(tp *typedPkg, b *bodyFacts) bool {
		return tp.Pkg.Name != "main" && !b.kept && b.recv == "" && !named[b.name]
	}
	tr.parseAgain(root, func(tp *typedPkg, b *bodyFacts) bool { return b.absent && !gone(tp, b) })
	for _, tp := range pkgs {
		if tp.Pkg.Name == "main" {
			continue
		}
		for fi, f := range tp.files {
			goneDecls := map[int]bool{}
			for _, b := range tp.bodies {
				if b.file == fi && !b.absent && gone(tp, b) {
					goneDecls[b.decl] = true
				}
			}
			if len(goneDecls) == 0 {
				continue
			}
			kept := f.Decls[:0:0]
			for di, d := range f.Decls {
				if !goneDecls[di] {
					kept = append(kept, d)
				}
			}
			f.Decls = kept
		}
	}
}

// parseAgain parses again, on every core, each file with a body for which again is true.
func (tr *TypedRepo) parseAgain(root string, again func(*typedPkg, *bodyFacts) bool) {
	type file struct {
		tp *typedPkg
		fi int
	}
	var files []file
	for _, tp := range tr.Pkgs {
		for _, b := range tp.bodies { // a file's bodies come together
			if again(tp, b) && (len(files) == 0 || files[len(files)-1] != (file{tp, b.file})) {
				files = append(files, file{tp, b.file})
			}
		}
	}
	astutil.Parallel(len(files), func(i int) { tr.reparse(root, files[i].tp, files[i].fi) })
}

// valuesMention reports whether a package-level variable or constant of the package names a
// library or a declaration that involves one, or holds a string: code a recogniser or the
// resolver may read outside any body. A blank variable is read by nothing.
func valuesMention(tp *typedPkg, libsOf map[*ast.File]map[string]bool, interesting map[string]bool) bool {
	for _, f := range tp.files {
		libs := libsOf[f]
		for _, d := range f.Decls {
			gd, ok := d.(*ast.GenDecl)
			if !ok || gd.Tok != token.VAR && gd.Tok != token.CONST {
				continue
			}
			for _, s := range gd.Specs {
				vs := s.(*ast.ValueSpec)
				if !slices.ContainsFunc(vs.Names, func(n *ast.Ident) bool { return n.Name != "_" }) {
					continue // a blank variable: nothing can read it
				}
				found := false
				visit := func(n ast.Node) bool {
					switch n := n.(type) {
					case *ast.Ident:
						found = found || libs[n.Name] || interesting[n.Name]
					case *ast.BasicLit:
						found = found || n.Kind == token.STRING
					}
					return !found
				}
				if vs.Type != nil {
					ast.Inspect(vs.Type, visit)
				}
				for _, v := range vs.Values {
					ast.Inspect(v, visit)
				}
				if found || gd.Tok == token.CONST && len(vs.Values) == 0 {
					return true // a constant of an iota sequence: the values are implicit
				}
			}
		}
	}
	return false
}

// reparse parses a file of a package again, keeping the bodies that matter, and the
// declarations left out of its tree (see Prefetch.unnamed) with them.
func (tr *TypedRepo) reparse(root string, tp *typedPkg, fi int) {
	old := tp.files[fi]
	f := tr.parseFile(root, tp.Pkg.Files[tp.fileIndex[fi]])
	if f == nil {
		return
	}
	// The bodies are found again by where their declarations start; a file that holds other
	// bodies than those known changed since it was read, and stays as it was read.
	tf := tr.fset.File(f.Pos())
	at := map[int]int{}
	for di, d := range f.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok && fd.Body != nil {
			at[tf.Offset(fd.Pos())] = di
		}
	}
	var mine []*bodyFacts
	for _, b := range tp.bodies {
		if b.file == fi {
			if _, ok := at[b.start]; !ok {
				return
			}
			mine = append(mine, b)
		}
	}
	if len(mine) != len(at) {
		return
	}
	for _, b := range mine {
		b.decl, b.absent, b.sig = at[b.start], false, nil
		if !b.kept {
			f.Decls[b.decl].(*ast.FuncDecl).Body = nil
		}
	}
	tp.files[fi] = f
	tp.importsMu.Lock()
	tp.imports[f] = tp.imports[old]
	delete(tp.imports, old)
	tp.importsMu.Unlock()
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
	eachTypeSpec(pkgs, func(f *ast.File, ts *ast.TypeSpec) {
		specs = append(specs, &spec{name: ts.Name.Name, typ: ts.Type, libs: libsOf[f], names: identNames(ts.Type)})
	})
	out := map[string]bool{}
	mentions := func(names []string, libs map[string]bool) bool {
		for _, n := range names {
			if libs[n] || out[n] {
				return true
			}
		}
		return false
	}
	// names a node, without collecting them.
	mentionsIn := func(n ast.Node, libs map[string]bool) (found bool) {
		if n == nil {
			return false
		}
		ast.Inspect(n, func(n ast.Node) bool {
			if id, ok := n.(*ast.Ident); ok && (libs[id.Name] || out[id.Name]) {
				found = true
			}
			return !found
		})
		return found
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
				if mentionsIn(fl.Type, s.libs) {
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
	// The declarations are read package by package on every core; out is only read here.
	byPkg := make([][]string, len(pkgs))
	astutil.Parallel(len(pkgs), func(i int) {
		var names []string
		for _, f := range pkgs[i].files {
			libs := libsOf[f]
			for _, d := range f.Decls {
				switch d := d.(type) {
				case *ast.FuncDecl:
					if mentionsIn(d.Type, libs) {
						names = append(names, d.Name.Name)
					}
				case *ast.GenDecl:
					if d.Tok == token.IMPORT || d.Tok == token.TYPE {
						continue
					}
					for _, s := range d.Specs {
						// A constant, or a variable given a literal, is a value the resolver
						// follows into the bodies that name it (a table name, a query, a port).
						vs := s.(*ast.ValueSpec)
						if d.Tok == token.CONST || mentionsIn(vs, libs) || holdsLiteral(vs) {
							for _, n := range vs.Names {
								names = append(names, n.Name)
							}
						}
					}
				}
			}
		}
		// A function left out of its file's tree, by what its signature names.
		for _, b := range pkgs[i].bodies {
			if b.absent && slices.ContainsFunc(b.sig, func(n string) bool { return libsOf[pkgs[i].files[b.file]][n] || out[n] }) {
				names = append(names, b.name)
			}
		}
		byPkg[i] = names
	})
	for _, pn := range byPkg {
		names = append(names, pn...)
	}
	for _, n := range names {
		out[n] = true
	}
	return out
}

// holdsLiteral reports whether a declaration holds a basic literal (a string, a number).
func holdsLiteral(n ast.Node) (found bool) {
	ast.Inspect(n, func(n ast.Node) bool {
		if _, ok := n.(*ast.BasicLit); ok {
			found = true
		}
		return !found
	})
	return found
}

// recvName returns the name of a method's receiver type, "" for a function.
func recvName(fd *ast.FuncDecl) string {
	if fd.Recv == nil || len(fd.Recv.List) == 0 {
		return ""
	}
	return astutil.TypeName(fd.Recv.List[0].Type)
}

// embeddersOf maps each type name to the names of the struct and interface types that embed
// a type of that name.
func embeddersOf(pkgs []*typedPkg) map[string][]string {
	out := map[string][]string{}
	eachTypeSpec(pkgs, func(_ *ast.File, ts *ast.TypeSpec) {
		var fields *ast.FieldList
		switch t := ts.Type.(type) {
		case *ast.StructType:
			fields = t.Fields
		case *ast.InterfaceType:
			fields = t.Methods
		}
		if fields == nil {
			return
		}
		for _, fl := range fields.List {
			if len(fl.Names) == 0 {
				if n := astutil.TypeName(fl.Type); n != "" {
					out[n] = append(out[n], ts.Name.Name)
				}
			}
		}
	})
	return out
}

// eachTypeSpec calls fn for every type declaration of the packages, with its file.
func eachTypeSpec(pkgs []*typedPkg, fn func(f *ast.File, ts *ast.TypeSpec)) {
	for _, tp := range pkgs {
		for _, f := range tp.files {
			for _, d := range f.Decls {
				if gd, ok := d.(*ast.GenDecl); ok && gd.Tok == token.TYPE {
					for _, s := range gd.Specs {
						fn(f, s.(*ast.TypeSpec))
					}
				}
			}
		}
	}
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
