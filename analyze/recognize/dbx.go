package recognize

import (
	"go/ast"
	"go/types"
	"slices"

	"github.com/cleave-dev/cleave/analyze/sqltables"
	"github.com/cleave-dev/cleave/analyze/typed"
)

// dbxImports are go-ozzo/ozzo-dbx and its fork pocketbase/dbx, which keeps its API.
var dbxImports = []string{"github.com/go-ozzo/ozzo-dbx", "github.com/pocketbase/dbx"}

// Dbx is ozzo-dbx: a query builder that names tables (Select().From("album"),
// Insert("album", params), Update and Delete) and a model layer that takes them from a struct
// (Model(&album).Insert(), Select().Model(id, &album), Select().All(&albums) with no From):
// the struct's TableName method, else its name in snake case, unless the repository sets the
// DB's TableMapper, which leaves such names unknown.
var Dbx = register(Recogniser{
	Name:    "ozzo-dbx",
	Imports: dbxImports,
	Store:   "sql",
	Connect: []typed.ConnectCall{
		{Pkg: dbxImports[0], Name: "Open", Arg: 1}, {Pkg: dbxImports[0], Name: "MustOpen", Arg: 1},
		{Pkg: dbxImports[1], Name: "Open", Arg: 1}, {Pkg: dbxImports[1], Name: "MustOpen", Arg: 1},
	},
	// The builder is often a field of the repository's own type (r.db.With(ctx).Select()…).
	AnyFile: true,
	Call:    dbxCall,
})

// dbxORM names a model's table as ozzo-dbx does by default: the struct's name in snake case.
var dbxORM = &orm{naming: func(x *typed.Extractor, typeName string) string {
	if dbxMapped(x) {
		return ""
	}
	return Snake(typeName)
}}

func dbxCall(x *typed.Extractor, call *ast.CallExpr, c Callee) {
	if c.Recv == nil || !slices.Contains([]string{"From", "Insert", "Upsert", "Update", "Delete", "Model", "All", "One"}, c.Name) {
		return
	}
	// A method of the repository's own type (tx.Property(ctx).Delete(key)) is none of dbx's,
	// whatever the file imports.
	if x.RepoNamed(x.TypeOf(c.Recv)) != nil || !x.FileImports(dbxImports...) && !onLibrary(x, c.Recv, dbxImports...) {
		return
	}
	chain := dbxChain(x, c.Recv)
	model := func(e ast.Expr, op sqltables.Op) {
		if t := modelTable(x, dbxORM, e); t != "" {
			x.Add(t, "sql", op, call.Pos())
		}
	}
	switch c.Name {
	case "From": // a SelectQuery's tables: "album", "album a"
		for _, arg := range call.Args {
			if s, ok := x.ConstString(arg); ok {
				x.TableRef(s, sqltables.Read, call.Pos())
			}
		}
	case "Insert", "Upsert", "Update", "Delete":
		if len(call.Args) > 0 {
			if s, ok := x.ConstString(call.Args[0]); ok { // the builder's Insert("album", params)
				x.TableRef(s, sqltables.Write, call.Pos())
				return
			}
		}
		if m := chain["Model"]; m != nil && len(m.Args) == 1 { // Model(&album).Insert()
			model(m.Args[0], sqltables.Write)
		}
	case "Model": // a SelectQuery's Model(pk, &album) reads it; DB.Model(&album) starts a write
		if len(call.Args) == 2 && chain["From"] == nil && freshSelect(x, chain["Select"]) {
			model(call.Args[1], sqltables.Read)
		}
	case "All", "One": // with no From, the model's table; a NewQuery's SQL names its own
		if len(call.Args) == 1 && chain["From"] == nil && chain["NewQuery"] == nil && freshSelect(x, chain["Select"]) {
			model(call.Args[0], sqltables.Read)
		}
	}
}

// freshSelect reports whether a Select call starts a query on a database or a builder
// (db.Select(), r.db.With(ctx).Select()), so that a query with no From in sight has none: a
// function of the repository's that returns a query (app.LogQuery().Select(…)) may have set
// its From, and then the rows' type names no table.
func freshSelect(x *typed.Extractor, sel *ast.CallExpr) bool {
	if sel == nil {
		return false
	}
	recv := ast.Unparen(sel.Fun.(*ast.SelectorExpr).X)
	for seen := 0; seen < 8; seen++ {
		id, ok := recv.(*ast.Ident)
		if !ok {
			break
		}
		rhs, ok := x.Defined(id)
		if !ok {
			break
		}
		recv = ast.Unparen(rhs)
	}
	call, ok := recv.(*ast.CallExpr)
	if !ok {
		return true // a database or a builder held in a variable or a field
	}
	fsel, ok := call.Fun.(*ast.SelectorExpr)
	if !ok {
		return false
	}
	fn, ok := x.ObjectOf(fsel.Sel).(*types.Func)
	if !ok || fn.Pkg() == nil || !x.IsRepo(fn) {
		return fsel.Sel.Name == "WithContext" // dbx's own DB.WithContext
	}
	// The repository's function: what it returns must be a database or a builder.
	decl := x.FuncDecl(fn)
	if decl == nil || decl.Type.Results == nil || len(decl.Type.Results.List) == 0 {
		return false
	}
	t := ast.Unparen(decl.Type.Results.List[0].Type)
	if star, ok := t.(*ast.StarExpr); ok {
		t = star.X
	}
	rsel, ok := t.(*ast.SelectorExpr)
	return ok && (rsel.Sel.Name == "Builder" || rsel.Sel.Name == "DB" || rsel.Sel.Name == "Tx")
}

// dbxChain returns the calls of the chain a receiver is built by, by method name (the nearest
// of each), through local variables (q := db.Select(); q.All(&rows)).
func dbxChain(x *typed.Extractor, recv ast.Expr) map[string]*ast.CallExpr {
	out := map[string]*ast.CallExpr{}
	for _, c := range x.ChainCalls(recv, true) {
		if name := c.Fun.(*ast.SelectorExpr).Sel.Name; out[name] == nil {
			out[name] = c
		}
	}
	return out
}

// dbxMapped reports, once per repository, whether its code sets a DB's TableMapper: the
// tables of models are then named by its function, not by the default.
func dbxMapped(x *typed.Extractor) bool {
	return memo(x, "dbx-mapper", func() bool {
		found := false
		x.Tr.EachFile(func(f *ast.File, imports map[string]string) {
			ast.Inspect(f, func(n ast.Node) bool {
				if as, ok := n.(*ast.AssignStmt); ok {
					for _, l := range as.Lhs {
						if sel, ok := l.(*ast.SelectorExpr); ok && sel.Sel.Name == "TableMapper" {
							found = true
						}
					}
				}
				return !found
			})
		})
		return found
	})
}
