package recognize

import (
	"go/ast"

	"github.com/cleave-dev/cleave/analyze/sqltables"
	"github.com/cleave-dev/cleave/analyze/typed"
)

// builderOps are the calls of squirrel and goqu that name a table in their first argument.
var builderOps = map[string]sqltables.Op{"From": sqltables.Read, "Join": sqltables.Read, "LeftJoin": sqltables.Read,
	"RightJoin": sqltables.Read, "InnerJoin": sqltables.Read, "CrossJoin": sqltables.Read, "FullJoin": sqltables.Read,
	"Insert": sqltables.Write, "Into": sqltables.Write, "Update": sqltables.Write, "Delete": sqltables.Write, "Replace": sqltables.Write}

// builderCall reads a query builder's call that names a table. It runs in every file of a
// package that reads tables, since the builder is often a field of a repository type that
// wraps it (r.Builder.Select(…).From("history") in a package that imports only the wrapper):
// the call counts in a file that imports the builder, or when its receiver is of the builder's
// types.
func builderCall(ops map[string]sqltables.Op, imports ...string) func(x *typed.Extractor, call *ast.CallExpr, c Callee) {
	return func(x *typed.Extractor, call *ast.CallExpr, c Callee) {
		op, ok := ops[c.Name]
		if !ok || len(call.Args) == 0 {
			return
		}
		if !x.FileImports(imports...) && (c.Pkg != "" || !onLibrary(x, c.Recv, imports...)) {
			return
		}
		if s, ok := x.ConstString(call.Args[0]); ok {
			x.TableRef(s, op, call.Pos())
		}
	}
}
