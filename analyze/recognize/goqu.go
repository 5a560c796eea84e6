package recognize

// Goqu is doug-martin/goqu, a query builder.
var Goqu = register(Recogniser{
	Name:    "goqu",
	Imports: []string{"github.com/doug-martin/goqu"},
	Store:   "sql",
	Call:    builderCall(builderOps, "github.com/doug-martin/goqu"),
	AnyFile: true,
})
