package recognize

import "github.com/cleave-dev/cleave/analyze/typed"

// Sqlx is jmoiron/sqlx; its queries are read as database/sql's.
var Sqlx = register(Recogniser{
	Name:    "sqlx",
	Imports: []string{"github.com/jmoiron/sqlx"},
	Store:   "sql",
	Connect: []typed.ConnectCall{
		{Pkg: "github.com/jmoiron/sqlx", Name: "Open", Arg: 1}, {Pkg: "github.com/jmoiron/sqlx", Name: "Connect", Arg: 1},
		{Pkg: "github.com/jmoiron/sqlx", Name: "MustConnect", Arg: 1}, {Pkg: "github.com/jmoiron/sqlx", Name: "MustOpen", Arg: 1},
	},
})
