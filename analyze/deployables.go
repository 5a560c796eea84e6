package analyze

import (
	"fmt"
	"path"
	"regexp"
	"sort"
	"strings"
)

// toolDirs mark main packages that do not ship, wherever they appear in the path.
var toolDirs = map[string]bool{
	"examples": true, "example": true, "_examples": true, "hack": true, "tools": true,
	"scripts": true, "test": true, "tests": true, "e2e": true, "integration": true,
}

// deployableNames names every main package after its directory; a clash adds parent directories.
func deployableNames(mains []*Package) map[string]string {
	dirs := make([]string, len(mains))
	for i, p := range mains {
		dirs[i] = p.Dir
	}
	names := uniqueNames(dirs, func(s string) bool { return s == "cmd" || containers[s] })
	for _, p := range mains {
		if p.Dir == "." {
			names[p.Dir] = moduleBaseName(p.GoModule)
		}
	}
	return names
}

// findDeployables classifies every main package.
func findDeployables(pkgs []*Package, names map[string]string, ships *shipping, decls []declared) []Deployable {
	var mains []*Package
	for _, p := range pkgs {
		if p.IsMain() {
			mains = append(mains, p)
		}
	}
	for _, d := range decls {
		if d.dir != "" {
			ships.add(d.dir, d.by)
		}
	}
	byPath := map[string]*Package{}
	for _, p := range pkgs {
		byPath[p.Path] = p
	}
	out := make([]Deployable, 0, len(mains))
	for _, p := range mains {
		d := Deployable{Name: names[p.Dir], Package: p.Path, Dir: p.Dir, Module: p.Module}
		d.Kind, d.Evidence = classify(p, byPath, ships)
		for _, dc := range decls {
			if dc.dir == p.Dir && dc.function && d.Kind != KindFunction {
				d.Kind, d.Evidence = KindFunction, []string{dc.by} // the manifest says what the code does not
			}
		}
		if d.Kind == KindTool {
			p.Root = true // a tool wires what it needs like a composition root; it ships nowhere
		}
		out = append(out, d)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// classify decides a main package's kind: what its build manifests and its path say of
// shipping, then what the calls it reaches say of what it does.
func classify(p *Package, byPath map[string]*Package, ships *shipping) (string, []string) {
	named := ships.names(p.Dir)
	if !named {
		for _, s := range segments(p.Dir) {
			if toolDirs[s] {
				return KindTool, []string{fmt.Sprintf("lies under %s/, where examples, generators and test harnesses live", s)}
			}
		}
		if ships.known() {
			return KindTool, []string{"not built by the repository's build manifests (" + ships.describe() + ")"}
		}
	}
	var ev []string
	if named {
		ev = append(ev, ships.by(p.Dir))
	}
	// Breadth-first over the repository packages the program imports. The strongest kind
	// anywhere wins (a program that serves is a service even if it also consumes a queue);
	// its nearest call is the evidence.
	seen := map[string]bool{p.Path: true}
	level := []*Package{p}
	var best *Hit
	var bestPkg *Package
	for len(level) > 0 {
		for _, q := range level {
			for i := range q.Hits {
				h := &q.Hits[i]
				if h.MainOnly && q != p {
					continue
				}
				if best == nil || kindRank(h.Kind) > kindRank(best.Kind) {
					best, bestPkg = h, q
				}
			}
		}
		var next []*Package
		for _, q := range level {
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
	if best != nil {
		via := ""
		if bestPkg != p {
			via = "imports " + bestPkg.Dir + ", where "
		}
		return best.Kind, append(ev, fmt.Sprintf("%s%s:%d calls %s", via, best.File, best.Line, best.Call))
	}
	return KindCLI, append(ev, "starts no server, consumer or function handler")
}

func kindRank(k string) int {
	switch k {
	case KindFunction:
		return 3
	case KindService:
		return 2
	case KindWorker:
		return 1
	}
	return 0
}

var majorVersion = regexp.MustCompile(`^v[0-9]+$`)

// moduleBaseName names a program at the root of a Go module after the module path:
// github.com/x/tool is tool, miniflux.app/v2 is miniflux.
func moduleBaseName(modPath string) string {
	if modPath == "" {
		return "main"
	}
	base := path.Base(modPath)
	if majorVersion.MatchString(base) && path.Dir(modPath) != "." {
		base = path.Base(path.Dir(modPath))
	}
	if i := strings.IndexByte(base, '.'); i > 0 {
		base = base[:i]
	}
	return base
}
