package detect

import (
	"fmt"

	"github.com/cleave-dev/cleave/rules"
)

// Layer reports imports against the declared layers: upwards, or past a closed layer.
var Layer = Detector{rules.Layer, func(in *Input) []*rules.Finding {
	var out []*rules.Finding
	for _, v := range in.Facts.Layers {
		imp := v.Import
		f := finding(rules.Layer)
		if v.Skipped != "" {
			f.Message = fmt.Sprintf("%s (layer %s) imports %s (layer %s) past the closed layer %s; go through %s's API",
				imp.Package, v.FromLayer, imp.Imports, v.ToLayer, v.Skipped, v.Skipped)
		} else {
			f.Message = fmt.Sprintf("%s (layer %s) imports %s of layer %s, above it; invert the dependency or move the code down",
				imp.Package, v.FromLayer, imp.Imports, v.ToLayer)
		}
		f.File, f.Line, f.Column = imp.File, imp.Line, imp.Column
		f.Modules = []string{v.From, v.To}
		f.Fingerprint = rules.Fingerprint(f.Rule, imp.File, imp.Imports)
		out = append(out, f)
	}
	return out
}}
