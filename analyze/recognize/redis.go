package recognize

import "github.com/cleave-dev/cleave/analyze/typed"

// Redis is go-redis: a connection setting, no tables.
var Redis = register(Recogniser{
	Name:    "redis",
	Imports: []string{"github.com/redis/go-redis"},
	Connect: []typed.ConnectCall{{Pkg: "github.com/redis/go-redis", Name: "ParseURL", Arg: 0}},
})
