package analyze

import "sort"

// depKey identifies a module dependency.
type depKey struct{ from, to string }

// buildGraph collects the module dependencies from the imports of every package that is in a
// module and is not a composition root.
func buildGraph(pkgs []*Package, byPath map[string]*Package) map[depKey]*Dependency {
	deps := map[depKey]*Dependency{}
	for _, p := range pkgs {
		if p.Root || p.Module == "" {
			continue
		}
		for _, imp := range p.Imports {
			q := byPath[imp.Path]
			if q == nil || q.Module == "" || q.Module == p.Module {
				continue
			}
			k := depKey{p.Module, q.Module}
			d := deps[k]
			if d == nil {
				d = &Dependency{From: p.Module, To: q.Module}
				deps[k] = d
			}
			d.Imports = append(d.Imports, ImportEdge{Package: p.Dir, Imports: q.Dir, File: imp.File, Line: imp.Line, Column: imp.Column})
		}
	}
	for _, d := range deps {
		sort.Slice(d.Imports, func(i, j int) bool { return importLess(d.Imports[i], d.Imports[j]) })
	}
	return deps
}

func importLess(a, b ImportEdge) bool {
	if a.File != b.File {
		return a.File < b.File
	}
	if a.Line != b.Line {
		return a.Line < b.Line
	}
	return a.Column < b.Column
}

// sortedDeps returns the dependencies sorted by (from, to).
func sortedDeps(deps map[depKey]*Dependency) []Dependency {
	out := make([]Dependency, 0, len(deps))
	for _, d := range deps {
		out = append(out, *d)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].From != out[j].From {
			return out[i].From < out[j].From
		}
		return out[i].To < out[j].To
	})
	return out
}

// adjacency returns each module's dependencies, sorted.
func adjacency(deps map[depKey]*Dependency) map[string][]string {
	adj := map[string][]string{}
	for k := range deps {
		adj[k.from] = append(adj[k.from], k.to)
	}
	for _, v := range adj {
		sort.Strings(v)
	}
	return adj
}

// sccs returns the strongly connected components of the graph with more than one node,
// each sorted, in a deterministic order (Tarjan's algorithm over sorted nodes).
func sccs(nodes []string, adj map[string][]string) [][]string {
	index := map[string]int{}
	low := map[string]int{}
	onStack := map[string]bool{}
	var stack []string
	var out [][]string
	n := 0
	var strong func(v string)
	strong = func(v string) {
		index[v], low[v] = n, n
		n++
		stack = append(stack, v)
		onStack[v] = true
		for _, w := range adj[v] {
			if _, seen := index[w]; !seen {
				strong(w)
				low[v] = min(low[v], low[w])
			} else if onStack[w] {
				low[v] = min(low[v], index[w])
			}
		}
		if low[v] == index[v] {
			var comp []string
			for {
				w := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				onStack[w] = false
				comp = append(comp, w)
				if w == v {
					break
				}
			}
			if len(comp) > 1 {
				sort.Strings(comp)
				out = append(out, comp)
			}
		}
	}
	for _, v := range nodes {
		if _, seen := index[v]; !seen {
			strong(v)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i][0] < out[j][0] })
	return out
}

// shortestPath returns the nodes of a shortest path from a to b inside the allowed set, both ends included.
func shortestPath(a, b string, adj map[string][]string, allowed map[string]bool) []string {
	prev := map[string]string{a: ""}
	queue := []string{a}
	for len(queue) > 0 {
		v := queue[0]
		queue = queue[1:]
		if v == b {
			var path []string
			for x := b; x != ""; x = prev[x] {
				path = append([]string{x}, path...)
				if x == a {
					break
				}
			}
			return path
		}
		for _, w := range adj[v] {
			if _, seen := prev[w]; !seen && allowed[w] {
				prev[w] = v
				queue = append(queue, w)
			}
		}
	}
	return nil
}

// elementaryCycles returns a small set of simple cycles that together cover every edge lying
// on a cycle: for each such edge not yet on a reported cycle, the shortest cycle through it.
// (Listing every simple cycle would be exponential, and repeat the same edges many times.)
// Each cycle starts at its smallest node; the list is sorted.
func elementaryCycles(nodes []string, adj map[string][]string) [][]string {
	var out [][]string
	seen := map[string]bool{}
	covered := map[[2]string]bool{}
	for _, comp := range sccs(nodes, adj) {
		in := map[string]bool{}
		for _, v := range comp {
			in[v] = true
		}
		for _, u := range comp {
			for _, v := range adj[u] {
				if !in[v] || covered[[2]string{u, v}] {
					continue
				}
				back := shortestPath(v, u, adj, in)
				if back == nil {
					continue
				}
				cycle := append([]string{u}, back[:len(back)-1]...)
				for i := range cycle {
					covered[[2]string{cycle[i], cycle[(i+1)%len(cycle)]}] = true
				}
				cycle = rotateToMin(cycle)
				if key := joinKey(cycle); !seen[key] {
					seen[key] = true
					out = append(out, cycle)
				}
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return joinKey(out[i]) < joinKey(out[j]) })
	return out
}

func rotateToMin(c []string) []string {
	m := 0
	for i := range c {
		if c[i] < c[m] {
			m = i
		}
	}
	return append(append([]string{}, c[m:]...), c[:m]...)
}

func joinKey(c []string) string {
	s := ""
	for i, x := range c {
		if i > 0 {
			s += "\x00"
		}
		s += x
	}
	return s
}
