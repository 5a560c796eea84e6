package data

import (
	"go/ast"
	"go/types"

	"github.com/cleave-dev/cleave/analyze/recognize"
	"github.com/cleave-dev/cleave/analyze/typed"
)

// findAccesses reads every typed package that uses a database library for the tables it touches.
func findAccesses(tr *typed.TypedRepo, g *typed.CallGraph) []typed.AccessSite {
	var out []typed.AccessSite
	for _, tp := range tr.Pkgs {
		// SQL is found where its text is written or a database library is called.
		if tp.Types == nil || !tp.Bodies || !tp.Pkg.SQLText && !tp.Pkg.ImportsAny(recognize.DbLibraries...) && !typed.ImportsEntClient(tr, tp) {
			continue
		}
		x := &typed.Extractor{Tr: tr, Tp: tp, G: g, MongoVars: map[types.Object]string{}, Local: map[types.Object]ast.Expr{}, ModelUsed: map[*ast.CallExpr]bool{}}
		x.Run()
		out = append(out, x.Out...)
	}
	return out
}
