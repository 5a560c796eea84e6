package deployables

import (
	"fmt"
	"path"
	"slices"
	"sort"
	"strings"

	"github.com/cleave-dev/cleave/analyze/manifests"
	"github.com/cleave-dev/cleave/analyze/model"
	"github.com/cleave-dev/cleave/analyze/modules"
)

// DeployableNames names every main package after its directory; a clash adds parent directories.
func DeployableNames(mains []*model.Package) map[string]string {
	dirs := make([]string, len(mains))
	for i, p := range mains {
		dirs[i] = p.Dir
	}
	names := modules.UniqueNames(dirs, func(s string) bool { return s == "cmd" || modules.Containers[s] })
	for _, p := range mains {
		if p.Dir == "." {
			names[p.Dir] = model.ModuleBaseName(p.GoModule)
		}
	}
	return names
}

// FindDeployables classifies every main package.
func FindDeployables(root string, pkgs []*model.Package, names map[string]string, ships *manifests.Shipping, decls []manifests.Declared) []model.Deployable {
	var mains []*model.Package
	for _, p := range pkgs {
		if p.IsMain() {
			mains = append(mains, p)
		}
	}
	byPath := map[string]*model.Package{}
	for _, p := range pkgs {
		byPath[p.Path] = p
	}
	out := make([]model.Deployable, 0, len(mains))
	programs := ProgramDirs(mains)
	for _, p := range mains {
		d := model.Deployable{Name: names[p.Dir], Package: p.Path, Dir: p.Dir, Components: []model.Component{}, Bundles: []string{}}
		d.Kind, d.Evidence = classify(p, byPath, ships, programs.Inside(p.Dir))
		for _, dc := range decls {
			if dc.Dir == p.Dir && dc.Function && d.Kind != model.KindFunction {
				d.Kind, d.Evidence = model.KindFunction, []string{dc.By} // the manifest says what the code does not
			}
		}
		if d.Kind != model.KindTool {
			if cs := components(root, p, byPath); cs != nil {
				d.Components = cs
			}
		}
		out = append(out, d)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	bundles(out, byPath)
	copies(out, byPath)
	return out
}

// copies makes each deployable that lies in a copy of another's Go module (one of several
// that declare the same module path, at the same place within it: a tutorial's chapters) a
// bundle of the first of them by directory: one program, counted once, sharing nothing with
// itself.
func copies(ds []model.Deployable, byPath map[string]*model.Package) {
	pkgs := make([]*model.Package, 0, len(byPath))
	for _, p := range byPath {
		pkgs = append(pkgs, p)
	}
	shared := model.SharedModulePaths(pkgs)
	first := map[string]*model.Deployable{}
	order := make([]*model.Deployable, 0, len(ds))
	for i := range ds {
		order = append(order, &ds[i])
	}
	sort.SliceStable(order, func(i, j int) bool { return order[i].Dir < order[j].Dir })
	for _, d := range order {
		p := byPath[d.Package]
		if p == nil || d.Kind == model.KindTool || d.IsBundle() || !shared[p.GoModule] {
			continue
		}
		key := p.GoModule + "|" + model.RelSlash(p.ModDir, p.Dir)
		f := first[key]
		if f == nil {
			first[key] = d
			continue
		}
		d.Bundles = []string{f.Name}
		d.Evidence = append(d.Evidence, fmt.Sprintf("a copy of %s: its Go module (%s) declares the module path %s, as %s does; one program, a bundle",
			f.Name, p.ModDir, p.GoModule, byPath[f.Package].ModDir))
	}
}

// bundles marks the deployables that run the entry code of two or more others in one process:
// their main package imports packages that live under those deployables' own directories
// (cmd/collector/app, cmd/query/app), or the entry packages a service's main in its cmd
// directory imports from the service's directory (runs/cmd imports runs and runs/config; an
// all-in-one manager imports them too), which only such a packaging does.
func bundles(ds []model.Deployable, byPath map[string]*model.Package) {
	for i := range ds {
		b := &ds[i]
		if b.Kind == model.KindTool {
			continue
		}
		main := byPath[b.Package]
		parts := map[string]bool{}
		for _, imp := range main.Imports {
			q := byPath[imp.Path]
			if q == nil || imp.Test {
				continue
			}
			for _, d := range ds {
				if d.Name == b.Name || d.Kind == model.KindTool {
					continue
				}
				if strings.HasPrefix(q.Dir, d.Dir+"/") || entryOf(d, q, byPath) {
					parts[d.Name] = true
				}
			}
		}
		if len(parts) >= 2 {
			for n := range parts {
				b.Bundles = append(b.Bundles, n)
			}
			sort.Strings(b.Bundles)
			b.Evidence = append(b.Evidence, "runs the entry code of "+strings.Join(b.Bundles, ", ")+" in one process: a bundle")
		}
	}
}

// entryOf reports whether q is an entry package of a service whose main lies in the cmd
// directory of the service's own (runs/cmd): a package of that service's directory (runs,
// runs/config) that its main imports itself. A client package of the service, which other
// programs import to call it, is none: the service's main does not import it.
func entryOf(d model.Deployable, q *model.Package, byPath map[string]*model.Package) bool {
	home := path.Dir(d.Dir)
	if path.Base(d.Dir) != "cmd" || home == "." || q.Dir != home && !strings.HasPrefix(q.Dir, home+"/") {
		return false
	}
	main := byPath[d.Package]
	return main != nil && slices.ContainsFunc(main.Imports, func(imp model.Import) bool { return imp.Path == q.Path && !imp.Test })
}

// Tools returns the directories of the deployables that do not ship: they wire what they need
// like a composition root, so their imports are exempt from the boundary rules.
func Tools(ds []model.Deployable) map[string]bool {
	out := map[string]bool{}
	for _, d := range ds {
		if d.Kind == model.KindTool {
			out[d.Dir] = true
		}
	}
	return out
}

// WithModules returns the deployables with the module of their main package.
func WithModules(ds []model.Deployable, pkgs []*model.Package) []model.Deployable {
	module := map[string]string{}
	for _, p := range pkgs {
		module[p.Dir] = p.Module
	}
	out := make([]model.Deployable, len(ds))
	for i, d := range ds {
		d.Module = module[d.Dir]
		out[i] = d
	}
	return out
}

// generatorNames are what a main package that generates code or files is called (its own
// directory: monitoring/mixin/generate, cmd/codegen).
var generatorNames = map[string]bool{"generate": true, "generator": true, "codegen": true}

// Programs are the directories of a repository's main packages.
type Programs map[string]bool

// ProgramDirs returns the directories of the main packages.
func ProgramDirs(mains []*model.Package) Programs {
	dirs := make(Programs, len(mains))
	for _, m := range mains {
		dirs[m.Dir] = true
	}
	return dirs
}

// Inside returns the directory of the program that holds dir below its own, nearest first: a
// program in a subdirectory of another program (demo/cmd/client inside the demo server's
// directory) is that program's helper. The repository's root does not count: every program
// lies below it. "" when there is none.
func (ps Programs) Inside(dir string) string {
	for d := path.Dir(dir); d != "." && d != "/" && d != dir; d = path.Dir(d) {
		if ps[d] {
			return d
		}
	}
	return ""
}

// classify decides a main package's kind: what its build manifests and its path say of
// shipping, then what the calls it reaches say of what it does. inside is the directory of
// the program whose directory holds this one's (Programs.Inside), or "".
func classify(p *model.Package, byPath map[string]*model.Package, ships *manifests.Shipping, inside string) (string, []string) {
	named := ships.Names(p.Dir)
	if !named {
		for _, s := range model.Segments(p.Dir) {
			if model.ToolDirs[s] || testSupport(s) {
				return model.KindTool, []string{fmt.Sprintf("lies under %s/, where examples, generators and test harnesses live", s)}
			}
		}
		switch base := path.Base(p.Dir); {
		case strings.HasPrefix(base, "protoc-gen-"):
			// protoc runs a plugin named so while the code is generated: a build step
			return model.KindTool, []string{fmt.Sprintf("is a protoc plugin (%s), run while code is generated", base)}
		case generatorNames[base]:
			return model.KindTool, []string{fmt.Sprintf("is named %s: a generator, run while the repository is built", base)}
		}
		if ships.Known() {
			// Absence from the manifests never outweighs what the code does: a program that
			// serves, consumes or is a function handler ships however it is built.
			kind, ev := kindOf(p, byPath, nil, nil)
			if kind == model.KindCLI {
				return model.KindTool, []string{"not built by the repository's build manifests (" + ships.Describe() + ")"}
			}
			return kind, append([]string{"not built by the repository's build manifests, which the code outweighs"}, ev...)
		}
		if inside != "" {
			// A program kept in another's directory that serves nothing is run by hand
			// beside it: a test client, a seeder, a one-off database script.
			if kind, ev := kindOf(p, byPath, nil, nil); kind != model.KindCLI {
				return kind, ev
			}
			return model.KindTool, []string{HelperEvidence(inside)}
		}
	}
	var ev []string
	if named {
		ev = append(ev, ships.By(p.Dir))
	}
	return kindOf(p, byPath, ev, nil)
}

// HelperEvidence says why a program inside another's directory that serves nothing is a tool.
func HelperEvidence(inside string) string {
	return fmt.Sprintf("lies inside %s/, the directory of another program, and serves nothing: a helper run by hand beside it (a test client, a seeder)", inside)
}

// testSupport reports whether a directory is named as test support (promqltest, testutil).
func testSupport(s string) bool {
	return strings.HasPrefix(s, "test") || strings.HasSuffix(s, "test") && s != "latest"
}

// KindReached decides a program's kind again with only the calls keep accepts: those its
// call graph reaches, once the typed analysis knows it.
func KindReached(p *model.Package, byPath map[string]*model.Package, keep func(q *model.Package, h *model.Hit) bool) (string, []string) {
	return kindOf(p, byPath, nil, keep)
}

// KindVia reports the package and the call that decided a program's kind from its imports:
// what KindReached may overturn. ok is false when the kind comes from the main package itself,
// or from no call.
func KindVia(p *model.Package, byPath map[string]*model.Package) (q *model.Package, h *model.Hit, ok bool) {
	e := evidenceOf(p, byPath, nil)
	switch {
	case e.best != nil && e.bestPkg != p:
		return e.bestPkg, e.best, true
	case e.best == nil && e.aux == nil && e.routes != nil && e.routesPkg != p:
		// Handlers registered in an imported package made it a service.
		r := *e.routes
		r.Kind = model.KindService
		return e.routesPkg, &r, true
	case e.best == nil && e.aux != nil && e.auxPkg != p && (strings.Contains(e.aux.Aux, "health") || strings.Contains(e.aux.Aux, "metrics")):
		// An imported package's health or metrics listener made it a daemon.
		a := *e.aux
		a.Kind = model.KindWorker
		return e.auxPkg, &a, true
	}
	return nil, nil, false
}

// kindEvidence is what a program reaches that tells its kind: the strongest call, the first
// listener for operators, and the first handler registration, each with its package.
type kindEvidence struct {
	best, aux, routes          *model.Hit
	bestPkg, auxPkg, routesPkg *model.Package
}

// evidenceOf walks the repository packages the program imports, breadth-first. The strongest
// kind anywhere wins (a program that serves is a service even if it also consumes a queue);
// its nearest call is the evidence.
func evidenceOf(p *model.Package, byPath map[string]*model.Package, keep func(q *model.Package, h *model.Hit) bool) kindEvidence {
	var e kindEvidence
	walkReach([]*model.Package{p}, byPath, func(q *model.Package) {
		for i := range q.Hits {
			h := &q.Hits[i]
			if h.MainOnly && q != p || keep != nil && !keep(q, h) {
				continue
			}
			if h.Aux != "" { // a health check, metrics, profiling or a local callback serves no users
				if e.aux == nil {
					e.aux, e.auxPkg = h, q
				}
				continue
			}
			if h.Kind == model.KindRoutes {
				if e.routes == nil {
					e.routes, e.routesPkg = h, q
				}
				continue
			}
			if e.best == nil || kindRank(h.Kind) > kindRank(e.best.Kind) {
				e.best, e.bestPkg = h, q
			}
		}
	})
	return e
}

// kindOf decides a program's kind from the calls it reaches; ev is the evidence so far, and
// keep, when set, says which calls count.
func kindOf(p *model.Package, byPath map[string]*model.Package, ev []string, keep func(q *model.Package, h *model.Hit) bool) (string, []string) {
	e := evidenceOf(p, byPath, keep)
	best, bestPkg, aux, auxPkg, routes, routesPkg := e.best, e.bestPkg, e.aux, e.auxPkg, e.routes, e.routesPkg
	if best != nil {
		return best.Kind, append(ev, fmt.Sprintf("%s%s:%d calls %s", via(p, bestPkg), best.File, best.Line, best.Call))
	}
	if routes != nil && aux == nil {
		// Handlers registered, and no server start in sight: a framework or library starts it.
		return model.KindService, append(ev, fmt.Sprintf("%s%s:%d registers handlers (%s); the server starts in a library", via(p, routesPkg), routes.File, routes.Line, routes.Call))
	}
	if aux != nil {
		// A program that reports its health or metrics runs for long, a daemon: a worker.
		kind := model.KindCLI
		if strings.Contains(aux.Aux, "health") || strings.Contains(aux.Aux, "metrics") {
			kind = model.KindWorker
		}
		return kind, append(ev, fmt.Sprintf("starts no server for users: %s%s:%d starts %s, which makes no service", via(p, auxPkg), aux.File, aux.Line, aux.Aux))
	}
	return model.KindCLI, append(ev, "starts no server, consumer or function handler")
}

// via says, for evidence found in q, how the program p reaches it ("" when q is p itself).
func via(p, q *model.Package) string {
	if q == p {
		return ""
	}
	return "imports " + q.Dir + ", where "
}

// walkReach visits the repository packages that roots reach through their non-test imports,
// each once, breadth-first: the roots, then level by level in directory order.
func walkReach(roots []*model.Package, byPath map[string]*model.Package, visit func(q *model.Package)) {
	seen := map[string]bool{}
	for _, q := range roots {
		seen[q.Path] = true
	}
	level := append([]*model.Package{}, roots...)
	for len(level) > 0 {
		var next []*model.Package
		for _, q := range level {
			visit(q)
			for _, imp := range q.Imports {
				if r := byPath[imp.Path]; r != nil && !seen[r.Path] && !imp.Test {
					seen[r.Path] = true
					next = append(next, r)
				}
			}
		}
		sort.Slice(next, func(i, j int) bool { return next[i].Dir < next[j].Dir })
		level = next
	}
}

func kindRank(k string) int {
	switch k {
	case model.KindFunction:
		return 3
	case model.KindService:
		return 2
	case model.KindWorker:
		return 1
	}
	return 0
}
