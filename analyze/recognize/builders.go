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

// builderCall reads a query builder's call that names a table.
func builderCall(ops map[string]sqltables.Op) func(x *typed.Extractor, call *ast.CallExpr, c Callee) {
	return func(x *typed.Extractor, call *ast.CallExpr, c Callee) {
		op, ok := ops[c.Name]
		if !ok || len(call.Args) == 0 {
			return
		}
		if s, ok := x.ConstString(call.Args[0]); ok {
			x.TableRef(s, op, call.Pos())
		}
	}
}
