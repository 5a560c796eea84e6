package recognize

import (
	"go/ast"
	"strings"

	"github.com/cleave-dev/cleave/analyze/sqltables"
	"github.com/cleave-dev/cleave/analyze/typed"
)

// Pgx is jackc/pgx (v4 and v5): its queries are read as database/sql's; CopyFrom names its table.
var Pgx = register(Recogniser{
	Name:    "pgx",
	Imports: []string{"github.com/jackc/pgx"},
	Store:   "sql",
	Connect: []typed.ConnectCall{
		{Pkg: "github.com/jackc/pgx", Name: "Connect", Arg: 1}, {Pkg: "github.com/jackc/pgx", Name: "New", Arg: 1},
		{Pkg: "github.com/jackc/pgx", Name: "ParseConfig", Arg: 0},
	},
	// CopyFrom(ctx, pgx.Identifier{"schema", "table"}, …)
	Call: func(x *typed.Extractor, call *ast.CallExpr, c Callee) {
		if c.Name != "CopyFrom" || len(call.Args) < 2 {
			return
		}
		lit, ok := ast.Unparen(call.Args[1]).(*ast.CompositeLit)
		if !ok {
			return
		}
		var parts []string
		for _, el := range lit.Elts {
			if s, ok := x.ConstString(el); ok {
				parts = append(parts, s)
			}
		}
		if len(parts) > 0 {
			x.Add(strings.Join(parts, "."), "sql", sqltables.Write, call.Pos())
		}
	},
})
