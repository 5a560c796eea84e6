package detect

import (
	"fmt"
	"sort"
	"strings"

	"github.com/cleave-dev/cleave/analyze/facts"
	"github.com/cleave-dev/cleave/rules"
)

func syncChainFindings(m *Input) []*rules.Finding {
	min := m.Cfg.Option(rules.SyncChain, "minDeployables")
	_, first := facts.SyncGraph(m.Res.Calls)
	var out []*rules.Finding
	for _, chain := range facts.SyncChains(m.Res.Calls) {
		if len(chain) < min {
			continue
		}
		f := m.finding(rules.SyncChain)
		c0 := first[[2]string{chain[0], chain[1]}]
		f.File, f.Line, f.Column = c0.File, c0.Line, 1
		f.Deployables = chain
		for i := 0; i+1 < len(chain); i++ {
			c := first[[2]string{chain[i], chain[i+1]}]
			f.Related = append(f.Related, rules.Location{File: c.File, Line: c.Line, Column: 1,
				Message: fmt.Sprintf("%s calls %s over %s (%s)", c.From, c.To, c.Protocol, c.Via)})
		}
		f.Message = fmt.Sprintf("synchronous chain %s spans %d deployables: each request waits on all of them, and fails when any fails",
			strings.Join(chain, " → "), len(chain))
		f.Fingerprint = rules.Fingerprint(f.Rule, chain...)
		out = append(out, f)
	}
	return out
}

func callCycleFindings(m *Input) []*rules.Finding {
	adj, first := facts.SyncGraph(m.Res.Calls)
	var nodes []string
	for n := range adj {
		nodes = append(nodes, n)
	}
	sort.Strings(nodes)
	var out []*rules.Finding
	for _, cycle := range facts.ElementaryCycles(nodes, adj) {
		f := m.finding(rules.CallCycle)
		c0 := first[[2]string{cycle[0], cycle[1%len(cycle)]}]
		f.File, f.Line, f.Column = c0.File, c0.Line, 1
		f.Deployables = cycle
		for i := range cycle {
			c := first[[2]string{cycle[i], cycle[(i+1)%len(cycle)]}]
			f.Related = append(f.Related, rules.Location{File: c.File, Line: c.Line, Column: 1,
				Message: fmt.Sprintf("%s calls %s over %s", c.From, c.To, c.Protocol)})
		}
		f.Message = fmt.Sprintf("deployables %s → %s call each other synchronously in a cycle; none can be deployed or fail on its own",
			strings.Join(cycle, " → "), cycle[0])
		f.Fingerprint = rules.Fingerprint(f.Rule, cycle...)
		out = append(out, f)
	}
	return out
}
