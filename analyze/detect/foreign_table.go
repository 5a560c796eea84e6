package detect

import (
	"fmt"
	"sort"

	"github.com/cleave-dev/cleave/analyze/model"
	"github.com/cleave-dev/cleave/analyze/sqltables"
	"github.com/cleave-dev/cleave/rules"
)

// ForeignTable reports a module touching a table that .cleave.yaml gives to another owner.
var ForeignTable = Detector{rules.ForeignTable, func(in *Input) []*rules.Finding {
	if in.Config == nil || len(in.Config.Tables) == 0 {
		return nil
	}
	var out []*rules.Finding
	for _, tb := range in.Result.Tables {
		owner, ok := in.Config.Tables[tb.Name]
		if !ok {
			continue
		}
		byModule := map[string][]model.TableAccess{}
		var mods []string
		for _, a := range tb.Accesses {
			if a.Module == "" || a.Module == owner {
				continue
			}
			if byModule[a.Module] == nil {
				mods = append(mods, a.Module)
			}
			byModule[a.Module] = append(byModule[a.Module], a)
		}
		sort.Strings(mods)
		for _, mod := range mods {
			as := byModule[mod]
			f := finding(rules.ForeignTable)
			f.Message = fmt.Sprintf("module %s %s table %s, which .cleave.yaml gives to module %s; go through the API or events of %s instead",
				mod, opVerb(as), tb.Name, owner, owner)
			f.File, f.Line, f.Column = as[0].File, as[0].Line, 1
			f.Modules, f.Tables = []string{mod, owner}, []string{tb.Name}
			for _, a := range as {
				f.Related = append(f.Related, rules.Location{File: a.File, Line: a.Line, Column: 1, Message: a.Op + " " + tb.Name})
			}
			f.Fingerprint = rules.Fingerprint(f.Rule, tb.Name, mod)
			out = append(out, f)
		}
	}
	return out
}}

func opVerb(as []model.TableAccess) string {
	r, w := false, false
	for _, a := range as {
		if a.Op == string(sqltables.Write) {
			w = true
		} else {
			r = true
		}
	}
	switch {
	case r && w:
		return "reads and writes"
	case w:
		return "writes"
	}
	return "reads"
}
