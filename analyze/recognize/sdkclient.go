package recognize

import (
	"go/ast"
	"go/types"
	"slices"
	"strings"

	"github.com/cleave-dev/cleave/analyze/model"
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
	Client: func(x *typed.Extractor, call *ast.CallExpr, name, pkg string, recv ast.Expr) (string, string, string) {
		if t := sdkConstruction(x, call, name, pkg); t != "" {
			return "http", "http", t
		}
		// A request made through such a client: s.c.GetCoffees() on a field declared a
		// *hashicups.Client, where the repository builds that package's clients on one address.
		if pkg == "" && recv != nil && ast.IsExported(name) && x.RepoNamed(x.TypeOf(recv)) == nil { // not a wrapper of the repository's own
			if targets := sdkTargets(x.Tr, x.G); len(targets) > 0 {
				for _, lib := range x.LibrariesOf(recv) {
					if ts := targets[lib]; len(ts) == 1 {
						return "http", "http", ts[0]
					}
				}
			}
		}
		return "", "", ""
	},
})

// sdkConstruction returns the address a call builds a service's client on, or "".
func sdkConstruction(x *typed.Extractor, call *ast.CallExpr, name, pkg string) string {
	if pkg == "" || !strings.HasPrefix(name, "New") || !strings.Contains(name, "Client") || Library(pkg) ||
		!strings.Contains(strings.SplitN(pkg, "/", 2)[0], ".") || x.Tr.ByPath[pkg] != nil {
		return ""
	}
	for _, a := range call.Args {
		if t := x.URLText(a, 0); addressText(t) {
			return t
		}
	}
	return ""
}

// sdkTargets maps each client library the repository builds clients of (sdkConstruction) to
// the addresses it builds them on, read once from every package that may call out.
func sdkTargets(tr *typed.TypedRepo, g *typed.CallGraph) map[string][]string {
	if v, ok := tr.Memo.Load("sdk-targets"); ok {
		return v.(map[string][]string)
	}
	out := map[string][]string{}
	for _, tp := range tr.Pkgs {
		if tp.Types == nil || !tp.Bodies || !tp.Pkg.Outbound {
			continue
		}
		ex := typed.NewExtractor(tr, g, tp, typed.Hooks{})
		ex.BindFields()
		ex.EachFunc(func(_ *types.Func, fd *ast.FuncDecl) {
			ast.Inspect(fd.Body, func(n ast.Node) bool {
				if call, ok := n.(*ast.CallExpr); ok {
					name, pkg, _ := ex.CalleeName(call)
					if t := sdkConstruction(ex, call, name, pkg); t != "" && !slices.Contains(out[pkg], t) {
						out[pkg] = append(out[pkg], t)
					}
				}
				return true
			})
		})
	}
	v, _ := tr.Memo.LoadOrStore("sdk-targets", out)
	return v.(map[string][]string)
}

// CallsThroughClients reports whether a package imports a client library that the repository
// builds clients of on an address: its requests through those clients are calls, although no
// word of the package says it calls out.
func CallsThroughClients(tr *typed.TypedRepo, g *typed.CallGraph, p *model.Package) bool {
	targets := sdkTargets(tr, g)
	for _, imp := range p.Imports {
		if len(targets[imp.Path]) == 1 && !imp.Test {
			return true
		}
	}
	return false
}

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
