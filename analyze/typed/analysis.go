package typed

import (
	"go/ast"
	"go/types"
	"slices"
	"strings"

	"github.com/cleave-dev/cleave/analyze/model"
)

// TypedAnalysis is the typed repository with its call graph and what each shipping
// deployable reaches: the ground on which tables and calls are attributed to deployables.
type TypedAnalysis struct {
	Tr      *TypedRepo
	G       *CallGraph
	Reaches []reachOf
	// understood holds the packages some function of which a program reaches.
	understood map[*model.Package]bool
	// ifaces holds, by program, the repository interfaces whose methods it calls, once asked.
	ifaces map[string]map[*types.Named]bool
}

type reachOf struct {
	Name    string
	reached map[FnKey]bool
	// definite is what the program runs whatever its configuration picks among the arms of
	// a switch over alternatives (nil when the repository has no such switch: all of reached).
	definite map[FnKey]bool
	Linked   map[*model.Package]bool
	// components are what each component of a multi-role binary reaches, from the functions
	// of the packages it runs.
	components []componentReach
}

type componentReach struct {
	name    string
	reached map[FnKey]bool
}

// NewTypedAnalysis type-checks the packages (function bodies only where seeds, or packages
// importing them, need them, and there only those that can matter to a recogniser of the
// libraries that library reports) and computes each shipping deployable's reach.
//
// pre, when set, holds files already parsed: they are not parsed again.
func NewTypedAnalysis(root string, res *model.Result, candidates []*model.Package, seed func(*model.Package) bool, library func(path string) bool, pre *Prefetch) *TypedAnalysis {
	bodies := needBodies(candidates, seed)
	tr := typeCheck(root, withImports(candidates, bodies), bodies, library, pre)
	ta := &TypedAnalysis{Tr: tr, G: buildCallGraph(tr), understood: map[*model.Package]bool{}}
	choices := ta.G.hasChoices() // once: it looks at every function
	for _, d := range res.Deployables {
		if d.Kind == model.KindTool {
			continue
		}
		tp := tr.ByPath[d.Package]
		if tp == nil {
			continue
		}
		linked := tr.linkedPackages(tp)
		r := reachOf{Name: d.Name, reached: ta.G.reach(tp, linked), Linked: map[*model.Package]bool{}}
		if choices {
			r.definite = ta.G.reachDefinite(tp, linked)
		}
		for _, l := range linked {
			r.Linked[l.Pkg] = true
		}
		for _, c := range d.Components {
			var roots []FnKey
			for _, dir := range c.Packages {
				for _, ctp := range tr.Pkgs {
					if ctp.Pkg.Dir == dir {
						roots = append(roots, ta.G.pkgFuncs(ctp)...)
					}
				}
			}
			r.components = append(r.components, componentReach{name: c.Name, reached: ta.G.reachFrom(roots)})
		}
		ta.Reaches = append(ta.Reaches, r)
	}
	ta.understand()
	return ta
}

// understand marks the packages the call graph sees into: a package none of whose functions
// any program reaches is one it cannot (reflection, plugins), and there, linking the package
// stands in for calling it.
func (ta *TypedAnalysis) understand() {
	ta.understood = map[*model.Package]bool{}
	for _, r := range ta.Reaches {
		for k := range r.reached {
			ta.understood[ta.G.fns[k].tp.Pkg] = true
		}
	}
}

// Forget drops the named programs from the analysis after their kinds are decided: nothing is
// attributed to them.
func (ta *TypedAnalysis) Forget(names map[string]bool) {
	ta.Reaches = slices.DeleteFunc(ta.Reaches, func(r reachOf) bool { return names[r.Name] })
	ta.understand()
}

// Linking returns the shipping deployables that link any of the packages, in the order of
// the deployables; nil for a nil analysis.
func (ta *TypedAnalysis) Linking(pkgs []*model.Package) []string {
	if ta == nil {
		return nil
	}
	var out []string
	for _, r := range ta.Reaches {
		for _, p := range pkgs {
			if r.Linked[p] {
				out = append(out, r.Name)
				break
			}
		}
	}
	return out
}

// ComponentsOf returns the components of multi-role binaries that can run a function, each
// as "deployable/component".
func (ta *TypedAnalysis) ComponentsOf(fn FnKey) []string {
	var out []string
	for _, r := range ta.Reaches {
		for _, c := range r.components {
			if c.reached[fn] {
				out = append(out, r.Name+"/"+c.name)
			}
		}
	}
	return out
}

// CallsInterface reports whether the named program calls a method of a repository interface
// anywhere its call graph reaches.
func (ta *TypedAnalysis) CallsInterface(deployable string, iface *types.Named) bool {
	if ta.ifaces == nil {
		ta.ifaces = map[string]map[*types.Named]bool{}
	}
	set, ok := ta.ifaces[deployable]
	if !ok {
		set = map[*types.Named]bool{}
		for _, r := range ta.Reaches {
			if r.Name != deployable {
				continue
			}
			for k := range r.reached {
				if fi := ta.G.fns[k]; fi != nil {
					for _, t := range fi.ifaces {
						set[t] = true
					}
				}
			}
		}
		ta.ifaces[deployable] = set
	}
	return set[iface]
}

// Chosen returns the shipping deployables that run a function only if their configuration
// picks it: they reach it through one arm of a switch over alternatives (a storage backend
// among several), and by no other path.
func (ta *TypedAnalysis) Chosen(fn FnKey) []string {
	var out []string
	for _, r := range ta.Reaches {
		if r.definite != nil && r.reached[fn] && !r.definite[fn] {
			out = append(out, r.Name)
		}
	}
	return out
}

// DeployablesOf returns the shipping deployables that can run a function.
func (ta *TypedAnalysis) DeployablesOf(fn FnKey, pkg *model.Package) []string {
	out, _ := ta.Runners(fn, pkg)
	return out
}

// Runners returns the shipping deployables that can run a function, and whether they are only
// those that link its package: where no program reaches any function of the package, the call
// graph cannot see into it (reflection, plugins, registration by name), and linking the
// package stands in for calling it.
func (ta *TypedAnalysis) Runners(fn FnKey, pkg *model.Package) (names []string, linked bool) {
	out := []string{}
	for _, r := range ta.Reaches {
		if r.reached[fn] {
			out = append(out, r.Name)
		}
	}
	if len(out) == 0 && !ta.understood[pkg] {
		for _, r := range ta.Reaches {
			if r.Linked[pkg] {
				out = append(out, r.Name)
			}
		}
		return out, len(out) > 0
	}
	return out, false
}

// needBodies returns the packages whose function bodies matter: the seeds (those that use a
// database library, hold SQL text, or call other services) and every package that imports
// one of them, directly or not.
func needBodies(pkgs []*model.Package, seed func(*model.Package) bool) map[*model.Package]bool {
	byPath := map[string]*model.Package{}
	importers := map[*model.Package][]*model.Package{}
	for _, p := range pkgs {
		byPath[p.Path] = p
	}
	for _, p := range pkgs {
		for _, imp := range p.Imports {
			if q := byPath[imp.Path]; q != nil && q != p && !imp.Test {
				importers[q] = append(importers[q], p)
			}
		}
	}
	need := map[*model.Package]bool{}
	var queue []*model.Package
	for _, p := range pkgs {
		if seed(p) {
			need[p] = true
			queue = append(queue, p)
		}
	}
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		for _, q := range importers[p] {
			if !need[q] {
				need[q] = true
				queue = append(queue, q)
			}
		}
	}
	return need
}

// withImports keeps the packages whose bodies are needed and those they import, directly or
// not: the others cannot matter to the typed analysis, so they are not even parsed.
func withImports(pkgs []*model.Package, need map[*model.Package]bool) []*model.Package {
	byPath := map[string]*model.Package{}
	for _, p := range pkgs {
		byPath[p.Path] = p
	}
	keep := map[*model.Package]bool{}
	var queue []*model.Package
	for p := range need {
		keep[p] = true
		queue = append(queue, p)
	}
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		for _, imp := range p.Imports {
			if q := byPath[imp.Path]; q != nil && !keep[q] && !imp.Test {
				keep[q] = true
				queue = append(queue, q)
			}
		}
	}
	var out []*model.Package
	for _, p := range pkgs { // in the order given
		if keep[p] {
			out = append(out, p)
		}
	}
	return out
}

// Reached says whether the program named deployable can reach the code at line of file, in
// the repository package pkgPath, along the call graph; known is false when the graph cannot
// tell: the package was read without bodies, or no program reaches any of it (reflection,
// plugins), or the line is in no function.
func (ta *TypedAnalysis) Reached(deployable, pkgPath, file string, line int) (reached, known bool) {
	tp := ta.Tr.ByPath[pkgPath]
	if tp == nil || !tp.Bodies || !ta.understood[tp.Pkg] {
		return false, false
	}
	var r *reachOf
	for i := range ta.Reaches {
		if ta.Reaches[i].Name == deployable {
			r = &ta.Reaches[i]
		}
	}
	if r == nil {
		return false, false
	}
	for _, f := range tp.files {
		if ta.Tr.fset.Position(f.Pos()).Filename != file {
			continue
		}
		for _, d := range f.Decls {
			start, end := ta.Tr.fset.Position(d.Pos()).Line, ta.Tr.fset.Position(d.End()).Line
			if line < start || line > end {
				continue
			}
			fd, ok := d.(*ast.FuncDecl)
			if !ok {
				return r.reached[tp], true // a package-level initialiser runs with the package
			}
			fn, _ := tp.info.Defs[fd.Name].(*types.Func)
			if fn == nil {
				return false, false
			}
			if r.reached[fn] {
				return true, true
			}
			// A function literal inside it is a function of the graph of its own.
			found := false
			ast.Inspect(fd, func(n ast.Node) bool {
				if lit, ok := n.(*ast.FuncLit); ok && r.reached[lit] {
					s, e := ta.Tr.fset.Position(lit.Pos()).Line, ta.Tr.fset.Position(lit.End()).Line
					found = found || line >= s && line <= e
				}
				return !found
			})
			return found, true
		}
	}
	return false, false
}

// Variant says that a shipping deployable is another packaging of the program of another (Of):
// its call graph reaches Shared of Total repository functions outside its own directory (generated
// code aside), all but a few of those that the other reaches too, and few within it (its main
// and a wrapper). A desktop build that embeds the server, a
// copy of a service in another directory: each runs with its own process and its own data,
// so what the two share is no coupling.
type Variant struct {
	Of            string
	Shared, Total int
}

// The least a program must reach for its likeness to another to say anything, and the share of
// the functions either reaches that both must reach.
const (
	variantMinFuncs = 20
	variantShare    = 0.9
)

// Variants returns the shipping deployables that are other packagings of another's program,
// by name. The deployables that reach the most come first as the programs that others
// package, then those whose mains hold the least code of their own (a wrapper adds some),
// then by name; tools, bundles and multi-role binaries are left as they are.
func (ta *TypedAnalysis) Variants(ds []model.Deployable) map[string]Variant {
	type prog struct {
		name string
		fns  map[FnKey]bool
		own  int // the functions it reaches in its own directory
	}
	reached := map[string]map[FnKey]bool{}
	for _, r := range ta.Reaches {
		reached[r.Name] = r.reached
	}
	var progs []prog
	for _, d := range ds {
		r := reached[d.Name]
		if r == nil || d.Kind == model.KindTool || d.IsBundle() || len(d.Components) > 0 {
			continue
		}
		p := prog{name: d.Name, fns: map[FnKey]bool{}}
		for k := range r {
			switch fi := ta.G.fns[k]; {
			case fi == nil || fi.tp.Pkg.Generated:
				// generated stubs (the clients of the services a program calls) say nothing
				// of which program it is
			case !inDir(fi.tp.Pkg.Dir, d.Dir):
				p.fns[k] = true
			default:
				p.own++
			}
		}
		// A program whose own directory holds much of its code is a program of its own,
		// whatever it shares (a copy of a service next to the generated stubs they share).
		if len(p.fns) >= variantMinFuncs && p.own*4 <= len(p.fns) {
			progs = append(progs, p)
		}
	}
	slices.SortStableFunc(progs, func(a, b prog) int {
		if len(a.fns) != len(b.fns) {
			return len(b.fns) - len(a.fns)
		}
		if a.own != b.own { // the thinner main is the program's own; the other wraps it
			return a.own - b.own
		}
		return strings.Compare(a.name, b.name)
	})
	out := map[string]Variant{}
	var primaries []prog
	for _, p := range progs {
		variant := false
		for _, q := range primaries {
			shared := 0
			for k := range p.fns {
				if q.fns[k] {
					shared++
				}
			}
			if union := len(p.fns) + len(q.fns) - shared; float64(shared) >= variantShare*float64(union) {
				out[p.name] = Variant{Of: q.name, Shared: shared, Total: len(p.fns)}
				variant = true
				break
			}
		}
		if !variant {
			primaries = append(primaries, p)
		}
	}
	return out
}

// inDir reports whether a package directory is dir or lies under it; the root's packages do
// not all lie under a main package at the root.
func inDir(pkgDir, dir string) bool {
	return pkgDir == dir || dir != "." && strings.HasPrefix(pkgDir, dir+"/")
}
