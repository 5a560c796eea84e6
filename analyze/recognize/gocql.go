package recognize

import (
	"go/ast"

	"github.com/cleave-dev/cleave/analyze/model"
	"github.com/cleave-dev/cleave/analyze/typed"
)

// cassandraImports are the Cassandra drivers: gocql (and its Apache home) and gocqlx over it.
var cassandraImports = []string{"github.com/gocql/gocql", "github.com/apache/cassandra-gocql-driver",
	"github.com/scylladb/gocqlx"}

// Cassandra is Cassandra's gocql (and ScyllaDB's gocqlx): CQL handed to Session.Query, also
// through an interface of the repository's own whose implementations use the driver (see
// sqlStore), names its tables.
var Cassandra = register(Recogniser{
	Name:    "gocql",
	Imports: cassandraImports,
	Store:   "cassandra",
})

// sqlStore names the store a query's text goes to: cassandra where the call is on a Cassandra
// driver, by the declared type of its receiver or by the implementations of the repository's
// interface it is declared with; sql otherwise.
func sqlStore(x *typed.Extractor, recv ast.Expr) string {
	if recv == nil {
		return "sql"
	}
	libs := append(x.LibrariesOf(recv), x.ImplementersLibraries(recv)...)
	for _, l := range libs {
		if model.PathMatches(l, cassandraImports...) {
			return "cassandra"
		}
	}
	return "sql"
}
