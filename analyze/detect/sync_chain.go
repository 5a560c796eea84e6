package detect

import (
	"fmt"
	"strings"

	"github.com/cleave-dev/cleave/rules"
)

// SyncChain reports chains of synchronous calls that span at least minDeployables deployables.
var SyncChain = Detector{rules.SyncChain, func(in *Input) []*rules.Finding {
	min := in.Config.Option(rules.SyncChain, "minDeployables")
	var out []*rules.Finding
	for _, chain := range in.Facts.SyncChains {
		if len(chain) < min {
			continue
		}
		f := finding(rules.SyncChain)
		c0 := in.Facts.FirstCall[[2]string{chain[0], chain[1]}]
		f.File, f.Line, f.Column = c0.File, c0.Line, 1
		f.Deployables = chain
		what := "deployables"
		for i := 0; i+1 < len(chain); i++ {
			c := in.Facts.FirstCall[[2]string{chain[i], chain[i+1]}]
			if c.External {
				what = "services" // one of them is deployed here but not written in Go
			}
			f.Related = append(f.Related, rules.Location{File: c.File, Line: c.Line, Column: 1,
				Message: fmt.Sprintf("%s calls %s over %s (%s)", c.From, c.To, c.Protocol, c.Via)})
		}
		f.Message = fmt.Sprintf("synchronous chain %s spans %d %s: each request waits on all of them, and fails when any fails",
			strings.Join(chain, " → "), len(chain), what)
		f.Fingerprint = rules.Fingerprint(f.Rule, chain...)
		out = append(out, f)
	}
	return out
}}
