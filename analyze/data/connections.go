package data

import (
	"go/ast"
	"go/types"

	"github.com/cleave-dev/cleave/analyze/recognize"
	"github.com/cleave-dev/cleave/analyze/typed"
)

// findConnections finds the database connections of every typed package.
func findConnections(tr *typed.TypedRepo, g *typed.CallGraph) []typed.ConnSite {
	var out []typed.ConnSite
	for _, tp := range tr.Pkgs {
		if tp.Types == nil || !recognize.Connects(tp.Pkg) {
			continue
		}
		x := typed.NewExtractor(tr, g, tp, typed.Hooks{})
		x.Connects = recognize.ConnectCalls
		x.EachFunc(func(obj *types.Func, fd *ast.FuncDecl) {
			out = append(out, x.Connections(obj, fd)...)
		})
	}
	return out
}
