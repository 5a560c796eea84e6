package detect

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/cleave-dev/cleave/analyze/data"
	"github.com/cleave-dev/cleave/analyze/facts"
	"github.com/cleave-dev/cleave/analyze/model"
	"github.com/cleave-dev/cleave/analyze/modules"
	"github.com/cleave-dev/cleave/rules"
)

// A Detector checks the finished model for one finding rule. It never prints: it returns
// findings at the rule's default severity, and the runner applies the configuration.
type Detector struct {
	Rule string
	Run  func(m *Input) []*rules.Finding
}

// Detectors is every detector cleave runs, one per rule.
var Detectors = []Detector{
	{rules.PrivateImport, privateImports},
	{rules.ForbiddenDependency, forbiddenDependencies},
	{rules.ModuleCycle, moduleCycles},
	{rules.SharedTable, sharedTables},
	{rules.ForeignTable, foreignTables},
	{rules.SharedDSN, sharedDSNs},
	{rules.SyncChain, syncChainFindings},
	{rules.CallCycle, callCycleFindings},
}

// input is what detectors read: the result under construction and the indexes behind it.
type Input struct {
	Res    *model.Result
	Cfg    *rules.Config
	ByPath map[string]*model.Package
	ByDir  map[string]*model.Package
	Mods   *modules.ModuleSet
	Deps   map[modules.DepKey]*model.Dependency
	Db     *data.DbModel
}

func (m *Input) finding(rule string) *rules.Finding {
	r, _ := rules.Lookup(rule)
	return &rules.Finding{Rule: rule, Severity: r.Severity}
}

// publicDirs lists the public packages of a module, for messages.
func (m *Input) publicDirs(name string) []string {
	var out []string
	if mi := m.Mods.ByName[name]; mi != nil {
		for _, p := range mi.Pkgs {
			if !p.Root && m.Mods.Public(p) {
				out = append(out, p.Dir)
			}
		}
	}
	sort.Strings(out)
	return out
}

func listShort(items []string, most int) string {
	if len(items) > most {
		return strings.Join(items[:most], ", ") + fmt.Sprintf(" and %d more", len(items)-most)
	}
	return strings.Join(items, ", ")
}

func privateImports(m *Input) []*rules.Finding {
	var out []*rules.Finding
	for _, d := range modules.SortedDeps(m.Deps) {
		for _, e := range d.Imports {
			target := m.ByDir[e.Imports]
			if m.Mods.Public(target) {
				continue
			}
			f := m.finding(rules.PrivateImport)
			api := "it has no public package: add one, or mark the module open"
			if pub := m.publicDirs(d.To); len(pub) > 0 {
				api = "use its public API (" + listShort(pub, 3) + ") instead"
			}
			f.Message = fmt.Sprintf("%s imports %s, a private package of module %s; %s", e.Package, e.Imports, d.To, api)
			f.File, f.Line, f.Column = e.File, e.Line, e.Column
			f.Modules = []string{d.From, d.To}
			f.Fingerprint = rules.Fingerprint(f.Rule, e.File, e.Imports)
			out = append(out, f)
		}
	}
	return out
}

func forbiddenDependencies(m *Input) []*rules.Finding {
	var out []*rules.Finding
	for _, d := range modules.SortedDeps(m.Deps) {
		mi := m.Mods.ByName[d.From]
		if mi == nil || mi.Cfg == nil || mi.Cfg.DependsOn == nil || slices.Contains(mi.Cfg.DependsOn, d.To) {
			continue
		}
		allowed := "none"
		if len(mi.Cfg.DependsOn) > 0 {
			allowed = strings.Join(mi.Cfg.DependsOn, ", ")
		}
		for _, e := range d.Imports {
			f := m.finding(rules.ForbiddenDependency)
			f.Message = fmt.Sprintf("module %s may not depend on %s (its dependsOn allows: %s), but %s imports %s",
				d.From, d.To, allowed, e.Package, e.Imports)
			f.File, f.Line, f.Column = e.File, e.Line, e.Column
			f.Modules = []string{d.From, d.To}
			f.Fingerprint = rules.Fingerprint(f.Rule, e.File, e.Imports)
			out = append(out, f)
		}
	}
	return out
}

func moduleCycles(m *Input) []*rules.Finding {
	adj := modules.Adjacency(m.Deps)
	nodes := make([]string, 0, len(adj))
	for v := range adj {
		nodes = append(nodes, v)
	}
	sort.Strings(nodes)
	var out []*rules.Finding
	for _, cycle := range facts.ElementaryCycles(nodes, adj) {
		// The cheapest edge: fewest imports, then fewest files; it is the edge the message proposes to cut.
		best := -1
		var bestDep *model.Dependency
		for i := range cycle {
			d := m.Deps[modules.DepKey{From: cycle[i], To: cycle[(i+1)%len(cycle)]}]
			if bestDep == nil || cheaper(d, bestDep) {
				best, bestDep = i, d
			}
		}
		// Cycle order ending with the cheapest edge: it is the one that closes the cycle.
		start := (best + 1) % len(cycle)
		order := append(append([]string{}, cycle[start:]...), cycle[:start]...)
		f := m.finding(rules.ModuleCycle)
		first := bestDep.Imports[0]
		f.File, f.Line, f.Column = first.File, first.Line, first.Column
		f.Modules = order
		for _, e := range bestDep.Imports {
			f.Related = append(f.Related, rules.Location{File: e.File, Line: e.Line, Column: e.Column,
				Message: fmt.Sprintf("%s imports %s", e.Package, e.Imports)})
		}
		f.Message = fmt.Sprintf("modules %s → %s form an import cycle; cheapest to cut: %s → %s (%s)",
			strings.Join(order, " → "), order[0], bestDep.From, bestDep.To, countImports(bestDep))
		f.Fingerprint = rules.Fingerprint(f.Rule, cycle...)
		out = append(out, f)
	}
	return out
}

func cheaper(a, b *model.Dependency) bool {
	if len(a.Imports) != len(b.Imports) {
		return len(a.Imports) < len(b.Imports)
	}
	fa, fb := fileCount(a), fileCount(b)
	if fa != fb {
		return fa < fb
	}
	if a.From != b.From {
		return a.From < b.From
	}
	return a.To < b.To
}

func fileCount(d *model.Dependency) int {
	files := map[string]bool{}
	for _, e := range d.Imports {
		files[e.File] = true
	}
	return len(files)
}

func countImports(d *model.Dependency) string {
	n, files := len(d.Imports), fileCount(d)
	s := fmt.Sprintf("%d import", n)
	if n != 1 {
		s += "s"
	}
	if files == 1 {
		return s + " in " + d.Imports[0].File
	}
	return fmt.Sprintf("%s in %d files", s, files)
}
