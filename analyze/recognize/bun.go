package recognize

import (
	"go/ast"
	"go/types"
	"reflect"
	"strings"

	"github.com/cleave-dev/cleave/analyze/sqltables"
	"github.com/cleave-dev/cleave/analyze/typed"
)

// bunQueries are the query constructors of bun and what a query they start does to its table;
// the schema queries (NewCreateTable, NewDropTable) are migrations and count for nothing.
var bunQueries = map[string]sqltables.Op{
	"NewSelect": sqltables.Read, "NewRaw": sqltables.Read,
	"NewInsert": sqltables.Write, "NewUpdate": sqltables.Write, "NewDelete": sqltables.Write,
	"NewMerge": sqltables.Write, "NewTruncateTable": sqltables.Write,
}

// Bun is uptrace/bun: a query names its table through Model(&T{}) (the table of T's
// bun.BaseModel tag, else T's name in snake case, plural), Table("t") or TableExpr("t AS x").
var Bun = register(Recogniser{
	Name:    "bun",
	Imports: []string{"github.com/uptrace/bun"},
	Store:   "sql",
	Connect: []typed.ConnectCall{{Pkg: "github.com/uptrace/bun/driver/pgdriver", Name: "WithDSN", Arg: 0}},
	Call: func(x *typed.Extractor, call *ast.CallExpr, c Callee) {
		if c.Recv == nil || len(call.Args) == 0 {
			return
		}
		switch c.Name {
		case "Model", "Table", "TableExpr":
		default:
			return
		}
		op, ok := bunQuery(c.Recv)
		if !ok {
			return
		}
		if c.Name == "Model" {
			if t := bunModelTable(x, call.Args[0]); t != "" {
				x.Add(t, "sql", op, call.Pos())
			}
			return
		}
		if s, ok := x.ConstString(call.Args[0]); ok {
			x.TableRef(s, op, call.Pos())
		}
	},
})

// bunQuery walks a method chain down to the query constructor that starts it.
func bunQuery(e ast.Expr) (sqltables.Op, bool) {
	for e != nil {
		call, ok := ast.Unparen(e).(*ast.CallExpr)
		if !ok {
			return "", false
		}
		sel, ok := call.Fun.(*ast.SelectorExpr)
		if !ok {
			return "", false
		}
		if op, ok := bunQueries[sel.Sel.Name]; ok {
			return op, true
		}
		if strings.HasPrefix(sel.Sel.Name, "New") {
			return "", false // a schema query, or not bun's
		}
		e = sel.X
	}
	return "", false
}

// bunModelTable names the table of a bun model: the table option of the tag on its embedded
// bun.BaseModel, else bun's convention.
func bunModelTable(x *typed.Extractor, e ast.Expr) string {
	named := x.RepoNamed(x.TypeOf(e))
	if named == nil {
		return ""
	}
	st, ok := named.Underlying().(*types.Struct)
	if !ok {
		return ""
	}
	for i := 0; i < st.NumFields(); i++ {
		if st.Field(i).Name() != "BaseModel" {
			continue
		}
		for _, opt := range strings.Split(reflect.StructTag(st.Tag(i)).Get("bun"), ",") {
			if t, ok := strings.CutPrefix(strings.TrimSpace(opt), "table:"); ok && t != "" {
				return t
			}
		}
	}
	return Plural(Snake(named.Obj().Name()))
}
