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
		if tp.Types == nil || !tp.Pkg.ImportsAny(recognize.DbLibraries...) && !tp.Pkg.ImportsAny("gorm.io/driver", "github.com/redis/go-redis") {
			continue
		}
		x := &typed.Extractor{Tr: tr, Tp: tp, G: g, Local: map[types.Object]ast.Expr{}}
		x.EachFunc(func(obj *types.Func, fd *ast.FuncDecl) {
			out = append(out, x.Connections(obj, fd)...)
		})
	}
	return out
}
