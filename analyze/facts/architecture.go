package facts

import (
	"fmt"
	"sort"
	"strings"

	"github.com/cleave-dev/cleave/analyze/model"
	"github.com/cleave-dev/cleave/rules"
)

// SyncGraph returns the synchronous edges between deployables, each with its first call site.
func SyncGraph(calls []model.Call) (map[string][]string, map[[2]string]model.Call) {
	adj := map[string][]string{}
	first := map[[2]string]model.Call{}
	for _, c := range calls {
		if !c.Sync || c.Purpose == model.PurposeOperator { // a scrape holds up no request
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

// SyncChains returns the maximal simple paths of synchronous calls, longest first: paths that
// no call extends at either end.
func SyncChains(calls []model.Call) [][]string {
	adj, _ := SyncGraph(calls)
	return chains(adj)
}

// chains returns the maximal simple paths of a graph of synchronous calls, longest first.
func chains(adj map[string][]string) [][]string {
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

// DefaultChain is the number of deployables from which a synchronous chain counts as a
// signal: the calls/sync-chain rule's default (a nil config's option), so that the signal does
// not move with a repository's setting of it.
var DefaultChain = (*rules.Config)(nil).Option(rules.SyncChain, "minDeployables")

// Signals counts the facts the decision engine reads.
func Signals(res *model.Result, f *Facts) model.Signals {
	var sig model.Signals
	for _, d := range res.Deployables {
		if d.IsBundle() {
			sig.Bundles++ // another packaging of deployables counted already
			continue
		}
		if len(d.Components) >= 2 {
			// A multi-role binary is deployed once per role: its components are what runs.
			sig.Components += len(d.Components)
			for _, c := range d.Components {
				sig.Count(c.Kind)
			}
			continue
		}
		sig.Count(d.Kind)
	}
	sig.Deployables = sig.Runtime() + sig.CLIs
	sig.Modules = len(res.Modules)
	sig.PrivateImports, sig.ForbiddenDependencies, sig.ModuleCycles = len(f.Private), len(f.Forbidden), len(f.ModuleCycles)
	sig.BoundaryFindings = sig.PrivateImports + sig.ForbiddenDependencies + sig.ModuleCycles + len(f.Layers) + len(f.Unowned)
	sig.Tables, sig.SharedTables = len(res.Tables), len(f.SharedTables)
	for _, st := range f.SharedTables {
		if len(st.Deployables) >= 2 {
			sig.TablesSharedByDeployables++
		}
	}
	sig.SharedDSNs = len(f.SharedSettings)
	for _, c := range res.Calls {
		if c.Sync {
			sig.SyncCalls++
		} else {
			sig.AsyncCalls++
		}
	}
	for _, c := range f.SyncChains {
		if len(c) >= DefaultChain {
			sig.SyncChains++
		}
	}
	sig.SyncChainDepth, sig.CallCycles = f.LongestChain(), len(f.CallCycles)
	for _, d := range res.Dependencies {
		sig.ModuleImports += len(d.Imports)
	}
	return sig
}

// Architecture names the architecture of the code today, with the evidence for it.
func Architecture(res *model.Result, sig model.Signals, f *Facts) model.Architecture {
	runtime := sig.Runtime()
	var a model.Architecture
	switch {
	case runtime >= 2 && sig.Functions*4 >= runtime*3:
		a.Current = "serverless"
		a.Evidence = []string{fmt.Sprintf("%d of %d runtime deployables are functions", sig.Functions, runtime)}
	case runtime >= 2 && sig.Functions > 0:
		a.Current = "hybrid"
		a.Evidence = []string{fmt.Sprintf("%s beside %s", count(sig.Functions, "function"), count(runtime-sig.Functions, "service or worker"))}
	case runtime >= 2 && (sig.TablesSharedByDeployables > 0 || sig.SyncChainDepth >= DefaultChain || sig.CallCycles > 0 || sig.SharedDSNs > 0):
		a.Current, a.Evidence = "distributed-monolith", coupling(sig, f)
	case runtime >= 2:
		a.Current = "microservices"
		a.Evidence = []string{fmt.Sprintf("%d runtime deployables share no table or connection", runtime)}
		if sig.AsyncCalls > 0 || sig.SyncCalls > 0 {
			var parts []string
			if sig.SyncCalls > 0 {
				parts = append(parts, count(sig.SyncCalls, "synchronous call"))
			}
			if sig.AsyncCalls > 0 {
				parts = append(parts, count(sig.AsyncCalls, "asynchronous call"))
			}
			e := strings.Join(parts, " and ")
			if sig.SyncChainDepth >= 3 {
				e += fmt.Sprintf(", the longest synchronous chain spanning %d deployables", sig.SyncChainDepth)
			}
			a.Evidence = append(a.Evidence, e)
		}
	default:
		a = oneDeployable(res, sig)
		if sig.Deployables == 0 {
			// A library: the verdict speaks of how its packages hang together, not of a program.
			a.Evidence = append([]string{"the repository ships no program (no main package but tools): this is the structure of a library"}, a.Evidence...)
		}
	}
	if sig.Bundles > 0 {
		a.Evidence = append(a.Evidence, fmt.Sprintf("%s, packaging other deployables into one process, which count for nothing", count(sig.Bundles, "bundle")))
	}
	if sig.Components > 0 {
		a.Evidence = append(a.Evidence, fmt.Sprintf("%s of multi-role binaries count as deployables: each role is deployed on its own", count(sig.Components, "component")))
	}
	a.Evidence = append(a.Evidence, fmt.Sprintf("%s, %s, %s, %s (and %s, which count for nothing)",
		count(sig.Services, "service"), count(sig.Workers, "worker"), count(sig.Functions, "function"),
		count(sig.CLIs, "CLI"), count(sig.Tools, "tool")))
	return a
}

// coupling is the evidence of a distributed monolith: what its deployables share.
func coupling(sig model.Signals, f *Facts) []string {
	var ev []string
	if n := sig.TablesSharedByDeployables; n > 0 {
		shared := map[string]bool{}
		for _, st := range f.SharedTables {
			if len(st.Deployables) >= 2 {
				for _, d := range st.Deployables {
					shared[d] = true
				}
			}
		}
		ev = append(ev, fmt.Sprintf("%d deployables share %s", len(shared), count(n, "table")))
	}
	if sig.SharedDSNs > 0 {
		ev = append(ev, fmt.Sprintf("%s shared by several deployables", count(sig.SharedDSNs, "connection setting")))
	}
	if d := sig.SyncChainDepth; d >= DefaultChain {
		what := "deployables"
		for _, c := range f.FirstCall {
			if c.External {
				what = "services" // a chain may run through a service not written in Go
			}
		}
		ev = append(ev, fmt.Sprintf("the longest synchronous call chain spans %d %s", d, what))
	}
	if n := sig.CallCycles; n > 0 {
		ev = append(ev, count(n, "synchronous call cycle"))
	}
	return ev
}

// oneDeployable tells a modular monolith from a tangled one.
func oneDeployable(res *model.Result, sig model.Signals) model.Architecture {
	real := 0 // modules that are more than a composition root
	for _, mod := range res.Modules {
		if mod.Packages > 1 || len(mod.Public) > 0 {
			real++
		}
	}
	imports := sig.ModuleImports
	clean := sig.ModuleCycles == 0 && sig.PrivateImports*10 <= max(imports, 1)
	inMain, all := 0, 0
	for _, p := range res.Packages {
		if model.InToolDir(p.Dir) {
			continue
		}
		all += p.Lines
		if p.IsMain() {
			inMain += p.Lines
		}
	}
	subject := "one deployable"
	if sig.Deployables == 0 {
		subject = "the library"
	}
	switch {
	case real < 2:
		what := "whose packages form no modules"
		if real == 1 {
			what = "whose code is one module"
		}
		return model.Architecture{Current: "monolith", Evidence: []string{subject + " " + what}}
	case all > 0 && inMain*5 >= all*2:
		// The modules are helpers around a program whose code lives in its main package.
		return model.Architecture{Current: "monolith", Evidence: []string{
			fmt.Sprintf("%s whose main packages hold %d%% of the code; the %s beside them are helpers", subject, inMain*100/all, count(real, "module"))}}
	case clean && layered(res):
		// Clean boundaries between layers are not modules of a domain: the code is organised by
		// what it is (handlers, use cases, repositories), not by what it is about.
		return model.Architecture{Current: "monolith", Evidence: []string{
			fmt.Sprintf("%s whose %s are technical layers and adapters (%s) rather than parts of the domain: a layered monolith", subject, count(real, "module"), strings.Join(layerNames(res, 4), ", "))}}
	case clean:
		return model.Architecture{Current: "modular-monolith", Evidence: []string{
			fmt.Sprintf("%s with %s, no module cycles, %s of %d", subject, count(real, "module"), count(sig.PrivateImports, "private import"), imports)}}
	}
	return model.Architecture{Current: "monolith", Evidence: []string{fmt.Sprintf("%s whose %d modules are tangled: %s, %s of %d", subject,
		real, count(sig.ModuleCycles, "module cycle"), count(sig.PrivateImports, "private import"), imports)}}
}

// technical are the names modules get for what their code is rather than what it is about:
// the layers of a clean or hexagonal architecture, and the adapters and helpers around them.
var technical = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`app application bootstrap cmd config configs controller controllers
		handler handlers delivery transport transports http httpserver httpclient grpc grpcserver grpcclient
		rest api router routes routing middleware middlewares usecase usecases interactor service services
		domain entity entities model models repo repos repository repositories store storage persistence db
		database infrastructure infra adapter adapters port ports dto util utils common shared core pkg lib
		logger logging log tracing metrics telemetry docs jwt postgres postgresql mysql sqlite redis mongo
		mongodb rabbitmq kafka nats amqp queue cache server client web worker migrations mocks errors
		validator validation crypto auth security connector connectors gateway gateways driver drivers
		templates template assets webassets static views view ui migrator notify notifier`) {
		technical[w] = true
	}
}

// isTechnical reports whether a module is named for what its code is rather than what it is
// about (technical).
func isTechnical(module string) bool { return technical[strings.ToLower(module)] }

// layered reports a program whose modules are all technical but at most one: organised by layer.
//
// A module of generated code only (an API's stubs) is a contract, and counts for neither. A
// module of one package that holds a small part of the code (under one line in twenty) and
// is not named for a layer is a helper (a data structure, an error handler, a flag): neither a
// layer nor a part of the domain, it counts for neither.
func layered(res *model.Result) bool {
	lines, all := map[string]int{}, 0
	handWritten := map[string]bool{} // modules with a package not generated
	for _, p := range res.Packages {
		if model.InToolDir(p.Dir) {
			continue
		}
		all += p.Lines
		lines[p.Dir] = p.Lines
		if !p.Generated {
			handWritten[p.Module] = true
		}
	}
	tech, domain := 0, 0
	for _, m := range res.Modules {
		if m.Packages <= 1 && len(m.Public) == 0 {
			continue
		}
		if !handWritten[m.Name] {
			continue // generated code: a contract (an API's stubs), neither layer nor domain
		}
		if isTechnical(m.Name) {
			tech++
			continue
		}
		if m.Packages == 1 && len(m.Dirs) == 1 && lines[m.Dirs[0]]*20 < all {
			continue // a helper
		}
		domain++
	}
	return tech >= 3 && domain <= 1
}

// layerNames lists the first n technical modules by name, for the evidence.
func layerNames(res *model.Result, n int) []string {
	var out []string
	for _, m := range res.Modules {
		if (m.Packages > 1 || len(m.Public) > 0) && isTechnical(m.Name) && len(out) < n {
			out = append(out, m.Name)
		}
	}
	if len(out) == n {
		out = append(out, "…")
	}
	return out
}

func count(n int, word string) string {
	if n != 1 && strings.HasSuffix(word, " or worker") {
		return fmt.Sprintf("%d services and workers", n)
	}
	return model.Plural(n, word)
}
