package modules

import (
	"sort"

	"github.com/cleave-dev/cleave/analyze/model"
)

// DepKey identifies a module dependency.
type DepKey struct{ From, To string }

// BuildGraph collects the module dependencies from the imports of every package that is in a
// module and is not a composition root.
func BuildGraph(pkgs []*model.Package, byPath map[string]*model.Package) map[DepKey]*model.Dependency {
	deps := map[DepKey]*model.Dependency{}
	for _, p := range pkgs {
		if p.Root || p.Module == "" {
			continue
		}
		for _, imp := range p.Imports {
			q := byPath[imp.Path]
			if q == nil || q.Module == "" || q.Module == p.Module {
				continue
			}
			k := DepKey{p.Module, q.Module}
			d := deps[k]
			if d == nil {
				d = &model.Dependency{From: p.Module, To: q.Module}
				deps[k] = d
			}
			d.Imports = append(d.Imports, model.ImportEdge{Package: p.Dir, Imports: q.Dir, File: imp.File, Line: imp.Line, Column: imp.Column, Blank: imp.Blank})
		}
	}
	for _, d := range deps {
		sort.Slice(d.Imports, func(i, j int) bool { return importLess(d.Imports[i], d.Imports[j]) })
	}
	return deps
}

func importLess(a, b model.ImportEdge) bool {
	if a.File != b.File {
		return a.File < b.File
	}
	if a.Line != b.Line {
		return a.Line < b.Line
	}
	return a.Column < b.Column
}

// SortedDeps returns the dependencies sorted by (from, to).
func SortedDeps(deps map[DepKey]*model.Dependency) []model.Dependency {
	out := make([]model.Dependency, 0, len(deps))
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

// Adjacency returns each module's dependencies, sorted.
func Adjacency(deps map[DepKey]*model.Dependency) map[string][]string {
	adj := map[string][]string{}
	for k := range deps {
		adj[k.From] = append(adj[k.From], k.To)
	}
	for _, v := range adj {
		sort.Strings(v)
	}
	return adj
}

// Usage is how other modules use a module's packages.
type Usage struct {
	// Importers counts, for each package directory, the other modules that import it.
	Importers map[string]int
	// Reached counts, for each module, its packages other modules import.
	Reached map[string]int
}

// UsageOf reads the module graph's imports into a Usage.
func UsageOf(deps []model.Dependency) Usage {
	u := Usage{Importers: map[string]int{}, Reached: map[string]int{}}
	seen := map[[2]string]bool{}
	reached := map[string]bool{}
	for _, d := range deps {
		for _, e := range d.Imports {
			if k := [2]string{e.Imports, d.From}; !seen[k] {
				seen[k] = true
				u.Importers[e.Imports]++
			}
			if !reached[e.Imports] {
				reached[e.Imports] = true
				u.Reached[d.To]++
			}
		}
	}
	return u
}
