package detect

import (
	"fmt"

	"github.com/cleave-dev/cleave/rules"
)

// PrivateImport reports imports of a package outside its module's public API.
var PrivateImport = Detector{rules.PrivateImport, func(in *Input) []*rules.Finding {
	var out []*rules.Finding
	for _, e := range in.Facts.Private {
		f := finding(rules.PrivateImport)
		api := "it has no public package: add one, or mark the module open"
		pub := e.Instead
		if len(pub) == 0 {
			pub = in.PublicDirs(e.To)
		}
		if len(pub) > 0 {
			api = "use its public API (" + listShort(pub, 3) + ") instead"
		}
		imp := e.Import
		f.Message = fmt.Sprintf("%s imports %s, a private package of module %s; %s", imp.Package, imp.Imports, e.To, api)
		f.File, f.Line, f.Column = imp.File, imp.Line, imp.Column
		f.Modules = []string{e.From, e.To}
		f.Fingerprint = rules.Fingerprint(f.Rule, imp.File, imp.Imports)
		inferred(f, in)
		out = append(out, f)
	}
	return out
}}
