package facts

import (
	"fmt"
	"sort"
	"strings"

	"github.com/cleave-dev/cleave/analyze/model"
	"github.com/cleave-dev/cleave/rules"
)

// syncGraph returns the synchronous edges between deployables, each with its first call site.
func SyncGraph(calls []model.Call) (map[string][]string, map[[2]string]model.Call) {
	adj := map[string][]string{}
	first := map[[2]string]model.Call{}
	for _, c := range calls {
		if !c.Sync {
			continue
		}
		k := [2]string{c.From, c.To}
		if _, ok := first[k]; !ok {
			first[k] = c
			adj[c.From] = append(adj[c.From], c.To)
		}
	}
	for _, v := range adj {
		sort.Strings(v)
	}
	return adj, first
}

// maxPaths caps the chains listed: a dense graph has exponentially many.
const maxPaths = 200

// syncChains returns the maximal simple paths of synchronous calls, longest first: paths that
// no call extends at either end.
func SyncChains(calls []model.Call) [][]string {
	adj, _ := SyncGraph(calls)
	hasIn := map[string]bool{}
	var nodes []string
	seenNode := map[string]bool{}
	for from, tos := range adj {
		for _, n := range append([]string{from}, tos...) {
			if !seenNode[n] {
				seenNode[n] = true
				nodes = append(nodes, n)
			}
		}
		for _, to := range tos {
			hasIn[to] = true
		}
	}
	sort.Strings(nodes)
	var out [][]string
	onPath := map[string]bool{}
	var dfs func(path []string)
	dfs = func(path []string) {
		if len(out) >= maxPaths {
			return
		}
		last := path[len(path)-1]
		extended := false
		for _, next := range adj[last] {
			if onPath[next] {
				continue
			}
			extended = true
			onPath[next] = true
			dfs(append(path, next))
			onPath[next] = false
		}
		if !extended && len(path) > 1 {
			out = append(out, append([]string{}, path...))
		}
	}
	minOfComp := map[string]bool{}
	for _, comp := range sccs(nodes, adj) {
		minOfComp[comp[0]] = true
	}
	for _, n := range nodes {
		// Start where no call comes in; a cycle that nothing enters starts at its smallest node.
		if hasIn[n] && !(onlyCycleEntry(n, adj) && minOfComp[n]) {
			continue
		}
		onPath[n] = true
		dfs([]string{n})
		onPath[n] = false
	}
	// Drop chains that lie inside a longer one (a cycle's rotations).
	sort.SliceStable(out, func(i, j int) bool {
		if len(out[i]) != len(out[j]) {
			return len(out[i]) > len(out[j])
		}
		return strings.Join(out[i], ">") < strings.Join(out[j], ">")
	})
	var kept [][]string
	for _, p := range out {
		inside := false
		for _, k := range kept {
			if strings.Contains(">"+strings.Join(k, ">")+">", ">"+strings.Join(p, ">")+">") {
				inside = true
				break
			}
		}
		if !inside {
			kept = append(kept, p)
		}
	}
	return kept
}

// onlyCycleEntry reports whether every call into n comes from a node that n itself reaches:
// n lies on a cycle that nothing outside enters, so a chain must start somewhere on it.
func onlyCycleEntry(n string, adj map[string][]string) bool {
	reach := map[string]bool{}
	stack := []string{n}
	for len(stack) > 0 {
		v := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, w := range adj[v] {
			if !reach[w] {
				reach[w] = true
				stack = append(stack, w)
			}
		}
	}
	for from, tos := range adj {
		for _, to := range tos {
			if to == n && !reach[from] {
				return false
			}
		}
	}
	return true
}

// longestChain returns the number of deployables on the longest synchronous chain.
func longestChain(calls []model.Call) int {
	n := 0
	for _, c := range SyncChains(calls) {
		n = max(n, len(c))
	}
	return n
}

// classify names the architecture of the code today, and the signals the decision engine reads.
func Architecture(res *model.Result) (model.Architecture, map[string]int) {
	sig := map[string]int{}
	for _, k := range []string{"deployables", "services", "workers", "functions", "clis", "tools", "modules",
		"boundary_findings", "private_imports", "forbidden_dependencies", "module_cycles", "module_imports",
		"tables", "shared_tables", "tables_shared_by_deployables", "shared_dsns",
		"sync_calls", "async_calls", "sync_chains", "sync_chain_depth", "call_cycles"} {
		sig[k] = 0 // every signal is present, so readers need not guess what a missing one means
	}
	for _, d := range res.Deployables {
		switch d.Kind {
		case model.KindService:
			sig["services"]++
		case model.KindWorker:
			sig["workers"]++
		case model.KindFunction:
			sig["functions"]++
		case model.KindCLI:
			sig["clis"]++
		case model.KindTool:
			sig["tools"]++
		}
	}
	sig["deployables"] = sig["services"] + sig["workers"] + sig["functions"] + sig["clis"]
	runtime := sig["services"] + sig["workers"] + sig["functions"]
	sig["modules"] = len(res.Modules)
	sharedDeployables := map[string]bool{}
	for _, f := range res.Findings {
		switch f.Rule {
		case rules.PrivateImport:
			sig["private_imports"]++
			sig["boundary_findings"]++
		case rules.ForbiddenDependency:
			sig["forbidden_dependencies"]++
			sig["boundary_findings"]++
		case rules.ModuleCycle:
			sig["module_cycles"]++
			sig["boundary_findings"]++
		case rules.SharedTable:
			sig["shared_tables"]++
			if len(f.Deployables) >= 2 {
				sig["tables_shared_by_deployables"]++
				for _, d := range f.Deployables {
					sharedDeployables[d] = true
				}
			}
		case rules.SharedDSN:
			sig["shared_dsns"]++
		case rules.CallCycle:
			sig["call_cycles"]++
		case rules.SyncChain:
			sig["sync_chains"]++
		}
	}
	sig["tables"] = len(res.Tables)
	for _, c := range res.Calls {
		if c.Sync {
			sig["sync_calls"]++
		} else {
			sig["async_calls"]++
		}
	}
	sig["sync_chain_depth"] = longestChain(res.Calls)
	imports := 0
	for _, d := range res.Dependencies {
		imports += len(d.Imports)
	}
	sig["module_imports"] = imports

	kinds := fmt.Sprintf("%s, %s, %s, %s (and %s, which count for nothing)",
		count(sig["services"], "service"), count(sig["workers"], "worker"), count(sig["functions"], "function"),
		count(sig["clis"], "CLI"), count(sig["tools"], "tool"))
	var a model.Architecture
	switch {
	case runtime >= 2 && sig["functions"]*4 >= runtime*3:
		a.Current = "serverless"
		a.Evidence = append(a.Evidence, fmt.Sprintf("%d of %d runtime deployables are functions", sig["functions"], runtime))
	case runtime >= 2 && sig["functions"] > 0:
		a.Current = "hybrid"
		a.Evidence = append(a.Evidence, fmt.Sprintf("%s beside %s", count(sig["functions"], "function"), count(runtime-sig["functions"], "service or worker")))
	case runtime >= 2 && (sig["tables_shared_by_deployables"] > 0 || sig["sync_chain_depth"] >= 3 || sig["call_cycles"] > 0 || sig["shared_dsns"] > 0):
		a.Current = "distributed-monolith"
		if n := sig["tables_shared_by_deployables"]; n > 0 {
			a.Evidence = append(a.Evidence, fmt.Sprintf("%d deployables share %s", len(sharedDeployables), count(n, "table")))
		}
		if sig["shared_dsns"] > 0 {
			a.Evidence = append(a.Evidence, fmt.Sprintf("%s shared by several deployables", count(sig["shared_dsns"], "connection setting")))
		}
		if d := sig["sync_chain_depth"]; d >= 3 {
			a.Evidence = append(a.Evidence, fmt.Sprintf("the longest synchronous call chain spans %d deployables", d))
		}
		if n := sig["call_cycles"]; n > 0 {
			a.Evidence = append(a.Evidence, count(n, "synchronous call cycle"))
		}
	case runtime >= 2:
		a.Current = "microservices"
		a.Evidence = append(a.Evidence, fmt.Sprintf("%d runtime deployables share no table or connection", runtime))
		if sig["async_calls"] > 0 || sig["sync_calls"] > 0 {
			a.Evidence = append(a.Evidence, fmt.Sprintf("%d asynchronous and %d synchronous calls, the longest synchronous chain %d deep",
				sig["async_calls"], sig["sync_calls"], sig["sync_chain_depth"]))
		}
	default:
		real := 0 // modules that are more than a composition root
		for _, mod := range res.Modules {
			if mod.Packages > 1 || len(mod.Public) > 0 {
				real++
			}
		}
		clean := sig["module_cycles"] == 0 && sig["private_imports"]*10 <= max(imports, 1)
		if real >= 2 && clean {
			a.Current = "modular-monolith"
			a.Evidence = append(a.Evidence, fmt.Sprintf("one deployable with %d modules, no module cycles, %d private imports of %d", real, sig["private_imports"], imports))
		} else {
			a.Current = "monolith"
			if real < 2 {
				a.Evidence = append(a.Evidence, "one deployable with "+count(real, "module"))
			} else {
				a.Evidence = append(a.Evidence, fmt.Sprintf("one deployable whose %d modules are tangled: %d module cycles, %d private imports of %d",
					real, sig["module_cycles"], sig["private_imports"], imports))
			}
		}
	}
	a.Evidence = append(a.Evidence, kinds)
	return a, sig
}

func count(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	if strings.HasSuffix(word, " or worker") {
		return fmt.Sprintf("%d services and workers", n)
	}
	return fmt.Sprintf("%d %ss", n, word)
}
