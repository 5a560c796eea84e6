package recognize

var popImports = []string{"github.com/gobuffalo/pop", "github.com/ory/pop"}

// Pop is gobuffalo/pop and its ory fork; gorm's reader reads its calls, which take a model too.
var Pop = register(Recogniser{
	Name:    "pop",
	Imports: popImports,
	Store:   "sql",
})
