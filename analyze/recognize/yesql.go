package recognize

// Yesql is the family of libraries that keep SQL in .sql files of named queries
// (-- name: get-user) and load them at run time: knadh/goyesql, nleof/goyesql, qustavo/dotsql
// and its original, gchaincl/dotsql. The queries run through database/sql or sqlx, whose
// recognisers find the connection; the tables come from the files.
var Yesql = register(Recogniser{
	Name: "yesql",
	Imports: []string{"github.com/knadh/goyesql", "github.com/nleof/goyesql", "github.com/qustavo/dotsql",
		"github.com/gchaincl/dotsql"},
	Store:      "sql",
	QueryFiles: true,
})
