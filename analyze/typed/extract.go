package typed

import (
	"fmt"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"maps"
	"strconv"
	"strings"

	"github.com/cleave-dev/cleave/analyze/model"
	"github.com/cleave-dev/cleave/analyze/sqltables"
)

// AccessSite is one database access found in the code, before attribution to deployables.
type AccessSite struct {
	Table, Store string
	Op           sqltables.Op
	File         string
	Line         int
	Fn           FnKey
	Pkg          *model.Package
	// fixed is set for accesses outside Go code (sqlc's .sql files): module and deployables are
	// given, not derived from the package and the call graph.
	Fixed       bool
	Module      string
	Deployables []string
}

type Extractor struct {
	Tr      *TypedRepo
	Tp      *typedPkg
	G       *CallGraph
	imports map[string]string
	fn      FnKey
	seen    map[token.Pos]bool
	// Bound holds names that a recogniser bound to variables and fields (mongo collections).
	Bound map[types.Object]string
	// Marks holds nodes a recogniser has dealt with (a gorm Model call whose table an
	// operation already took).
	Marks map[ast.Node]bool
	Local map[types.Object]ast.Expr
	// defined holds what each local variable was declared with (q := db.Model(&T{})), which a
	// later q = q.Where(…) does not replace.
	defined map[types.Object]ast.Expr
	// ctes holds, by function, the common table expressions its string literals declare.
	ctes map[*ast.FuncDecl]map[string]bool
	// resolving holds the fields whose values are being rendered (fieldSet), shared with the
	// extractors it makes for other packages.
	resolving map[types.Object]bool
	// noFields is set while a configuration library's index is built (WithoutFields): the
	// readers of fields filled from files are not asked, so that none waits on itself.
	noFields bool
	// urlArg is the URL expression a client recogniser last read (URLOf), until Endpoints
	// takes it.
	urlArg ast.Expr
	// Hooks are the recognisers' readers of what the walk meets.
	Hooks Hooks
	// Transports and Connects are the recognisers' message transports and connection calls.
	Transports []Transport
	Connects   []ConnectCall
	// Clients are the recognisers' readers of calls to other services.
	Clients []ClientCall
	Out     []AccessSite
}

func (x *Extractor) FileImports(prefixes ...string) bool {
	for _, p := range x.imports {
		if model.PathMatches(p, prefixes...) {
			return true
		}
	}
	return false
}

func (x *Extractor) Run() {
	x.seen = map[token.Pos]bool{}
	// Mongo collections bound to variables and fields are collected first, so uses anywhere in the package resolve.
	for _, f := range x.Tp.files {
		x.imports = x.Tp.imports[f]
		if x.Hooks.Bind != nil {
			x.Hooks.Bind(x, f)
		}
	}
	for _, f := range x.Tp.files {
		x.imports = x.Tp.imports[f]
		if x.Hooks.Enter != nil {
			x.Hooks.Enter(x, f)
		}
		for _, decl := range f.Decls {
			switch d := decl.(type) {
			case *ast.FuncDecl:
				if d.Body == nil {
					continue
				}
				obj, _ := x.Tp.info.Defs[d.Name].(*types.Func)
				if obj == nil {
					continue
				}
				x.walk(obj, d.Body)
			case *ast.GenDecl:
				if d.Tok == token.VAR {
					x.walk(x.Tp, d)
				}
			}
		}
	}
	x.settleStores()
}

// settleStores gives the query text that stands on its own (a constant that reads as SQL,
// wherever it stands) the store of the package's queries, where every query handed to a
// database library in the package goes to one store other than SQL's (Cassandra's CQL); SQL's
// otherwise.
func (x *Extractor) settleStores() {
	store := ""
	for _, a := range x.Out {
		switch {
		case a.Store == "" || a.Store == store:
		case store == "" && (a.Store == "sql" || a.Store == "cassandra"):
			store = a.Store
		case a.Store == "sql" || a.Store == "cassandra":
			store = "sql" // several: the text's own is not known, and SQL's is the default
		}
	}
	if store == "" {
		store = "sql"
	}
	for i := range x.Out {
		if x.Out[i].Store == "" {
			x.Out[i].Store = store
		}
	}
}

func (x *Extractor) Add(table, store string, op sqltables.Op, pos token.Pos) {
	if table == "" {
		return
	}
	p := x.Tr.fset.Position(pos)
	x.Out = append(x.Out, AccessSite{Table: table, Store: store, Op: op, File: p.Filename, Line: p.Line, Fn: x.fn, Pkg: x.Tp.Pkg})
}

func (x *Extractor) walk(fn FnKey, root ast.Node) {
	prev := x.fn
	x.fn = fn
	defer func() { x.fn = prev }()
	ast.Inspect(root, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			if n != root {
				x.walk(n, n.Body)
				return false
			}
		case *ast.GenDecl:
			if n.Tok == token.CONST {
				return false // a constant is counted where it is used, not where it is declared
			}
		case *ast.AssignStmt:
			x.assign(n)
		case *ast.CallExpr:
			if x.Hooks.Call != nil {
				x.Hooks.Call(x, n)
			}
		case *ast.CompositeLit:
			if x.Hooks.Lit != nil {
				x.Hooks.Lit(x, n)
			}
		case *ast.BasicLit, *ast.BinaryExpr, *ast.Ident:
			// A constant string that reads as SQL in capitals is SQL wherever it stands.
			if s, ok := x.ConstString(n.(ast.Expr)); ok && !x.seen[n.Pos()] && sqltables.Statement(s) {
				x.seen[n.Pos()] = true
				x.Query(s, "", n.Pos()) // the store is settled when the package is read (Run)
				return false
			}
		}
		return true
	})
}

// assign remembers local variables set once from an expression, so `q := "SELECT …"; db.Query(q)` resolves.
func (x *Extractor) assign(a *ast.AssignStmt) {
	if len(a.Lhs) == 2 && len(a.Rhs) == 1 {
		if call, ok := ast.Unparen(a.Rhs[0]).(*ast.CallExpr); ok {
			if name, pkg, _ := x.CalleeName(call); pkg == "os" && name == "LookupEnv" {
				// v, ok := os.LookupEnv("X"): v is the variable's value.
				x.bind(a.Lhs[0], call)
			} else if id, ok := a.Lhs[0].(*ast.Ident); ok && a.Tok == token.DEFINE {
				// o, err := orm.FromContext(ctx): a chain on o begins with the call, though
				// the call's value is not o's alone.
				if obj := x.Tp.info.Defs[id]; obj != nil {
					if x.defined == nil {
						x.defined = map[types.Object]ast.Expr{}
					}
					x.defined[obj] = call
				}
			}
		}
		return
	}
	if len(a.Lhs) != len(a.Rhs) {
		return
	}
	for i, l := range a.Lhs {
		x.bind(l, a.Rhs[i])
	}
}

// bind records what a local variable was last set to.
func (x *Extractor) bind(l, rhs ast.Expr) {
	id, ok := l.(*ast.Ident)
	if !ok {
		return
	}
	if obj := x.Tp.info.Defs[id]; obj != nil {
		x.Local[obj] = rhs
		if x.defined == nil {
			x.defined = map[types.Object]ast.Expr{}
		}
		x.defined[obj] = rhs
	} else if obj := x.Tp.info.Uses[id]; obj != nil {
		x.Local[obj] = rhs // the last assignment wins: good enough for query strings
	}
}

// ChainCalls returns the method calls a receiver is built by, nearest first, through local
// variables declared with a chain (q := db.Where(…); q.Find(&rows)) and, with fields set,
// through the selection of a field (r.db.Select() goes on to r).
func (x *Extractor) ChainCalls(recv ast.Expr, fields bool) []*ast.CallExpr {
	var out []*ast.CallExpr
	walked := map[*ast.Ident]bool{}
	for e := recv; e != nil; {
		switch n := ast.Unparen(e).(type) {
		case *ast.Ident:
			rhs, ok := x.Defined(n)
			if !ok || walked[n] {
				return out
			}
			walked[n] = true
			e = rhs
		case *ast.CallExpr:
			sel, ok := n.Fun.(*ast.SelectorExpr)
			if !ok {
				return out
			}
			out = append(out, n)
			e = sel.X
		case *ast.SelectorExpr:
			if !fields {
				return out
			}
			e = n.X
		default:
			return out
		}
	}
	return out
}

// Defined returns what a local variable was declared with, where the function declares it
// with := and the walk has passed the declaration.
func (x *Extractor) Defined(id *ast.Ident) (ast.Expr, bool) {
	rhs, ok := x.defined[x.ObjectOf(id)]
	return rhs, ok
}

// ConstString returns the value of a constant string expression, following local variables,
// unexported fields their package sets to one constant only (m.table), and fmt.Sprintf with
// constant arguments.
func (x *Extractor) ConstString(e ast.Expr) (string, bool) {
	return x.constStringDepth(e, 0, false)
}

// SQLString is ConstString for a query, where fmt.Sprintf may also take arguments that are not
// constant (a column list built at run time): each is written as a parameter, ?, which names
// no table wherever it stands. The format itself must be constant.
func (x *Extractor) SQLString(e ast.Expr) (string, bool) {
	return x.constStringDepth(e, 0, true)
}

// unknownArg prints as a SQL parameter whatever the verb.
type unknownArg struct{}

func (unknownArg) Format(f fmt.State, _ rune) { f.Write([]byte("?")) }

// fieldConst returns the constant string an unexported field of the package being read is
// always set to: every value it is given in the package (the only place that can set it) is
// that one constant.
func (x *Extractor) fieldConst(sel *ast.SelectorExpr) (string, bool) {
	v, ok := x.Tp.info.Uses[sel.Sel].(*types.Var)
	if !ok || !v.IsField() || v.Exported() || v.Pkg() == nil || x.Tp.Types == nil || v.Pkg() != x.Tp.Types {
		return "", false
	}
	x.Tp.fieldValues()
	var out string
	for i, e := range x.Tp.fieldSets[v] {
		tv, ok := x.Tp.info.Types[e]
		if !ok || tv.Value == nil || tv.Value.Kind() != constant.String {
			return "", false
		}
		if s := constant.StringVal(tv.Value); i == 0 {
			out = s
		} else if s != out {
			return "", false
		}
	}
	return out, len(x.Tp.fieldSets[v]) > 0
}

func (x *Extractor) constStringDepth(e ast.Expr, depth int, partial bool) (string, bool) {
	if depth > 4 {
		return "", false
	}
	e = ast.Unparen(e)
	if tv, ok := x.Tp.info.Types[e]; ok && tv.Value != nil && tv.Value.Kind() == constant.String {
		return constant.StringVal(tv.Value), true
	}
	switch e := e.(type) {
	case *ast.Ident:
		if obj := x.Tp.info.Uses[e]; obj != nil {
			if rhs, ok := x.Local[obj]; ok {
				return x.constStringDepth(rhs, depth+1, partial)
			}
		}
	case *ast.SelectorExpr:
		return x.fieldConst(e)
	case *ast.BinaryExpr:
		if e.Op == token.ADD {
			l, ok1 := x.constStringDepth(e.X, depth+1, partial)
			r, ok2 := x.constStringDepth(e.Y, depth+1, partial)
			if ok1 && ok2 {
				return l + r, true
			}
		}
	case *ast.CallExpr:
		if sel, ok := e.Fun.(*ast.SelectorExpr); ok && len(e.Args) > 0 {
			if id, ok := sel.X.(*ast.Ident); ok && x.imports[id.Name] == "fmt" && sel.Sel.Name == "Sprintf" {
				format, ok := x.constStringDepth(e.Args[0], depth+1, false)
				if !ok {
					return "", false
				}
				var args []any
				for _, a := range e.Args[1:] {
					if tv, ok := x.Tp.info.Types[a]; ok && tv.Value != nil {
						args = append(args, constantValue(tv.Value))
					} else if s, ok := x.constStringDepth(a, depth+1, partial); ok {
						args = append(args, s)
					} else if partial {
						args = append(args, unknownArg{})
					} else {
						return "", false
					}
				}
				return fmt.Sprintf(format, args...), true
			}
		}
	}
	return "", false
}

func constantValue(v constant.Value) any {
	switch v.Kind() {
	case constant.String:
		return constant.StringVal(v)
	case constant.Int:
		if i, ok := constant.Int64Val(v); ok {
			return i
		}
	case constant.Bool:
		return constant.BoolVal(v)
	case constant.Float:
		f, _ := constant.Float64Val(v)
		return f
	}
	return v.String()
}

// Query adds the tables a query reads and writes, at pos, where its text stands, in a store
// that speaks SQL or a dialect of it (Cassandra's CQL). A name that a common table expression
// declares in another string of the same function is that CTE's (a helper that puts a WITH in
// front of the query it is handed), not a table.
func (x *Extractor) Query(s, store string, pos token.Pos) {
	var ctes map[string]bool
	for _, a := range sqltables.Parse(s) {
		if ctes == nil {
			ctes = x.ctesAround(pos)
		}
		if !ctes[strings.ToLower(a.Table)] {
			x.Add(a.Table, store, a.Op, pos)
		}
	}
}

// ctesAround returns the names the string literals of the function enclosing pos declare as
// common table expressions; an empty set outside any function.
func (x *Extractor) ctesAround(pos token.Pos) map[string]bool {
	var fd *ast.FuncDecl
	if x.Tp.fileAt(pos) != nil {
		fd = x.Tp.enclosingDecl(pos)
	} else {
		for _, tp := range x.Tr.Pkgs {
			if tp.fileAt(pos) != nil {
				fd = tp.enclosingDecl(pos)
				break
			}
		}
	}
	if fd == nil || fd.Body == nil {
		return map[string]bool{}
	}
	if got, ok := x.ctes[fd]; ok {
		return got
	}
	out := map[string]bool{}
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		lit, ok := n.(*ast.BasicLit)
		if !ok || lit.Kind != token.STRING || !strings.Contains(strings.ToUpper(lit.Value), "WITH") {
			return true
		}
		if v, err := strconv.Unquote(lit.Value); err == nil {
			maps.Copy(out, sqltables.CTEs(v))
		}
		return true
	})
	if x.ctes == nil {
		x.ctes = map[*ast.FuncDecl]map[string]bool{}
	}
	x.ctes[fd] = out
	return out
}

// TableRef adds the tables a constant table expression names ("users", "public.users u"),
// with the operation of the call that names them: a builder's From, an ORM's Table.
func (x *Extractor) TableRef(s string, op sqltables.Op, pos token.Pos) {
	for _, a := range sqltables.Parse("FROM " + s) {
		x.Add(a.Table, "sql", op, pos)
	}
}

// CalleeName returns the called function's or method's name and, for a package-qualified
// call, the import path of its package.
func (x *Extractor) CalleeName(call *ast.CallExpr) (name, pkg string, recv ast.Expr) {
	switch f := ast.Unparen(call.Fun).(type) {
	case *ast.Ident:
		return f.Name, "", nil
	case *ast.SelectorExpr:
		if id, ok := f.X.(*ast.Ident); ok {
			if p, ok := x.imports[id.Name]; ok && x.Tp.info.Uses[id] != nil {
				if _, isPkg := x.Tp.info.Uses[id].(*types.PkgName); isPkg {
					return f.Sel.Name, p, nil
				}
			}
		}
		return f.Sel.Name, "", f.X
	}
	return "", "", nil
}

func (x *Extractor) FuncDecl(fn *types.Func) *ast.FuncDecl {
	tp := x.Tr.ByPath[fn.Pkg().Path()]
	if tp == nil {
		return nil
	}
	for _, f := range tp.files {
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && tp.info.Defs[fd.Name] == fn {
				return fd
			}
		}
	}
	return nil
}

func (x *Extractor) ObjectOf(e ast.Expr) types.Object {
	switch e := ast.Unparen(e).(type) {
	case *ast.Ident:
		if obj := x.Tp.info.Defs[e]; obj != nil {
			return obj
		}
		return x.Tp.info.Uses[e]
	case *ast.SelectorExpr:
		return x.Tp.info.Uses[e.Sel]
	}
	return nil
}

// envRead reports whether a callee reads an environment variable: os.Getenv or os.LookupEnv.
func envRead(pkg, name string) bool { return pkg == "os" && (name == "Getenv" || name == "LookupEnv") }

// NameValue reads a name (a DynamoDB table, a queue, a topic): aws.String("t"), &name, a constant,
// or os.Getenv("T") as $T.
func (x *Extractor) NameValue(e ast.Expr) string { return x.nameValue(e, 0) }

func (x *Extractor) nameValue(e ast.Expr, depth int) string {
	if depth > 5 {
		return ""
	}
	e = ast.Unparen(e)
	if u, ok := e.(*ast.UnaryExpr); ok && u.Op == token.AND {
		e = u.X
	}
	if s, ok := x.ConstString(e); ok {
		return s
	}
	if call, ok := e.(*ast.CallExpr); ok && len(call.Args) == 1 {
		name, pkg, _ := x.CalleeName(call)
		switch {
		case envRead(pkg, name):
			if s, ok := x.ConstString(call.Args[0]); ok {
				return "$" + s
			}
		case name == "String":
			return x.nameValue(call.Args[0], depth+1)
		}
	}
	switch e.(type) {
	case *ast.Ident, *ast.SelectorExpr:
		if t := x.loadedField(e, depth); t != "" { // c.KqConf.Topic, where conf.MustLoad filled c
			return t
		}
		obj := x.ObjectOf(e)
		if obj == nil {
			return ""
		}
		if rhs, ok := x.Local[obj]; ok { // a local, or a field the package sets (&d.tableName)
			return x.nameValue(rhs, depth+1)
		}
		// A parameter (a store constructor's table name): what the callers pass.
		t := x.fromCallers(obj, func(sx *Extractor, arg ast.Expr) string {
			if v := sx.nameValue(arg, depth+1); v != "" {
				return v
			}
			return unknown
		})
		if t != unknown {
			return t
		}
	}
	return ""
}

// Hooks let the recognisers read what the extractor walks over.
type Hooks struct {
	// Bind prepares a file before any function of the package is read.
	Bind func(x *Extractor, f *ast.File)
	// Enter is told of each file before its functions are read.
	Enter func(x *Extractor, f *ast.File)
	// Call reads one call expression.
	Call func(x *Extractor, call *ast.CallExpr)
	// Lit reads one composite literal.
	Lit func(x *Extractor, lit *ast.CompositeLit)
}

// NewExtractor reads one typed package.
func NewExtractor(tr *TypedRepo, g *CallGraph, tp *typedPkg, hooks Hooks) *Extractor {
	return &Extractor{Tr: tr, Tp: tp, G: g, Bound: map[types.Object]string{}, Local: map[types.Object]ast.Expr{},
		Marks: map[ast.Node]bool{}, Hooks: hooks}
}

// atSite returns an extractor that reads the caller's side of a call site: its package and
// file imports, with this extractor's recognisers and no locals bound yet.
func (x *Extractor) atSite(site callSite) *Extractor {
	return x.on(site.tp, importsOfCall(site))
}

// on returns an extractor on another package's file (its imports), with this extractor's
// recognisers and nothing bound yet.
func (x *Extractor) on(tp *typedPkg, imports map[string]string) *Extractor {
	y := NewExtractor(x.Tr, x.G, tp, Hooks{})
	y.imports = imports
	y.Connects, y.Transports, y.Clients = x.Connects, x.Transports, x.Clients
	if x.resolving == nil {
		x.resolving = map[types.Object]bool{}
	}
	y.resolving = x.resolving
	y.noFields = x.noFields
	return y
}

// WithoutFields returns an extractor like x, with its bindings, that resolves expressions
// without the readers of fields filled from files (Tr.Fields): what a configuration library's
// own index is built with, since the path of the file it loads may read as such a field.
func (x *Extractor) WithoutFields() *Extractor {
	y := *x
	y.noFields = true
	return &y
}

// EnclosingFunc returns the function declaration of the extractor's package that holds pos,
// nil for a position outside any.
func (x *Extractor) EnclosingFunc(pos token.Pos) *ast.FuncDecl { return x.Tp.enclosingDecl(pos) }

// Once reports whether a node at pos is met for the first time, and marks it met.
func (x *Extractor) Once(pos token.Pos) bool {
	if x.seen[pos] {
		return false
	}
	x.seen[pos] = true
	return true
}

// IsRepo reports whether an object is declared in the repository's own code.
func (x *Extractor) IsRepo(obj types.Object) bool { return x.G.isRepo(obj) }

// Info is the type information of the package being read.
func (x *Extractor) Info() *types.Info { return x.Tp.info }

// Package is the package being read.
func (x *Extractor) Package() *model.Package { return x.Tp.Pkg }

// TypeOf returns the type of an expression, or nil.
func (x *Extractor) TypeOf(e ast.Expr) types.Type { return x.Tp.info.Types[e].Type }

// RepoNamed returns the repository named type behind t (through pointers, slices, arrays, maps).
func (x *Extractor) RepoNamed(t types.Type) *types.Named { return x.G.repoNamed(t) }

// PackageOf returns the repository package with an import path, and its types; nil when the
// path is not the repository's or was not checked.
func (x *Extractor) PackageOf(path string) (*model.Package, *types.Package) {
	tp := x.Tr.ByPath[path]
	if tp == nil {
		return nil, nil
	}
	return tp.Pkg, tp.Types
}

// ConstValue returns the constant string value an expression of a repository package has, when
// that package was checked with bodies.
func (x *Extractor) ConstValue(pkgPath string, e ast.Expr) (string, bool) {
	tp := x.Tr.ByPath[pkgPath]
	if tp == nil {
		return "", false
	}
	if tv, ok := tp.info.Types[e]; ok && tv.Value != nil && tv.Value.Kind() == constant.String {
		return constant.StringVal(tv.Value), true
	}
	return "", false
}

// ImportedConst returns the string value of a constant of another repository package named by
// a selector (names.Invoices) in the code of package pkgPath, read from the declarations: it
// serves where the code was checked without bodies.
func (x *Extractor) ImportedConst(pkgPath string, sel *ast.SelectorExpr) (string, bool) {
	tp := x.Tr.ByPath[pkgPath]
	id, ok := sel.X.(*ast.Ident)
	if tp == nil || !ok {
		return "", false
	}
	f := tp.fileAt(sel.Pos())
	if f == nil {
		return "", false
	}
	dep := x.Tr.ByPath[tp.imports[f][id.Name]]
	if dep == nil || dep.Types == nil {
		return "", false
	}
	return StringConst(dep.Types, sel.Sel.Name)
}

// StringConst returns the value of a package-level string constant of pkg, by its name.
func StringConst(pkg *types.Package, name string) (string, bool) {
	if c, ok := pkg.Scope().Lookup(name).(*types.Const); ok && c.Val().Kind() == constant.String {
		return constant.StringVal(c.Val()), true
	}
	return "", false
}

// ImportOf returns the import path a local package name stands for in the file being read.
func (x *Extractor) ImportOf(name string) string { return x.imports[name] }

// ProtoService returns the full name of a gRPC service (package.Service) as the generated code
// of a repository package declares it in its ServiceDesc, or "" when it declares none: two
// services that each keep a copy of the stubs still name the same service.
func (x *Extractor) ProtoService(pkgPath, service string) string {
	for _, s := range x.protoServices(pkgPath) {
		if s == service || strings.HasSuffix(s, "."+service) {
			return s
		}
	}
	return ""
}

// protoServices lists the ServiceName literals of a repository package in source order, read
// once per package: every generated client or server registration asks.
func (x *Extractor) protoServices(pkgPath string) []string {
	key := "proto-services:" + pkgPath
	if v, ok := x.Tr.Memo.Load(key); ok {
		return v.([]string)
	}
	var names []string
	if tp := x.Tr.ByPath[pkgPath]; tp != nil {
		for _, f := range tp.files {
			ast.Inspect(f, func(n ast.Node) bool {
				kv, ok := n.(*ast.KeyValueExpr)
				if !ok {
					return true
				}
				if k, ok := kv.Key.(*ast.Ident); !ok || k.Name != "ServiceName" {
					return true
				}
				if lit, ok := kv.Value.(*ast.BasicLit); ok && lit.Kind == token.STRING {
					if s, err := strconv.Unquote(lit.Value); err == nil {
						names = append(names, s)
					}
				}
				return true
			})
		}
	}
	x.Tr.Memo.Store(key, names)
	return names
}

// LibrariesOf returns the import paths the declared type of a method chain's receiver refers
// to: for db.Where(…).Find(…), the type db was declared with (*gorm.DB, *xorm.Session), or,
// for a variable of a repository type (an Engine interface of the repository's own), the
// imports its declaration names. It tells which library a call is on where the types of
// outside packages are not known.
func (x *Extractor) LibrariesOf(recv ast.Expr) []string {
	root := recv
	for {
		switch e := ast.Unparen(root).(type) {
		case *ast.CallExpr:
			root = e.Fun
			continue
		case *ast.SelectorExpr:
			if obj, ok := x.ObjectOf(e).(*types.Var); ok && obj != nil {
				return x.declaredLibraries(obj)
			}
			root = e.X
			continue
		case *ast.Ident:
			if obj, ok := x.ObjectOf(e).(*types.Var); ok && obj != nil {
				return x.declaredLibraries(obj)
			}
		}
		return nil
	}
}

// DeclaredOutsideType returns, for an expression naming a variable declared with an outside
// package's type (tx *bolt.Tx, b *bolt.Bucket), that package's import path and the type's
// name; false for any other expression.
func (x *Extractor) DeclaredOutsideType(e ast.Expr) (path, name string, ok bool) {
	id, isID := ast.Unparen(e).(*ast.Ident)
	if !isID {
		return "", "", false
	}
	v, isVar := x.ObjectOf(id).(*types.Var)
	if !isVar {
		return "", "", false
	}
	typ, tp, file := x.declaredType(v)
	if star, isStar := typ.(*ast.StarExpr); isStar {
		typ = star.X
	}
	sel, isSel := typ.(*ast.SelectorExpr)
	if !isSel {
		return "", "", false
	}
	pkg, isPkg := sel.X.(*ast.Ident)
	if !isPkg {
		return "", "", false
	}
	p, found := tp.imports[file][pkg.Name]
	return p, sel.Sel.Name, found
}

// declaredType returns the type expression a variable is declared with (a field's, a var's),
// with its package and file; a nil expression for one declared otherwise (:=) or outside the
// repository.
func (x *Extractor) declaredType(v *types.Var) (ast.Expr, *typedPkg, *ast.File) {
	if v.Pkg() == nil {
		return nil, nil, nil
	}
	tp := x.Tr.ByPath[v.Pkg().Path()]
	if tp == nil {
		return nil, nil, nil
	}
	decl, file := tp.declaring(v.Pos())
	switch d := decl.(type) {
	case *ast.Field:
		return d.Type, tp, file
	case *ast.ValueSpec:
		return d.Type, tp, file
	}
	return nil, tp, file
}

// declaredLibraries finds a variable's declaration and the outside packages its type names.
func (x *Extractor) declaredLibraries(v *types.Var) []string {
	typ, tp, file := x.declaredType(v)
	if tp == nil {
		return nil
	}
	if typ == nil {
		// o, err := orm.FromContext(ctx): the results the repository's function declares.
		if call, ok := x.defined[v].(*ast.CallExpr); ok {
			return x.resultLibraries(call)
		}
		return nil
	}
	libs := referencedImports(typ, tp.imports[file])
	// A type of the repository's own (type Engine interface{ … *xorm.Session }): what it names.
	if named := x.G.repoNamed(tp.info.Types[typ].Type); named != nil {
		if dp := x.Tr.ByPath[named.Obj().Pkg().Path()]; dp != nil {
			for _, f := range dp.files {
				for _, d := range f.Decls {
					g, ok := d.(*ast.GenDecl)
					if !ok {
						continue
					}
					for _, s := range g.Specs {
						if ts, ok := s.(*ast.TypeSpec); ok && dp.info.Defs[ts.Name] == named.Obj() {
							libs = append(libs, referencedImports(ts.Type, dp.imports[f])...)
						}
					}
				}
			}
		}
	}
	return libs
}

// ImplementersLibraries returns, for a receiver of an interface type of the repository's own
// (a Session over a database driver), the outside packages that the packages of the types
// implementing it import: what a call through the interface ends in. Nil for any other
// receiver.
func (x *Extractor) ImplementersLibraries(recv ast.Expr) []string {
	named := x.RepoNamed(x.TypeOf(recv))
	if named == nil {
		return nil
	}
	it, ok := named.Underlying().(*types.Interface)
	if !ok || it.NumMethods() == 0 {
		return nil
	}
	key := "implementers:" + named.Obj().Pkg().Path() + "." + named.Obj().Name()
	if v, ok := x.Tr.Memo.Load(key); ok {
		return v.([]string)
	}
	var out []string
	for _, tp := range x.Tr.Pkgs {
		if tp.Types == nil {
			continue
		}
		scope := tp.Types.Scope()
		for _, name := range scope.Names() {
			tn, ok := scope.Lookup(name).(*types.TypeName)
			if !ok || tn.IsAlias() {
				continue
			}
			if t, ok := tn.Type().(*types.Named); ok && !types.IsInterface(t) && x.G.fits(t, it) {
				for _, imp := range tp.Pkg.Imports {
					if !imp.Test && x.Tr.ByPath[imp.Path] == nil {
						out = append(out, imp.Path)
					}
				}
				break // the package's imports are in
			}
		}
	}
	x.Tr.Memo.Store(key, out)
	return out
}

// resultLibraries returns the outside packages the declared results of the repository function
// a call calls name: FromContext(ctx) (orm.Ormer, error) names beego's orm.
func (x *Extractor) resultLibraries(call *ast.CallExpr) []string {
	fn, tp, fd := x.calleeDecl(call)
	if fd == nil || fd.Type.Results == nil {
		return nil
	}
	return referencedImports(fd.Type.Results, tp.imports[tp.fileAt(fn.Pos())])
}

// referencedImports lists the import paths a type expression refers to by package name.
func referencedImports(e ast.Node, imports map[string]string) []string {
	var out []string
	ast.Inspect(e, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok {
			if id, ok := sel.X.(*ast.Ident); ok {
				if p, ok := imports[id.Name]; ok {
					out = append(out, p)
				}
			}
		}
		return true
	})
	return out
}
