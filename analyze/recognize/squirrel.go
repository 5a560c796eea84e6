package recognize

// Squirrel is Masterminds/squirrel, a query builder.
var Squirrel = register(Recogniser{
	Name:    "squirrel",
	Imports: []string{"github.com/Masterminds/squirrel"},
	Store:   "sql",
	Call:    builderCall(builderOps, "github.com/Masterminds/squirrel"),
	AnyFile: true,
})
