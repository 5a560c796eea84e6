package data

import (
	"github.com/cleave-dev/cleave/analyze/astutil"
	"github.com/cleave-dev/cleave/analyze/recognize"
	"github.com/cleave-dev/cleave/analyze/typed"
)

// findAccesses reads every typed package that may touch a database for the tables it touches,
// with the recognisers' readers.
func findAccesses(tr *typed.TypedRepo, g *typed.CallGraph) []typed.AccessSite {
	// The packages are read on every core, each with hooks of its own (they hold the
	// recognisers of the file being read); the sites are kept in the packages' order.
	sites := make([][]typed.AccessSite, len(tr.Pkgs))
	astutil.Parallel(len(tr.Pkgs), func(i int) {
		tp := tr.Pkgs[i]
		if tp.Types == nil || !tp.Bodies || !recognize.ReadsTables(tr, tp.Pkg) {
			return
		}
		x := typed.NewExtractor(tr, g, tp, recognize.AccessHooks())
		x.BindFields() // a table name kept in a field: TableName: &d.tableName
		x.Run()
		sites[i] = x.Out
	})
	var out []typed.AccessSite
	for _, s := range sites {
		out = append(out, s...)
	}
	return out
}
