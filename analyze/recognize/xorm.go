package recognize

import (
	"github.com/cleave-dev/cleave/analyze/sqltables"
	"github.com/cleave-dev/cleave/analyze/typed"
)

var xormImports = []string{"xorm.io/xorm", "github.com/go-xorm/xorm"}

// xormOps are the methods of an xorm Engine or Session that read or write the table of their
// model argument.
var xormOps = map[string]sqltables.Op{
	"Insert": sqltables.Write, "InsertOne": sqltables.Write, "InsertMulti": sqltables.Write, "Update": sqltables.Write,
	"Delete": sqltables.Write, "Get": sqltables.Read, "Find": sqltables.Read, "FindAndCount": sqltables.Read,
	"Count": sqltables.Read, "Exist": sqltables.Read, "Iterate": sqltables.Read, "Sum": sqltables.Read,
	"SumInt": sqltables.Read, "Sums": sqltables.Read, "Rows": sqltables.Read,
}

// xormORM names tables in snake case, singular: xorm's SnakeMapper and GonicMapper
// (OrderItem: order_item, HTTPLog: http_log).
var xormORM = &orm{imports: xormImports, ops: xormOps, naming: func(_ *typed.Extractor, n string) string { return Snake(n) }}

// Xorm is xorm; gorm's model reader reads its calls with xorm's naming.
var Xorm = register(Recogniser{
	Name:    "xorm",
	Imports: xormImports,
	Store:   "sql",
	Connect: []typed.ConnectCall{{Pkg: "xorm.io/xorm", Name: "NewEngine", Arg: 1}, {Pkg: "github.com/go-xorm/xorm", Name: "NewEngine", Arg: 1}},
})
