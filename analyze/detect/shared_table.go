package detect

import (
	"fmt"
	"slices"
	"strings"

	"github.com/cleave-dev/cleave/analyze/facts"
	"github.com/cleave-dev/cleave/analyze/sqltables"
	"github.com/cleave-dev/cleave/rules"
)

// SharedTable reports tables used by two or more modules or shipping deployables: an error when
// two or more of them write it. A table they use only through a backend their configuration
// picks among several is reported for information: they share it only if configured alike.
var SharedTable = Detector{rules.SharedTable, func(in *Input) []*rules.Finding {
	var out []*rules.Finding
	configured := len(in.Facts.SharedTables)
	for i, st := range slices.Concat(in.Facts.SharedTables, in.Facts.ConfiguredShares) {
		tb := st.Table
		f := finding(rules.SharedTable)
		f.Severity = rules.Warning
		if len(st.Writers) >= 2 {
			f.Severity = rules.Error
		}
		kind := "table"
		if tb.Store == "mongo" || tb.Store == "firestore" {
			kind = "collection"
		}
		f.Message = fmt.Sprintf("%s %s is %s; give it one owner and let the others go through its API or events", kind, tb.Name, usedBy(st))
		if i >= configured {
			// Each reaches the table through one backend of several its configuration picks:
			// they share it only if configured alike.
			f.Severity = rules.Info
			f.Message = fmt.Sprintf("%s %s is %s if they are configured with the same backend (each picks one of several); if they are, give it one owner", kind, tb.Name, usedBy(st))
		}
		first := tb.Accesses[0]
		for _, a := range tb.Accesses {
			if a.Op == string(sqltables.Write) {
				first = a
				break
			}
		}
		f.File, f.Line, f.Column = first.File, first.Line, 1
		f.Modules, f.Deployables, f.Tables = st.Modules, st.Deployables, []string{tb.Name}
		for _, a := range tb.Accesses {
			who := a.Module
			if who == "" {
				who = "(no module)"
			}
			how := "deployables"
			if a.Linked {
				how = "deployables that link it; no call path to it was found"
			}
			f.Related = append(f.Related, rules.Location{File: a.File, Line: a.Line, Column: 1,
				Message: fmt.Sprintf("%s %ss %s (%s: %s)", who, a.Op, tb.Name, how, strings.Join(OrNone(a.Deployables), ", "))})
		}
		f.Fingerprint = rules.Fingerprint(f.Rule, tb.Store, tb.Name)
		out = append(out, f)
	}
	return out
}}

// usedBy says who uses a shared table: "written by modules a and b and read by c",
// "read by deployables x and y".
func usedBy(st facts.SharedTable) string {
	var readers []string
	for _, x := range st.Group {
		if !slices.Contains(st.Writers, x) {
			readers = append(readers, x)
		}
	}
	noun := func(n int) string {
		if n == 1 {
			return strings.TrimSuffix(st.By, "s")
		}
		return st.By
	}
	var parts []string
	if len(st.Writers) > 0 {
		parts = append(parts, "written by "+noun(len(st.Writers))+" "+andList(st.Writers))
	}
	if len(readers) > 0 {
		if len(st.Writers) > 0 {
			parts = append(parts, "and read by "+andList(readers))
		} else {
			parts = append(parts, "read by "+noun(len(readers))+" "+andList(readers))
		}
	}
	return strings.Join(parts, " ")
}
