package system

import (
	"cmp"
	"slices"
	"sort"
	"strings"

	"github.com/cleave-dev/cleave/analyze/calls"
	"github.com/cleave-dev/cleave/analyze/facts"
	"github.com/cleave-dev/cleave/analyze/model"
	"github.com/cleave-dev/cleave/rules"
)

// Repo is one repository of a system, analysed: the result and facts of a code repository,
// the manifests of a deployment repository.
type Repo struct {
	RepoSpec
	// Res and Facts are the repository's own analysis; nil for a deployment repository.
	Res   *model.Result
	Facts *facts.Facts
	// Deploy is what the repository's manifests hold: a deployment repository's, and a code
	// repository's own, which may run the other repositories' programs too.
	Deploy *Deployment
}

// namer renames what two repositories both name: deployables and modules, each prefixed by
// its repository only where another repository uses the name too.
type namer struct {
	deps, mods map[string]int // name -> repositories using it
}

func newNamer(repos []Repo) *namer {
	n := &namer{deps: map[string]int{}, mods: map[string]int{}}
	for _, r := range repos {
		if r.Res == nil {
			continue
		}
		seen := map[string]bool{}
		for _, d := range r.Res.Deployables {
			if !seen["d:"+d.Name] {
				seen["d:"+d.Name] = true
				n.deps[d.Name]++
			}
		}
		for _, m := range r.Res.Modules {
			if !seen["m:"+m.Name] {
				seen["m:"+m.Name] = true
				n.mods[m.Name]++
			}
		}
	}
	return n
}

// qualifier rewrites one repository's result into the system's terms.
type qualifier struct {
	repo string
	n    *namer
}

func (q qualifier) path(p string) string {
	if p == "" {
		return ""
	}
	if p == "." {
		return q.repo
	}
	return q.repo + "/" + p
}

func (q qualifier) paths(ps []string) []string { return mapped(ps, q.path) }

// mapped returns f of each item of a list, an empty list for none.
func mapped(items []string, f func(string) string) []string {
	out := make([]string, len(items))
	for i, s := range items {
		out[i] = f(s)
	}
	return out
}

func (q qualifier) dep(name string) string {
	if name == "" || q.n.deps[name] < 2 {
		return name
	}
	return q.repo + "/" + name
}

func (q qualifier) deps(names []string) []string { return mapped(names, q.dep) }

// comp renames the deployable of "deployable/component".
func (q qualifier) comp(s string) string {
	d, c, ok := strings.Cut(s, "/")
	if !ok {
		return q.dep(s)
	}
	return q.dep(d) + "/" + c
}

func (q qualifier) mod(name string) string {
	if name == "" || q.n.mods[name] < 2 {
		return name
	}
	return q.repo + "/" + name
}

func (q qualifier) mods(names []string) []string { return mapped(names, q.mod) }

func (q qualifier) edges(es []model.ImportEdge) []model.ImportEdge {
	out := slices.Clone(es)
	for i := range out {
		out[i].Package, out[i].Imports, out[i].File = q.path(out[i].Package), q.path(out[i].Imports), q.path(out[i].File)
	}
	return out
}

func (q qualifier) dependency(d model.Dependency) model.Dependency {
	return model.Dependency{From: q.mod(d.From), To: q.mod(d.To), Imports: q.edges(d.Imports)}
}

// finding rewrites a finding of the repository: its places, names and fingerprint, which
// now says which repository it is of.
func (q qualifier) finding(f *rules.Finding) *rules.Finding {
	c := *f
	c.File = q.path(f.File)
	c.Modules, c.Deployables = q.mods(f.Modules), q.deps(f.Deployables)
	c.Related = slices.Clone(f.Related)
	for i := range c.Related {
		c.Related[i].File = q.path(c.Related[i].File)
	}
	c.Fingerprint = rules.Fingerprint(f.Rule, "repository:"+q.repo, f.Fingerprint)
	for _, d := range f.Deployables {
		if r := q.dep(d); r != d {
			c.Message = renameWord(c.Message, d, r)
		}
	}
	for _, m := range f.Modules {
		if r := q.mod(m); r != m {
			c.Message = renameWord(c.Message, m, r)
		}
	}
	return &c
}

// renameWord replaces the whole-word occurrences of name in a message, those between spaces,
// commas or the message's ends: a deployable's name where the system prefixes it. (A word of
// the prose spelled like the name is renamed too; the finding's deployables list is exact.)
func renameWord(msg, name, to string) string {
	var b strings.Builder
	for i := 0; i < len(msg); {
		j := strings.Index(msg[i:], name)
		if j < 0 {
			b.WriteString(msg[i:])
			break
		}
		j += i
		end := j + len(name)
		before := j == 0 || strings.ContainsRune(" ,(", rune(msg[j-1]))
		after := end == len(msg) || strings.ContainsRune(" ,;:)", rune(msg[end]))
		b.WriteString(msg[i:j])
		if before && after {
			b.WriteString(to)
		} else {
			b.WriteString(name)
		}
		i = end
	}
	return b.String()
}

// add merges one code repository's result into the system's.
func (q qualifier) add(sys *model.Result, res *model.Result) {
	for _, gm := range res.GoModules {
		sys.GoModules = append(sys.GoModules, model.GoModule{Path: gm.Path, Dir: q.path(gm.Dir)})
	}
	for _, d := range res.Deployables {
		c := d
		c.Name, c.Repository, c.Dir, c.Module = q.dep(d.Name), q.repo, q.path(d.Dir), q.mod(d.Module)
		c.Bundles = q.deps(d.Bundles)
		c.Components = slices.Clone(d.Components)
		for i := range c.Components {
			c.Components[i].Packages = q.paths(c.Components[i].Packages)
			c.Components[i].Calls = slices.Clone(c.Components[i].Calls)
			for j := range c.Components[i].Calls {
				c.Components[i].Calls[j].File = q.path(c.Components[i].Calls[j].File)
			}
		}
		sys.Deployables = append(sys.Deployables, c)
	}
	for _, m := range res.Modules {
		c := m
		c.Name, c.Dirs, c.Public = q.mod(m.Name), q.paths(m.Dirs), q.paths(m.Public)
		c.DependsOn, c.DependedOnBy, c.Paths = q.mods(m.DependsOn), q.mods(m.DependedOnBy), q.paths(m.Paths)
		sys.Modules = append(sys.Modules, c)
	}
	for _, d := range res.Dependencies {
		sys.Dependencies = append(sys.Dependencies, q.dependency(d))
	}
	for _, d := range res.CycleCut {
		sys.CycleCut = append(sys.CycleCut, q.dependency(d))
	}
	for _, t := range res.Tables {
		c := t
		c.Accesses = slices.Clone(t.Accesses)
		for i := range c.Accesses {
			a := &c.Accesses[i]
			a.Module, a.Deployables, a.File = q.mod(a.Module), q.deps(a.Deployables), q.path(a.File)
			a.Components = mapped(a.Components, q.comp)
		}
		sys.Tables = append(sys.Tables, c)
	}
	for _, c := range res.Connections {
		sys.Connections = append(sys.Connections, model.Connection{Setting: c.Setting, Deployables: q.deps(c.Deployables), File: q.path(c.File), Line: c.Line})
	}
	for _, c := range res.Calls {
		c.From, c.File = q.dep(c.From), q.path(c.File)
		if !c.External {
			c.To = q.dep(c.To)
		}
		sys.Calls = append(sys.Calls, c)
	}
	for _, f := range res.Findings {
		sys.Findings = append(sys.Findings, q.finding(f))
	}
	for _, w := range res.Warnings {
		sys.Warnings = append(sys.Warnings, model.Warning{Subject: q.path(w.Subject), Message: w.Message})
	}
	for _, r := range res.Readiness {
		r.Module = q.mod(r.Module)
		sys.Readiness = append(sys.Readiness, r)
	}
	for _, p := range res.Practices {
		i := slices.IndexFunc(sys.Practices, func(x model.PracticeEvidence) bool { return x.ID == p.ID })
		if i < 0 {
			sys.Practices = append(sys.Practices, model.PracticeEvidence{ID: p.ID, Evidence: []string{}})
			i = len(sys.Practices) - 1
		}
		sys.Practices[i].Found = sys.Practices[i].Found || p.Found
		for _, e := range p.Evidence {
			sys.Practices[i].Evidence = append(sys.Practices[i].Evidence, q.repo+": "+e)
		}
	}
	sys.Packages = append(sys.Packages, res.Packages...)
}

// sortAll puts every list of the merged result in the order of every output.
func sortAll(sys *model.Result) {
	slices.SortStableFunc(sys.GoModules, func(a, b model.GoModule) int { return cmp.Compare(a.Dir, b.Dir) })
	slices.SortStableFunc(sys.Deployables, func(a, b model.Deployable) int { return cmp.Compare(a.Dir, b.Dir) })
	slices.SortStableFunc(sys.Modules, func(a, b model.Module) int { return cmp.Compare(a.Name, b.Name) })
	depCmp := func(a, b model.Dependency) int { return cmp.Or(cmp.Compare(a.From, b.From), cmp.Compare(a.To, b.To)) }
	slices.SortStableFunc(sys.Dependencies, depCmp)
	slices.SortStableFunc(sys.CycleCut, depCmp)
	slices.SortStableFunc(sys.Tables, func(a, b model.Table) int {
		return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.Store, b.Store), cmp.Compare(a.Accesses[0].File, b.Accesses[0].File))
	})
	slices.SortStableFunc(sys.Connections, func(a, b model.Connection) int {
		return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line), cmp.Compare(a.Setting, b.Setting))
	})
	calls.SortCalls(sys.Calls)
	slices.SortStableFunc(sys.ExternalServices, func(a, b model.ExternalService) int { return cmp.Compare(a.Name, b.Name) })
	sort.SliceStable(sys.Findings, func(i, j int) bool { return rules.Less(sys.Findings[i], sys.Findings[j]) })
	slices.SortStableFunc(sys.Warnings, func(a, b model.Warning) int {
		return cmp.Or(cmp.Compare(a.Subject, b.Subject), cmp.Compare(a.Message, b.Message))
	})
	slices.SortStableFunc(sys.Readiness, func(a, b model.ModuleReadiness) int { return cmp.Compare(a.Module, b.Module) })
	slices.SortStableFunc(sys.Packages, func(a, b *model.Package) int { return cmp.Compare(a.Path, b.Path) })
}
