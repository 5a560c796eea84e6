package detect

import (
	"fmt"
	"strings"

	"github.com/cleave-dev/cleave/rules"
)

// ForbiddenDependency reports imports between modules that a declared dependsOn does not allow.
var ForbiddenDependency = Detector{rules.ForbiddenDependency, func(in *Input) []*rules.Finding {
	var out []*rules.Finding
	for _, e := range in.Facts.Forbidden {
		allowed := "none"
		if len(e.Allowed) > 0 {
			allowed = strings.Join(e.Allowed, ", ")
		}
		imp := e.Import
		f := finding(rules.ForbiddenDependency)
		f.Message = fmt.Sprintf("module %s may not depend on %s (its dependsOn allows: %s), but %s imports %s",
			e.From, e.To, allowed, imp.Package, imp.Imports)
		f.File, f.Line, f.Column = imp.File, imp.Line, imp.Column
		f.Modules = []string{e.From, e.To}
		f.Fingerprint = rules.Fingerprint(f.Rule, imp.File, imp.Imports)
		out = append(out, f)
	}
	return out
}}
