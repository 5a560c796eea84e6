package detect

import (
	"fmt"
	"strings"

	"github.com/cleave-dev/cleave/analyze/facts"
	"github.com/cleave-dev/cleave/analyze/model"
	"github.com/cleave-dev/cleave/rules"
)

// ModuleCycle reports import cycles between modules: one finding per edge of a smallest set whose
// removal leaves the module graph acyclic, at that edge, with the shortest cycle it closes.
var ModuleCycle = Detector{rules.ModuleCycle, func(in *Input) []*rules.Finding {
	var out []*rules.Finding
	for _, c := range in.Facts.ModuleCycles {
		order, cut := c.Modules, c.Cut
		f := finding(rules.ModuleCycle)
		first := cut.Imports[0]
		f.File, f.Line, f.Column = first.File, first.Line, first.Column
		f.Modules = order
		for _, e := range cut.Imports {
			f.Related = append(f.Related, rules.Location{File: e.File, Line: e.Line, Column: e.Column,
				Message: fmt.Sprintf("%s imports %s", e.Package, e.Imports)})
		}
		f.Message = fmt.Sprintf("modules %s → %s form an import cycle; cut it at %s → %s (%s)%s",
			strings.Join(order, " → "), order[0], cut.From, cut.To, countImports(&cut), alsoCut(len(in.Facts.ModuleCycles)))
		// The fingerprint does not depend on where the cycle starts (RotateToMin copies).
		f.Fingerprint = rules.Fingerprint(f.Rule, facts.RotateToMin(order)...)
		inferred(f, in)
		out = append(out, f)
	}
	return out
}}

func countImports(d *model.Dependency) string {
	n, files := len(d.Imports), facts.FileCount(d)
	s := fmt.Sprintf("%d import", n)
	if n != 1 {
		s += "s"
	}
	if files == 1 {
		return s + " in " + d.Imports[0].File
	}
	return fmt.Sprintf("%s in %d files", s, files)
}

// alsoCut says how many cuts leave the graph acyclic, when it takes more than one.
func alsoCut(n int) string {
	switch n {
	case 0, 1:
		return ""
	case 2:
		return "; with the other cut of boundary/module-cycle no module cycle is left"
	}
	return fmt.Sprintf("; with the other %d cuts of boundary/module-cycle no module cycle is left", n-1)
}
