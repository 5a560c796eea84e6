package detect

import (
	"fmt"
	"slices"
	"strings"

	"github.com/cleave-dev/cleave/analyze/model"
	"github.com/cleave-dev/cleave/rules"
)

// SharedDSN reports deployables that connect through the same connection setting.
var SharedDSN = Detector{rules.SharedDSN, func(in *Input) []*rules.Finding {
	var out []*rules.Finding
	for _, gr := range in.Facts.SharedSettings {
		f := finding(rules.SharedDSN)
		what := strings.Replace(strings.Replace(gr.Setting, "env:", "environment variable ", 1), "dsn:", "DSN ", 1)
		f.Message = fmt.Sprintf("deployables %s connect to a database through the same %s", andList(gr.Deployables), what)
		if gr.Via != "" {
			f.Message += " (" + gr.Via + ")"
		}
		sites := slices.Clone(gr.Sites)
		slices.SortStableFunc(sites, func(a, b model.Connection) int {
			if a.File != b.File {
				return strings.Compare(a.File, b.File)
			}
			return a.Line - b.Line
		})
		f.File, f.Line, f.Column = sites[0].File, sites[0].Line, 1
		f.Deployables = gr.Deployables
		for _, s := range sites {
			f.Related = append(f.Related, rules.Location{File: s.File, Line: s.Line, Column: 1,
				Message: fmt.Sprintf("%s connects through %s", s.Deployables[0], s.Setting)})
		}
		f.Fingerprint = rules.Fingerprint(f.Rule, gr.Setting)
		out = append(out, f)
	}
	return out
}}
