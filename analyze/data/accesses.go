package data

import (
	"github.com/cleave-dev/cleave/analyze/recognize"
	"github.com/cleave-dev/cleave/analyze/typed"
)

// findAccesses reads every typed package that may touch a database for the tables it touches,
// with the recognisers' readers.
func findAccesses(tr *typed.TypedRepo, g *typed.CallGraph) []typed.AccessSite {
	var out []typed.AccessSite
	hooks := recognize.AccessHooks()
	for _, tp := range tr.Pkgs {
		if tp.Types == nil || !tp.Bodies || !recognize.ReadsTables(tr, tp.Pkg) {
			continue
		}
		x := typed.NewExtractor(tr, g, tp, hooks)
		x.BindFields() // a table name kept in a field: TableName: &d.tableName
		x.Run()
		out = append(out, x.Out...)
	}
	return out
}
