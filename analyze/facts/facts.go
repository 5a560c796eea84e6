// Package facts derives what the code shows from the finished model, once, before any rule or
// configuration looks at it: private imports, module cycles, shared tables and connection
// settings, call chains and cycles. Detectors turn facts into findings and the signals count
// facts, so switching a rule off in .cleave.yaml changes the findings and nothing else.
package facts

import (
	"cmp"
	"maps"
	"slices"
	"sort"

	"github.com/cleave-dev/cleave/analyze/data"
	"github.com/cleave-dev/cleave/analyze/model"
	"github.com/cleave-dev/cleave/analyze/modules"
	"github.com/cleave-dev/cleave/analyze/sqltables"
	"github.com/cleave-dev/cleave/rules"
)

// Facts are the facts of one repository.
type Facts struct {
	// Inferred is set when no .cleave.yaml declares the modules: the boundaries are conventions
	// cleave read from the code.
	Inferred bool
	// Private are imports of a package outside its module's public API.
	Private []Edge
	// Forbidden are imports between modules that a declared dependsOn does not allow.
	Forbidden []Forbidden
	// ModuleCycles are the edges to cut so that no import cycle between modules is left, each
	// with the shortest cycle it closes.
	ModuleCycles []ModuleCycle
	// SharedTables are tables touched by two or more modules, or else by two or more shipping deployables.
	SharedTables []SharedTable
	// ConfiguredShares are tables that two or more shipping deployables use only as configured:
	// each reaches the table through one backend of several that its configuration picks
	// (TableAccess.Chosen). They share it if configured alike, which the code does not say.
	ConfiguredShares []SharedTable
	// SharedSettings are connection settings through which two or more deployables connect.
	SharedSettings []data.ConnGroup
	// SyncChains are the maximal chains of synchronous calls, longest first.
	SyncChains [][]string
	// CallCycles are cycles of synchronous calls between deployables.
	CallCycles [][]string
	// FirstCall is the first call site of each synchronous edge between deployables.
	FirstCall map[[2]string]model.Call
	// Layers are the imports against the declared layers; Unowned the packages outside every
	// declared module (with requireOwnership); Stale the dependsOn entries no import uses.
	Layers  []LayerViolation
	Unowned []Unowned
	Stale   []StaleDependency
}

// Edge is one import between two modules.
type Edge struct {
	From, To string // modules
	Import   model.ImportEdge
	// Instead lists, for a private import of an inferred module, the public packages of the
	// module that wrap the imported one and that the importer could use instead.
	Instead []string
}

// Forbidden is an import that the importing module's declared dependsOn does not allow.
type Forbidden struct {
	Edge
	Allowed []string
}

// ModuleCycle is an edge of the module graph that, with the others cut, leaves it acyclic: the
// set of cut edges is a smallest one found (greedily, then pruned so that no edge in it can be
// kept). Modules is the shortest cycle the cut edge closes, in cycle order, ending with it.
type ModuleCycle struct {
	Modules []string
	Cut     model.Dependency
	// Tangle is the modules that depend on each other through the cut edge, sorted (a strongly
	// connected component of the module graph).
	Tangle []string
}

// SharedTable is a table used by a group of modules (By "modules") or deployables (By
// "deployables"), with the members that write it.
type SharedTable struct {
	Table   model.Table
	By      string
	Group   []string
	Writers []string
	// Modules and Deployables are every module and deployable that touches the table.
	Modules, Deployables []string
}

// Input is what facts are derived from.
type Input struct {
	Result *model.Result
	Mods   *modules.ModuleSet
	Deps   map[modules.DepKey]*model.Dependency
	ByDir  map[string]*model.Package
	DB     *data.DbModel
	// Config is the .cleave.yaml (nil when there is none): what it declares is a fact of the
	// architecture the team chose. Its rules' settings are not.
	Config *rules.Config
	// Stacks maps the functions of a serverless template to the template: one application,
	// whose functions share its table by design.
	Stacks map[string]string
}

// Build derives every fact.
func Build(in Input) *Facts {
	f := &Facts{Inferred: in.Mods.Inferred()}
	deps := in.Result.Dependencies // the module graph, sorted
	f.Private, f.Forbidden = edges(in, deps)
	f.ModuleCycles = moduleCycles(cycleDeps(in))
	f.Layers = layerViolations(in.Config, deps)
	f.Unowned = unowned(in.Config, in.Result.Packages)
	f.Stale = staleDependencies(in.Config, deps)
	for i := range f.Stale {
		f.Stale[i].Pos.File = relFile(in.Result.Root, f.Stale[i].Pos.File)
	}
	bundle := map[string]bool{}
	for _, d := range in.Result.Deployables {
		bundle[d.Name] = d.IsBundle()
	}
	copies := copyOwners(in.Result)
	f.SharedTables, f.ConfiguredShares = sharedTables(in.Result.Tables, bundle, in.Stacks, copies, generatedModules(in.Result.Packages))
	for _, g := range in.DB.Conns {
		// A bundle connects as its parts do: the setting is theirs. Copies of one service
		// connect as it does.
		var ds []string
		owners := map[string]bool{}
		for _, d := range g.Deployables {
			if !bundle[d] {
				ds = append(ds, d)
				owners[cmp.Or(copies["deployable:"+d], d)] = true
			}
		}
		if len(owners) >= 2 {
			var sites []model.Connection
			for _, c := range g.Sites {
				if !bundle[c.Deployables[0]] {
					sites = append(sites, c)
				}
			}
			g.Deployables, g.Sites = ds, sites
			f.SharedSettings = append(f.SharedSettings, g)
		}
	}
	var adj map[string][]string
	adj, f.FirstCall = SyncGraph(in.Result.Calls)
	f.SyncChains = chains(adj)
	var nodes []string
	for n := range adj {
		nodes = append(nodes, n)
	}
	sort.Strings(nodes)
	f.CallCycles = ElementaryCycles(nodes, adj)
	return f
}

func edges(in Input, deps []model.Dependency) (private []Edge, forbidden []Forbidden) {
	usage := modules.UsageOf(deps)
	var api *apiCheck
	if in.Mods.Inferred() {
		api = newAPICheck(in.Result.Root, in.Result.Packages, in.Mods, usage)
	}
	for _, d := range deps {
		mi := in.Mods.ByName[d.From]
		declared := mi != nil && mi.Cfg != nil && mi.Cfg.DependsOn != nil
		for _, e := range d.Imports {
			edge := Edge{From: d.From, To: d.To, Import: e}
			// An import for side effects (a plugin registering itself) uses no API to cross.
			wiring := assembles(in.ByDir[e.Package])
			if q := in.ByDir[e.Imports]; !e.Blank && !wiring && in.Mods.Private(q, usage) {
				crosses := true
				if api != nil {
					edge.Instead, crosses = api.instead(in.ByDir[e.Package], e.File, q)
				}
				if crosses {
					private = append(private, edge)
				}
			}
			if declared && !slices.Contains(mi.Cfg.DependsOn, d.To) {
				forbidden = append(forbidden, Forbidden{Edge: edge, Allowed: mi.Cfg.DependsOn})
			}
		}
	}
	return private, forbidden
}

func cheaper(a, b *model.Dependency) bool {
	if len(a.Imports) != len(b.Imports) {
		return len(a.Imports) < len(b.Imports)
	}
	fa, fb := FileCount(a), FileCount(b)
	if fa != fb {
		return fa < fb
	}
	if a.From != b.From {
		return a.From < b.From
	}
	return a.To < b.To
}

// FileCount counts the files that hold a dependency's imports.
func FileCount(d *model.Dependency) int {
	files := map[string]bool{}
	for _, e := range d.Imports {
		files[e.File] = true
	}
	return len(files)
}

// allTechnical reports whether every module is named for a technical layer (services and
// models, handlers and store): layers of one program touch its tables by design, which says
// nothing of modules of a domain sharing a table.
func allTechnical(mods map[string]bool) bool {
	for m := range mods {
		if !isTechnical(m) {
			return false
		}
	}
	return len(mods) > 0
}

// copyOwners names what each module and deployable is in every copy of its Go module, for
// those that lie in one of several Go modules declaring the same module path (a tutorial's
// chapters, each a copy of one service): the module path and the place within it. Copies of
// one service keep their tables as that service does; they do not share them.
func copyOwners(res *model.Result) map[string]string {
	shared := model.SharedModulePaths(res.Packages)
	out := map[string]string{}
	place := func(key, goMod, modDir, dir string) {
		if !shared[goMod] {
			return
		}
		rel := model.RelSlash(modDir, dir)
		if k := goMod + "|" + rel; out[key] == "" || k < out[key] {
			out[key] = k
		}
	}
	byDir := map[string]*model.Package{}
	for _, p := range res.Packages {
		byDir[p.Dir] = p
		if p.Module != "" {
			place("module:"+p.Module, p.GoModule, p.ModDir, p.Dir)
		}
	}
	for _, d := range res.Deployables {
		if p := byDir[d.Dir]; p != nil {
			place("deployable:"+d.Name, p.GoModule, p.ModDir, p.Dir)
		}
	}
	return out
}

// generatedModules are the modules all of whose packages are generated (sqlc's queries, an
// ent client): code that serves the modules calling it, not an owner of the tables it reaches.
func generatedModules(pkgs []*model.Package) map[string]bool {
	out := map[string]bool{}
	for _, p := range pkgs {
		if p.Module == "" || !p.HasGoFiles {
			continue
		}
		if g, seen := out[p.Module]; !seen || g {
			out[p.Module] = p.Generated
		}
	}
	return out
}

func sharedTables(tables []model.Table, bundle map[string]bool, stacks map[string]string, copies map[string]string, generated map[string]bool) (out, configured []SharedTable) {
	// owners counts the owners of a table: copies of one module or deployable are one.
	owners := func(kind string, names map[string]bool) int {
		seen := map[string]bool{}
		for n := range names {
			seen[cmp.Or(copies[kind+n], kind+n)] = true
		}
		return len(seen)
	}
	for _, tb := range tables {
		mods, writerMods := map[string]bool{}, map[string]bool{}
		deps, writerDeps := map[string]bool{}, map[string]bool{}
		chosen, chosenWriters := map[string]bool{}, map[string]bool{} // as configured only
		for _, a := range tb.Accesses {
			if a.Migration {
				continue // the schema's keeper, not a user of the table
			}
			write := a.Op == string(sqltables.Write)
			if a.Module != "" && !generated[a.Module] {
				mods[a.Module] = true
				writerMods[a.Module] = writerMods[a.Module] || write
			}
			for _, d := range a.Deployables {
				if bundle[d] {
					continue // a bundle reaches the table through its parts
				}
				if slices.Contains(a.Chosen, d) {
					// only if configured so: the backend is one of several it may pick
					chosen[d] = true
					chosenWriters[d] = chosenWriters[d] || write
					continue
				}
				deps[d] = true
				writerDeps[d] = writerDeps[d] || write
			}
		}
		st := SharedTable{Table: tb, Modules: SortedKeys(mods, nil), Deployables: SortedKeys(deps, nil)}
		switch {
		case owners("module:", mods) >= 2 && !allTechnical(mods):
			st.By, st.Group, st.Writers = "modules", st.Modules, SortedKeys(writerMods, writerMods)
		case owners("deployable:", deps) >= 2 && !oneStack(st.Deployables, stacks):
			st.By, st.Group, st.Writers = "deployables", st.Deployables, SortedKeys(writerDeps, writerDeps)
		default:
			maps.Copy(chosen, deps)
			for d, w := range writerDeps {
				chosenWriters[d] = chosenWriters[d] || w
			}
			if owners("deployable:", chosen) >= 2 && !oneStack(SortedKeys(chosen, nil), stacks) {
				st.Deployables = SortedKeys(chosen, nil)
				st.By, st.Group, st.Writers = "deployables", st.Deployables, SortedKeys(chosenWriters, chosenWriters)
				configured = append(configured, st)
			}
			continue
		}
		out = append(out, st)
	}
	return out, configured
}

// oneStack reports whether deployables are all functions of one serverless template: one
// application whose functions keep one table by design.
func oneStack(deps []string, stacks map[string]string) bool {
	stack := ""
	for _, d := range deps {
		s := stacks[d]
		if s == "" || stack != "" && s != stack {
			return false
		}
		stack = s
	}
	return stack != ""
}

// SortedKeys returns the keys of m, sorted; with keep, only those keep holds true.
func SortedKeys(m, keep map[string]bool) []string {
	out := []string{}
	for k := range m {
		if keep == nil || keep[k] {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

// LongestChain returns the number of deployables on the longest synchronous chain.
func (f *Facts) LongestChain() int {
	n := 0
	for _, c := range f.SyncChains {
		n = max(n, len(c))
	}
	return n
}
