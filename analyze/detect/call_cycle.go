package detect

import (
	"fmt"
	"strings"

	"github.com/cleave-dev/cleave/rules"
)

// CallCycle reports deployables that call each other synchronously in a cycle.
var CallCycle = Detector{rules.CallCycle, func(in *Input) []*rules.Finding {
	var out []*rules.Finding
	for _, cycle := range in.Facts.CallCycles {
		f := finding(rules.CallCycle)
		c0 := in.Facts.FirstCall[[2]string{cycle[0], cycle[1%len(cycle)]}]
		f.File, f.Line, f.Column = c0.File, c0.Line, 1
		f.Deployables = cycle
		for i := range cycle {
			c := in.Facts.FirstCall[[2]string{cycle[i], cycle[(i+1)%len(cycle)]}]
			f.Related = append(f.Related, rules.Location{File: c.File, Line: c.Line, Column: 1,
				Message: fmt.Sprintf("%s calls %s over %s", c.From, c.To, c.Protocol)})
		}
		f.Message = fmt.Sprintf("deployables %s → %s call each other synchronously in a cycle; none can be deployed or fail on its own",
			strings.Join(cycle, " → "), cycle[0])
		f.Fingerprint = rules.Fingerprint(f.Rule, cycle...)
		out = append(out, f)
	}
	return out
}}
