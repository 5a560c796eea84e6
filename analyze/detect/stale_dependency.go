package detect

import (
	"fmt"

	"github.com/cleave-dev/cleave/rules"
)

// StaleDependency reports dependsOn entries of .cleave.yaml that no import uses.
var StaleDependency = Detector{rules.StaleDependency, func(in *Input) []*rules.Finding {
	var out []*rules.Finding
	for _, s := range in.Facts.Stale {
		f := finding(rules.StaleDependency)
		f.Message = fmt.Sprintf("module %s may depend on %s, but no import of %s uses %s; remove it from dependsOn", s.Module, s.Dep, s.Module, s.Dep)
		f.File, f.Line, f.Column = s.Pos.File, s.Pos.Line, s.Pos.Col
		f.Modules = []string{s.Module, s.Dep}
		f.Fingerprint = rules.Fingerprint(f.Rule, s.Module, s.Dep)
		out = append(out, f)
	}
	return out
}}
