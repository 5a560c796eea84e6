package recognize

import (
	"go/ast"
	"slices"

	"github.com/cleave-dev/cleave/analyze/model"
	"github.com/cleave-dev/cleave/analyze/typed"
)

// httpURLArg is the argument holding the URL of net/http's client calls.
var httpURLArg = map[string]int{"Get": 0, "Head": 0, "Post": 0, "PostForm": 0, "NewRequest": 1, "NewRequestWithContext": 2}

// clientMethod are the methods of *http.Client that take the URL first.
var clientMethod = map[string]bool{"Get": true, "Head": true, "Post": true, "PostForm": true}

// NetHTTP is net/http, and gRPC's server: a program that serves is a service (also through
// helpers such as exporter-toolkit's ServeMultiple). Its client calls are read by the calls stage.
var NetHTTP = register(Recogniser{
	Name:    "net/http",
	Imports: []string{"net/http", "google.golang.org/grpc"},
	Kinds: []KindCall{{Kind: model.KindService,
		Names: []string{"ListenAndServe*", "ServeMultiple", "ServeListener", "ServeQUIC"}},
		{Kind: model.KindService, Names: []string{"Serve", "ServeTLS"}, Listener: true},
		// Handlers registered on a mux: the program serves, even where a library starts the server.
		{Kind: model.KindRoutes, Names: []string{"HandleFunc", "Handle"}}},
	KindMarkers: []string{"ListenAndServe", ".Serve", ".HandleFunc(", ".Handle("},
	Markers:     []string{"http.Get(", "http.Post(", "http.Head(", "http.PostForm(", "NewRequest", "http.Client"},
	Client: func(x *typed.Extractor, call *ast.CallExpr, name, pkg string, recv ast.Expr) (string, string, string) {
		if arg, ok := httpURLArg[name]; ok && pkg == "net/http" && arg < len(call.Args) {
			return "http", "http", x.URLOf(call.Args[arg])
		}
		// The same calls on a client of the program's own: c.http.Post(c.baseURL, …) where
		// the field is declared an *http.Client.
		if clientMethod[name] && pkg == "" && recv != nil && len(call.Args) > 0 && slices.Contains(x.LibrariesOf(recv), "net/http") {
			return "http", "http", x.URLOf(call.Args[0])
		}
		return "", "", ""
	},
})
