package detect

import (
	"fmt"

	"github.com/cleave-dev/cleave/rules"
)

// Unowned reports, with requireOwnership, the packages no declared module covers.
var Unowned = Detector{rules.Unowned, func(in *Input) []*rules.Finding {
	var out []*rules.Finding
	for _, u := range in.Facts.Unowned {
		f := finding(rules.Unowned)
		f.Message = fmt.Sprintf("package %s belongs to no declared module; add %s to the paths of its module in .cleave.yaml", u.Dir, u.Dir)
		f.File, f.Line, f.Column = u.File, 1, 1
		f.Fingerprint = rules.Fingerprint(f.Rule, u.Dir)
		out = append(out, f)
	}
	return out
}}
