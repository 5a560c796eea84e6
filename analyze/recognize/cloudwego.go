package recognize

import "github.com/cleave-dev/cleave/analyze/model"

// Kitex is CloudWeGo's RPC framework: a server (server.NewServer, or the generated
// xxxservice.NewServer, which returns one) runs with Run.
var Kitex = register(Recogniser{
	Name:    "kitex",
	Imports: []string{"github.com/cloudwego/kitex/server"},
	Kinds:   []KindCall{{Kind: model.KindService, Names: []string{"Run"}}},
})

// Hertz is CloudWeGo's HTTP framework: a server from server.Default or server.New serves
// with Spin (or Run), and its routes are registered by method.
var Hertz = register(Recogniser{
	Name:    "hertz",
	Imports: []string{"github.com/cloudwego/hertz/pkg/app/server"},
	Kinds: []KindCall{
		{Kind: model.KindService, Names: []string{"Spin", "Run"}},
		{Kind: model.KindRoutes, Names: []string{"GET", "POST", "PUT", "PATCH", "DELETE", "Any", "Handle"}},
	},
})
