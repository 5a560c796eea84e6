package facts

import (
	"sort"

	"github.com/cleave-dev/cleave/analyze/model"
	"github.com/cleave-dev/cleave/analyze/modules"
)

// assembles reports whether a package wires modules together or only serves tests: what it
// imports is no boundary finding, and no cycle runs through it.
func assembles(p *model.Package) bool { return p != nil && (p.Wiring || p.TestSupport) }

// cycleDeps is the module graph less the imports of the packages that assemble modules.
func cycleDeps(in Input) map[modules.DepKey]*model.Dependency {
	out := map[modules.DepKey]*model.Dependency{}
	for k, d := range in.Deps {
		var kept []model.ImportEdge
		for _, e := range d.Imports {
			if !assembles(in.ByDir[e.Package]) {
				kept = append(kept, e)
			}
		}
		if len(kept) > 0 {
			c := *d
			c.Imports = kept
			out[k] = &c
		}
	}
	return out
}

// moduleCycles finds the edges to cut so that the module graph is acyclic, each with the
// shortest cycle it closes.
func moduleCycles(deps map[modules.DepKey]*model.Dependency) []ModuleCycle {
	adj := modules.Adjacency(deps)
	nodes := sortedNodes(adj)
	tangle := map[string][]string{}
	for _, comp := range sccs(nodes, adj) {
		for _, v := range comp {
			tangle[v] = comp
		}
	}
	var out []ModuleCycle
	for _, k := range feedbackEdges(nodes, adj, deps) {
		in := map[string]bool{}
		for _, v := range tangle[k.From] {
			in[v] = true
		}
		back := shortestPath(k.To, k.From, adj, in) // k.To … k.From; the cut edge closes it
		out = append(out, ModuleCycle{Modules: back, Cut: *deps[k], Tangle: tangle[k.From]})
	}
	return out
}

func sortedNodes(adj map[string][]string) []string {
	seen := map[string]bool{}
	var nodes []string
	for v, ws := range adj {
		for _, n := range append([]string{v}, ws...) {
			if !seen[n] {
				seen[n] = true
				nodes = append(nodes, n)
			}
		}
	}
	sort.Strings(nodes)
	return nodes
}

// feedbackEdges returns a small set of edges whose removal leaves the graph acyclic: greedily
// the edge on most of the remaining covering cycles per import it holds (the cheapest to change
// for the most it breaks), then pruned of every edge the others make unnecessary. The order is
// sorted.
func feedbackEdges(nodes []string, adj map[string][]string, deps map[modules.DepKey]*model.Dependency) []modules.DepKey {
	rest := map[string][]string{}
	for v, ws := range adj {
		rest[v] = append([]string{}, ws...)
	}
	var cut []modules.DepKey
	for {
		cycles := ElementaryCycles(nodes, rest)
		if len(cycles) == 0 {
			break
		}
		on := map[modules.DepKey]int{}
		for _, c := range cycles {
			for i := range c {
				on[modules.DepKey{From: c[i], To: c[(i+1)%len(c)]}]++
			}
		}
		var best modules.DepKey
		bestScore := -1.0
		for k, n := range on {
			score := float64(n) / float64(len(deps[k].Imports))
			if score > bestScore || score == bestScore && lessKey(k, best, deps) {
				best, bestScore = k, score
			}
		}
		cut = append(cut, best)
		rest[best.From] = remove(rest[best.From], best.To)
	}
	// Prune: an edge the other cuts already make unnecessary goes back in.
	for i := len(cut) - 1; i >= 0; i-- {
		k := cut[i]
		rest[k.From] = append(rest[k.From], k.To)
		sort.Strings(rest[k.From])
		if len(sccs(nodes, rest)) == 0 {
			cut = append(cut[:i], cut[i+1:]...)
			continue
		}
		rest[k.From] = remove(rest[k.From], k.To)
	}
	sort.Slice(cut, func(i, j int) bool {
		if cut[i].From != cut[j].From {
			return cut[i].From < cut[j].From
		}
		return cut[i].To < cut[j].To
	})
	return cut
}

// lessKey breaks ties between edges: fewer imports, fewer files, then by name.
func lessKey(a, b modules.DepKey, deps map[modules.DepKey]*model.Dependency) bool {
	if b == (modules.DepKey{}) {
		return true
	}
	return cheaper(deps[a], deps[b])
}

func remove(s []string, x string) []string {
	out := s[:0:0]
	for _, v := range s {
		if v != x {
			out = append(out, v)
		}
	}
	return out
}

// CycleCut returns the dependencies to cut so that no module cycle is left.
func (f *Facts) CycleCut() []model.Dependency {
	out := []model.Dependency{}
	for _, c := range f.ModuleCycles {
		out = append(out, c.Cut)
	}
	return out
}
