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

// findDeployables names and classifies every main package.
func findDeployables(pkgs []*Package, ships *shipping) []Deployable {
	var mains []*Package
	for _, p := range pkgs {
		if p.IsMain() {
			mains = append(mains, p)
		}
	}
	dirs := make([]string, len(mains))
	for i, p := range mains {
		dirs[i] = p.Dir
	}
	names := uniqueNames(dirs, func(s string) bool { return s == "cmd" || containers[s] })
	byPath := map[string]*Package{}
	for _, p := range pkgs {
		byPath[p.Path] = p
	}
	out := make([]Deployable, 0, len(mains))
	for _, p := range mains {
		name := names[p.Dir]
		if p.Dir == "." {
			name = moduleBaseName(p.GoModule)
		}
		d := Deployable{Name: name, Package: p.Path, Dir: p.Dir, Module: p.Module}
		d.Kind, d.Evidence = classify(p, byPath, ships)
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
		ev = append(ev, "built by "+ships.by(p.Dir))
	}
	// Breadth-first over the repository packages the program imports: the nearest call wins.
	seen := map[string]bool{p.Path: true}
	level := []*Package{p}
	for len(level) > 0 {
		var best *Hit
		var bestPkg *Package
		for _, q := range level {
			for i := range q.Hits {
				h := &q.Hits[i]
				if best == nil || kindRank(h.Kind) > kindRank(best.Kind) {
					best, bestPkg = h, q
				}
			}
		}
		if best != nil {
			via := ""
			if bestPkg != p {
				via = "imports " + bestPkg.Dir + ", where "
			}
			return best.Kind, append(ev, fmt.Sprintf("%s%s:%d calls %s", via, best.File, best.Line, best.Call))
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
	return KindCLI, append(ev, "starts no server and no function handler")
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
