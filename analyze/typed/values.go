package typed

import (
	"go/ast"
	"go/token"
	"go/types"
	"regexp"
	"strings"

	"github.com/cleave-dev/cleave/analyze/astutil"
)

// ValueReader reads the value a configuration library gives an expression: viper's
// GetString("orders.url"), a urfave/cli context's String("server"), a kingpin flag. It renders
// the value as the resolver does (${NAME}, ${NAME:-default}, a constant) and reports whether
// it knew the expression at all. Calls and database connections share the readers.
type ValueReader func(x *Extractor, e ast.Expr) (string, bool)

// ConfigText renders what a configuration library says of a value: the environment variable
// that sets it, its default, both, or nothing ("", false) when it says neither.
func ConfigText(env, def string) (string, bool) {
	switch {
	case env != "" && def != "":
		return "${" + env + ":-" + def + "}", true
	case env != "":
		return "${" + env + "}", true
	case def != "":
		return def, true
	}
	return "", false
}

// ConfigValue asks the repository's configuration readers for an expression's value.
func (x *Extractor) ConfigValue(e ast.Expr) (string, bool) { return x.readValue(e) }

// readValue asks the repository's configuration readers for an expression's value.
func (x *Extractor) readValue(e ast.Expr) (string, bool) {
	for _, read := range x.Tr.Values {
		if t, ok := read(x, e); ok {
			return t, true
		}
	}
	return "", false
}

// LibraryCall is a call in a file that imports a library, read by a configuration reader's
// index: the extractor is positioned on the call's package and file.
type LibraryCall struct {
	X    *Extractor
	Call *ast.CallExpr
	Name string // the function or method name
	Pkg  string // the import path of a package-qualified call, "" for a method
	Recv ast.Expr
}

// LibraryCalls lists, in source order, every call in the repository's files that import one
// of prefixes (function bodies and package-level initialisers alike). Readers build their
// indexes from it once (see Memo).
func (tr *TypedRepo) LibraryCalls(g *CallGraph, prefixes ...string) []LibraryCall {
	var out []LibraryCall
	tr.libraryFiles(g, prefixes, func(x *Extractor, n ast.Node) {
		switch n := n.(type) {
		case *ast.AssignStmt:
			x.assign(n) // v := viper.New(): what a receiver was set from
		case *ast.CallExpr:
			name, pkg, recv := x.CalleeName(n)
			out = append(out, LibraryCall{X: x, Call: n, Name: name, Pkg: pkg, Recv: recv})
		}
	})
	return out
}

// LibraryAssigns lists, in source order, every assignment in the files that import one of
// prefixes, with an extractor on its file.
func (tr *TypedRepo) LibraryAssigns(g *CallGraph, prefixes ...string) []LibraryAssign {
	var out []LibraryAssign
	tr.libraryFiles(g, prefixes, func(x *Extractor, n ast.Node) {
		if a, ok := n.(*ast.AssignStmt); ok {
			out = append(out, LibraryAssign{X: x, Assign: a})
		}
	})
	return out
}

// LibraryAssign is an assignment in a file importing a library.
type LibraryAssign struct {
	X      *Extractor
	Assign *ast.AssignStmt
}

// LibraryLits lists every composite literal in the files that import one of prefixes, with an
// extractor on its file.
func (tr *TypedRepo) LibraryLits(g *CallGraph, prefixes ...string) []LibraryLit {
	var out []LibraryLit
	tr.libraryFiles(g, prefixes, func(x *Extractor, n ast.Node) {
		if lit, ok := n.(*ast.CompositeLit); ok {
			out = append(out, LibraryLit{X: x, Lit: lit})
		}
	})
	return out
}

// libraryFiles visits, in source order, every node of the repository's files that import one
// of prefixes, with an extractor on the node's package and file.
func (tr *TypedRepo) libraryFiles(g *CallGraph, prefixes []string, visit func(x *Extractor, n ast.Node)) {
	for _, tp := range tr.Pkgs {
		if tp.Types == nil || !tp.Pkg.ImportsAny(prefixes...) {
			continue
		}
		for _, f := range tp.files {
			x := NewExtractor(tr, g, tp, Hooks{})
			x.imports = tp.imports[f]
			if !x.FileImports(prefixes...) {
				continue
			}
			ast.Inspect(f, func(n ast.Node) bool {
				if n != nil {
					visit(x, n)
				}
				return true
			})
		}
	}
}

// LibraryLit is a composite literal in a file importing a library.
type LibraryLit struct {
	X   *Extractor
	Lit *ast.CompositeLit
}

// TypeFrom reports the import path and name of a composite literal's or expression's type
// written as pkg.Name (or *pkg.Name, &pkg.Name{…}): the only way to tell an outside package's
// type, since those are not type-checked.
func (x *Extractor) TypeFrom(e ast.Expr) (pkg, name string) {
	switch t := ast.Unparen(e).(type) {
	case *ast.StarExpr:
		return x.TypeFrom(t.X)
	case *ast.UnaryExpr:
		if t.Op == token.AND {
			return x.TypeFrom(t.X)
		}
	case *ast.CompositeLit:
		return x.TypeFrom(t.Type)
	case *ast.SelectorExpr:
		if id, ok := t.X.(*ast.Ident); ok {
			if p, ok := x.imports[id.Name]; ok {
				return p, t.Sel.Name
			}
		}
	}
	return "", ""
}

// Target returns the variable or field an expression (v, &v, cfg.URL, &cfg.URL) names, or nil.
func (x *Extractor) Target(e ast.Expr) types.Object {
	e = astutil.Addressed(e)
	switch e.(type) {
	case *ast.Ident, *ast.SelectorExpr:
		if v, ok := x.ObjectOf(e).(*types.Var); ok {
			return v
		}
	}
	return nil
}

// VarInit returns the initialiser of a package-level variable (var serverURL =
// app.Flag(…).String()), with an extractor on the file that declares it; nil when obj is no
// such variable of the repository.
func (x *Extractor) VarInit(obj types.Object) (ast.Expr, *Extractor) {
	v, ok := obj.(*types.Var)
	if !ok || v.IsField() || v.Pkg() == nil || v.Parent() != v.Pkg().Scope() {
		return nil, nil
	}
	tp := x.Tr.ByPath[v.Pkg().Path()]
	if tp == nil {
		return nil, nil
	}
	decl, f := tp.declaring(v.Pos())
	vs, ok := decl.(*ast.ValueSpec)
	if !ok || len(vs.Values) != len(vs.Names) {
		return nil, nil
	}
	for i, n := range vs.Names {
		if tp.info.Defs[n] == obj {
			return vs.Values[i], x.on(tp, tp.imports[f])
		}
	}
	return nil, nil
}

// Placeholder matches what the resolver writes for an environment variable: ${NAME},
// ${NAME:-default}, and ${*_NAME} for a name a library prefixes.
var Placeholder = regexp.MustCompile(`\$\{((?:\*_)?[A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}`)

// LookupEnv finds a variable in an environment. ${*_NAME} (a configuration library that puts
// the program's prefix before NAME) is NAME, or the one variable that ends in _NAME; two such
// variables leave it unknown.
func LookupEnv(env map[string]string, name string) (string, string, bool) {
	suffix, wild := strings.CutPrefix(name, "*_")
	if !wild {
		v, ok := env[name]
		return name, v, ok
	}
	if v, ok := env[suffix]; ok {
		return suffix, v, true
	}
	found := ""
	for k := range env {
		if strings.HasSuffix(k, "_"+suffix) {
			if found != "" {
				return "", "", false
			}
			found = k
		}
	}
	if found == "" {
		return "", "", false
	}
	return found, env[found], true
}

// ExpandEnv fills the placeholders of a resolved text from an environment: a variable's value
// when env sets it, else its default. It reports false when a placeholder has neither, or the
// text holds something the resolver could not tell (${?}).
func ExpandEnv(text string, env map[string]string) (string, bool) {
	if strings.Contains(text, unknown) {
		return "", false
	}
	ok := true
	out := Placeholder.ReplaceAllStringFunc(text, func(m string) string {
		sub := Placeholder.FindStringSubmatch(m)
		if _, v, found := LookupEnv(env, sub[1]); found {
			return v
		}
		if strings.Contains(m, ":-") {
			return sub[2]
		}
		ok = false
		return m
	})
	return out, ok
}
