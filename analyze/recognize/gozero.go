package recognize

import (
	"github.com/cleave-dev/cleave/analyze/model"
	"github.com/cleave-dev/cleave/analyze/typed"
)

// goZeroSQL and goZeroCache are go-zero's SQL stores: a connection, and one that caches rows in
// Redis. goctl's models build their queries with fmt.Sprintf over a table field and a column
// list computed at run time; the database/sql reader reads them (see sqlCalls).
const (
	goZeroSQL   = "github.com/zeromicro/go-zero/core/stores/sqlx"
	goZeroCache = "github.com/zeromicro/go-zero/core/stores/sqlc"
)

// GoZeroStores is zeromicro/go-zero's SQL stores.
var GoZeroStores = register(Recogniser{
	Name:    "go-zero sqlx",
	Imports: []string{goZeroSQL, goZeroCache},
	Store:   "sql",
	Connect: []typed.ConnectCall{
		{Pkg: goZeroSQL, Name: "NewMysql", Arg: 0}, {Pkg: goZeroSQL, Name: "NewSqlConn", Arg: 1},
	},
})

// GoZero is zeromicro/go-zero's servers: a REST server and a zRPC (gRPC) server, each started
// with Start.
var GoZero = register(Recogniser{
	Name:    "go-zero",
	Imports: []string{"github.com/zeromicro/go-zero/rest", "github.com/zeromicro/go-zero/zrpc"},
	Kinds: []KindCall{
		{Kind: model.KindService, Names: []string{"Start"}},
		{Kind: model.KindRoutes, Names: []string{"AddRoutes", "AddRoute"}},
	},
})
