package facts

import "sort"

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

// ElementaryCycles returns a small set of simple cycles that together cover every edge lying
// on a cycle: for each such edge not yet on a reported cycle, the shortest cycle through it.
// (Listing every simple cycle would be exponential, and repeat the same edges many times.)
// Each cycle starts at its smallest node; the list is sorted.
func ElementaryCycles(nodes []string, adj map[string][]string) [][]string {
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
				cycle = RotateToMin(cycle)
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

func RotateToMin(c []string) []string {
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
