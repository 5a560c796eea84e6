package recognize

import (
	"go/ast"
	"strings"

	"github.com/cleave-dev/cleave/analyze/model"
	"github.com/cleave-dev/cleave/analyze/typed"
)

const (
	kitexClient = "github.com/cloudwego/kitex/client"
	kitexServer = "github.com/cloudwego/kitex/server"
)

// Kitex is CloudWeGo's RPC framework. A server (server.NewServer, or the generated
// xxxservice.NewServer, which returns one) runs with Run. The code kitex generates for a
// service holds NewClient and NewServer: a program that builds a client of it calls the
// programs that serve it, matched by the service's generated package (its IDL namespace
// and service, product/productcatalogservice), wherever each program's copy of it lies.
var Kitex = register(Recogniser{
	Name:    "kitex",
	Imports: []string{kitexServer, kitexClient},
	Markers: []string{"NewClient(", "NewServer("},
	Kinds:   []KindCall{{Kind: model.KindService, Imports: []string{kitexServer}, Names: []string{"Run"}}},
	Client: func(x *typed.Extractor, call *ast.CallExpr, name, pkg string, recv ast.Expr) (string, string, string) {
		if pkg == "" || recv != nil {
			return "", "", ""
		}
		kind, lib := "", ""
		switch name {
		case "NewClient", "MustNewClient":
			kind, lib = "grpc-client", kitexClient
		case "NewServer":
			kind, lib = "grpc-server", kitexServer
		default:
			return "", "", ""
		}
		// Only the code kitex generates for a service: a generated repository package that
		// builds its client or server on kitex's.
		if p, _ := x.PackageOf(pkg); p == nil || !p.Generated || !p.ImportsAny(lib) {
			return "", "", ""
		}
		return kind, "kitex", kitexService(pkg)
	},
})

// kitexService names a service by its generated package's path below kitex_gen (namespace
// and service), else by the path's last two elements.
func kitexService(pkg string) string {
	if _, after, ok := strings.Cut(pkg, "/kitex_gen/"); ok {
		return after
	}
	parts := strings.Split(pkg, "/")
	return strings.Join(parts[max(0, len(parts)-2):], "/")
}

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
