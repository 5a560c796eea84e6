package recognize

import (
	"go/ast"

	"github.com/cleave-dev/cleave/analyze/typed"
)

// restyURLCalls are the methods of a resty request or client that take a URL first.
var restyURLCalls = map[string]bool{"Get": true, "Post": true, "Put": true, "Patch": true, "Delete": true, "SetBaseURL": true}

// Resty is go-resty, an HTTP client.
var Resty = register(Recogniser{
	Name:    "resty",
	Imports: []string{"github.com/go-resty/resty"},
	Markers: []string{"go-resty"},
	Client: func(x *typed.Extractor, call *ast.CallExpr, name, pkg string, recv ast.Expr) (string, string, string) {
		if recv != nil && restyURLCalls[name] && len(call.Args) > 0 && x.FileImports("github.com/go-resty/resty") {
			return "http", "http", x.URLOf(call.Args[0])
		}
		return "", "", ""
	},
})
