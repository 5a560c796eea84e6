package recognize

import (
	"go/ast"
	"strings"

	"github.com/cleave-dev/cleave/analyze/typed"
)

// SDKClient is a service's client library, published outside the repository (a module of its
// own, such as hashicups-client-go): pkg.NewClient(baseURL, …) or NewAPIClient, NewHTTPClient.
// The request paths are in the library, which is not read; that the program builds a client on
// a URL setting is a call to what the URL names, at the construction. Only an argument that
// reads as an address counts (a URL, or a setting named …_URL, …_URI, …_ADDR, …_HOST,
// …_ENDPOINT), and only on a package no recogniser knows: a database or broker client has its
// own recogniser, and the standard library none of this.
var SDKClient = register(Recogniser{
	Name:    "service client library",
	Markers: []string{"Client("},
	Client: func(x *typed.Extractor, call *ast.CallExpr, name, pkg string, _ ast.Expr) (string, string, string) {
		if pkg == "" || !strings.HasPrefix(name, "New") || !strings.Contains(name, "Client") || Library(pkg) ||
			!strings.Contains(strings.SplitN(pkg, "/", 2)[0], ".") || x.Tr.ByPath[pkg] != nil {
			return "", "", ""
		}
		for _, a := range call.Args {
			if t := x.URLText(a, 0); addressText(t) {
				return "http", "http", t
			}
		}
		return "", "", ""
	},
})

// addressText reports whether a resolved text reads as a service's address: a URL, or an
// environment setting named for one.
func addressText(t string) bool {
	if strings.Contains(t, "${?}") {
		return false
	}
	if strings.Contains(t, "://") {
		return true
	}
	for _, m := range typed.Placeholder.FindAllStringSubmatch(t, -1) {
		n := strings.ToUpper(m[1])
		for _, suf := range []string{"_URL", "_URI", "_ADDR", "_ADDRESS", "_HOST", "_ENDPOINT"} {
			if strings.HasSuffix(n, suf) {
				return true
			}
		}
	}
	return false
}
