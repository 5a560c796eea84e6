// Package recognize holds what cleave knows of the libraries and transports it recognises, one
// file each: the imports that bring a library in, the database store it reaches, the calls that
// open a connection, the calls that tell what kind of program runs it, the message transport it
// is, and the functions that read its table accesses. Every gate list of the analysis is
// derived from this table, so adding a library is adding a file (and a fixture).
package recognize

import (
	"go/ast"
	"strings"

	"github.com/cleave-dev/cleave/analyze/model"
	"github.com/cleave-dev/cleave/analyze/typed"
)

// A Recogniser describes one library or transport.
type Recogniser struct {
	Name string
	// Imports are the import paths (or prefixes of them) that bring the library in.
	Imports []string
	// Store is the kind of database the library reaches (sql, mongo, dynamodb, redis); "" for none.
	Store string
	// Connect are the calls that open a connection, with the argument holding the DSN.
	Connect []typed.ConnectCall
	// Kinds are the calls that tell what kind of program runs them.
	Kinds []KindCall
	// KindMarkers are words a file holding one of Kinds contains, where the library's import is
	// too common to tell (the standard library); by default, the quoted import itself.
	KindMarkers []string
	// Transport is set for a message transport: what publishes and consumes, and the topics.
	Transport *typed.Transport
	// Markers are words that a file calling out through the library holds: a cheap test that
	// spares the typed analysis where nothing calls out.
	Markers []string
	// Bind, Call and Lit read table accesses: Bind prepares a file, Call reads a call, Lit a
	// composite literal. They run in files that import the library, or in every file of a
	// package that touches a database when AnyFile is set.
	Bind    func(x *typed.Extractor, f *ast.File)
	Call    func(x *typed.Extractor, call *ast.CallExpr, c Callee)
	Lit     func(x *typed.Extractor, lit *ast.CompositeLit)
	AnyFile bool
	// Client reads a call to another service: an HTTP request, a gRPC client or server.
	Client typed.ClientCall
	// Reads reports whether a package must be read for this library although it imports none of
	// Imports (a package that uses an ent-generated client).
	Reads func(ta *typed.TypedRepo, p *model.Package) bool
	// QueryFiles is set for a library that loads named SQL queries (-- name: …) from .sql files
	// at run time: those files of the repository are its importers' queries.
	QueryFiles bool
	// Value is set for a configuration library (viper, a CLI framework): it reads the value an
	// expression gets from the library, for the resolver of addresses and connection settings.
	Value typed.ValueReader
	// Field is set for a library that fills configuration structs from a file: it reads the
	// value it gives a chain of fields.
	Field typed.FieldReader
}

// Callee is a call's function or method name, the import path of its package for a
// package-qualified call, and its receiver expression for a method call.
type Callee struct {
	Name, Pkg string
	Recv      ast.Expr
}

// KindCall is a call that tells what kind of program reaches it.
type KindCall struct {
	Kind string
	// Imports: the file must import one of these (an import path or a prefix of one); empty
	// means the recogniser's own imports.
	Imports []string
	// Names the function or method must have (a trailing * matches a prefix).
	Names []string
	// Qualified: the call must be pkg.Name on the imported package itself (lambda.Start),
	// not a method on a value.
	Qualified bool
	// MainOnly: the call counts only in the main package itself. A clock loop deep in a library
	// (a ticker in a storage engine) says nothing of the program that links it.
	MainOnly bool
	// AnyPackage: the call is qualified by any imported package, the repository's own included
	// (pb.RegisterOrdersServer on a generated package).
	AnyPackage bool
	// Listener: the call starts a server on a listener, so it takes at most three arguments
	// and never a response writer first: fsys.Serve(w, r, key, name) serves one download, not
	// a program.
	Listener bool
}

// All is every recogniser, in the order their files register them.
var All []*Recogniser

func register(r Recogniser) *Recogniser {
	for i := range r.Kinds {
		if r.Kinds[i].Imports == nil {
			r.Kinds[i].Imports = r.Imports
		}
	}
	if r.Transport != nil && r.Transport.Imports == nil {
		r.Transport.Imports = r.Imports
	}
	All = append(All, &r)
	return &r
}

// NameMatches reports whether a name matches one of the patterns (one * matches any run of
// characters: Start*, Register*Server).
func NameMatches(patterns []string, name string) bool {
	for _, p := range patterns {
		if pre, suf, ok := strings.Cut(p, "*"); ok && len(name) >= len(pre)+len(suf) && strings.HasPrefix(name, pre) && strings.HasSuffix(name, suf) || p == name {
			return true
		}
	}
	return false
}

// ImportsPrefix returns the local name of a file's import that one of the prefixes matches; a
// prefix that names a host only (go-micro.dev) matches every path on it.
func ImportsPrefix(names map[string]string, prefixes []string) (string, bool) {
	for local, p := range names {
		for _, pre := range prefixes {
			if model.PathMatches(p, pre) || strings.HasPrefix(p, pre) && strings.Contains(pre, ".") && !strings.Contains(pre, "/") {
				return local, true
			}
		}
	}
	return "", false
}

// AccessHooks are the readers of table accesses: for each call, composite literal and file, the
// recognisers whose library the file imports (or that read every file) are asked in turn. Which
// recognisers those are is settled once per file, not once per call.
func AccessHooks() typed.Hooks {
	var calls, lits []*Recogniser // the recognisers for the file being read
	reads := func(x *typed.Extractor, r *Recogniser) bool { return r.AnyFile || x.FileImports(r.Imports...) }
	return typed.Hooks{
		Bind: func(x *typed.Extractor, f *ast.File) {
			for _, r := range All {
				if r.Bind != nil && x.FileImports(r.Imports...) {
					r.Bind(x, f)
				}
			}
		},
		Enter: func(x *typed.Extractor, f *ast.File) {
			calls, lits = calls[:0], lits[:0]
			for _, r := range All {
				if r.Call != nil && reads(x, r) {
					calls = append(calls, r)
				}
				if r.Lit != nil && reads(x, r) {
					lits = append(lits, r)
				}
			}
		},
		Call: func(x *typed.Extractor, call *ast.CallExpr) {
			if len(calls) == 0 {
				return
			}
			name, pkg, recv := x.CalleeName(call)
			if name == "" {
				return
			}
			c := Callee{Name: name, Pkg: pkg, Recv: recv}
			for _, r := range calls {
				r.Call(x, call, c)
			}
		},
		Lit: func(x *typed.Extractor, lit *ast.CompositeLit) {
			for _, r := range lits {
				r.Lit(x, lit)
			}
		},
	}
}

// Values are the configuration libraries' readers of values.
func Values() []typed.ValueReader {
	var out []typed.ValueReader
	for _, r := range All {
		if r.Value != nil {
			out = append(out, r.Value)
		}
	}
	return out
}

// Fields are the configuration libraries' readers of fields filled from files.
func Fields() []typed.FieldReader {
	var out []typed.FieldReader
	for _, r := range All {
		if r.Field != nil {
			out = append(out, r.Field)
		}
	}
	return out
}

// Clients are the recognisers' readers of calls to other services.
func Clients() []typed.ClientCall {
	var out []typed.ClientCall
	for _, r := range All {
		if r.Client != nil {
			out = append(out, r.Client)
		}
	}
	return out
}

// ReadsTables reports whether a typed package must be read for table accesses: it holds SQL
// text, imports a database library, or a recogniser asks for it.
func ReadsTables(tr *typed.TypedRepo, p *model.Package) bool {
	if p.SQLText || p.ImportsAny(DbLibraries...) {
		return true
	}
	// A package that uses the repository's own wrapper of a database library (a Postgres type
	// holding a pool and a query builder) may query through its fields.
	for _, imp := range p.Imports {
		if w := tr.ByPath[imp.Path]; w != nil && !imp.Test && w.Pkg.ImportsAny(DbLibraries...) {
			return true
		}
	}
	for _, r := range All {
		if r.Reads != nil && r.Reads(tr, p) {
			return true
		}
	}
	return false
}

// Connects reports whether a package may open a database connection.
func Connects(p *model.Package) bool {
	if p.ImportsAny(DbLibraries...) {
		return true
	}
	for _, c := range ConnectCalls {
		if p.ImportsAny(c.Pkg) {
			return true
		}
	}
	return false
}
