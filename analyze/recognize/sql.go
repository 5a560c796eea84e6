package recognize

import (
	"go/ast"

	"github.com/cleave-dev/cleave/analyze/sqltables"
	"github.com/cleave-dev/cleave/analyze/typed"
)

// sqlCalls are the functions and methods whose first string argument is SQL: database/sql,
// sqlx, pgx (Conn, Pool, Tx, Batch.Queue), gorm's Raw and Exec, and the helpers that wrap them.
var sqlCalls = map[string]bool{
	"Query": true, "QueryContext": true, "QueryRow": true, "QueryRowContext": true,
	"Exec": true, "ExecContext": true, "Prepare": true, "PrepareContext": true,
	"Get": true, "GetContext": true, "Select": true, "SelectContext": true,
	"NamedExec": true, "NamedExecContext": true, "NamedQuery": true, "NamedQueryContext": true,
	"MustExec": true, "MustExecContext": true, "Queryx": true, "QueryxContext": true,
	"QueryRowx": true, "QueryRowxContext": true, "Preparex": true, "PreparexContext": true,
	"PrepareNamed": true, "PrepareNamedContext": true, "Raw": true, "Queue": true, "QueryFunc": true,
	"RawQuery": true,
	// go-zero's sqlx.SqlConn and sqlx.Session, and sqlc.CachedConn's uncached calls.
	"ExecCtx": true, "PrepareCtx": true, "QueryRowCtx": true, "QueryRowsCtx": true,
	"QueryRowPartial": true, "QueryRowPartialCtx": true, "QueryRows": true, "QueryRowsPartial": true,
	"QueryRowsPartialCtx": true, "ExecNoCache": true, "ExecNoCacheCtx": true, "QueryRowNoCache": true,
	"QueryRowNoCacheCtx": true, "QueryRowsNoCache": true, "QueryRowsNoCacheCtx": true,
}

// SQL is database/sql and its drivers. Its reader runs in every file of a package that touches
// a database: SQL handed to a helper named like database/sql's methods is SQL too.
var SQL = register(Recogniser{
	Name:    "database/sql",
	Imports: []string{"database/sql", "github.com/lib/pq", "github.com/go-sql-driver/mysql"},
	Store:   "sql",
	Connect: []typed.ConnectCall{{Pkg: "database/sql", Name: "Open", Arg: 1}},
	AnyFile: true,
	Call: func(x *typed.Extractor, call *ast.CallExpr, c Callee) {
		if !sqlCalls[c.Name] {
			return
		}
		// The first constant string argument is the query when it starts like one; the others
		// are data. A query built with fmt.Sprintf over values known only at run time (a column
		// list) is read with those values as parameters, where it starts like one.
		for _, arg := range call.Args {
			s, ok := x.ConstString(arg)
			if !ok {
				if s, ok = x.SQLString(arg); ok && sqltables.Starts(s) && x.Once(arg.Pos()) {
					x.Query(s, sqlStore(x, c.Recv), arg.Pos())
					break
				}
				continue
			}
			if sqltables.Starts(s) && x.Once(arg.Pos()) {
				x.Query(s, sqlStore(x, c.Recv), arg.Pos())
			}
			break
		}
	},
})
