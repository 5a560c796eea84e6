package analyze

import (
	"fmt"
	"path"
	"slices"
	"sort"
	"strings"

	"github.com/cleave-dev/cleave/rules"
)

// containers are directories whose children are modules: internal/orders is module orders.
var containers = map[string]bool{
	"internal": true, "pkg": true, "modules": true, "services": true,
	"apps": true, "app": true, "domain": true, "src": true,
}

// publicNames are the sub-packages that form part of a module's public API by default.
var publicNames = map[string]bool{
	"api": true, "apis": true, "client": true, "contract": true, "contracts": true,
	"events": true, "public": true, "spi": true,
}

func segments(dir string) []string {
	if dir == "" || dir == "." {
		return nil
	}
	return strings.Split(dir, "/")
}

// inferBase returns the directory of the module that a package directory belongs to when
// there is no configuration, or "" when it belongs to none (the root package).
// The container rule applies from the top of the Go module; a Go module that itself lies
// in a container (services/orders/go.mod) is one module as a whole.
func inferBase(dir, modDir string) string {
	segs := segments(dir)
	i0 := len(segments(modDir))
	if strings.HasPrefix(modDir, "..") {
		i0 = 0
	}
	i0 = min(i0, len(segs))
	below := func(k int) string { // the first non-container segment from k on
		for k < len(segs) && containers[segs[k]] {
			k++
		}
		if k < len(segs) {
			k++
		}
		return strings.Join(segs[:k], "/")
	}
	for j := 0; j < i0; j++ {
		if containers[segs[j]] {
			return below(j)
		}
	}
	if i0 == len(segs) {
		if i0 == 0 {
			return ""
		}
		return strings.Join(segs, "/")
	}
	return below(i0)
}

// moduleSet is the logical modules of a repository while they are being built.
type moduleSet struct {
	cfg    *rules.Config
	byName map[string]*modInfo
}

type modInfo struct {
	name  string
	bases []string // the directories the module was inferred from, or its configured paths
	// rootDirs are the composition-root directories (cmd/orders) that joined or formed the module.
	rootDirs []string
	cfg      *rules.ModuleConfig
	pkgs     []*Package
	open     bool
	// roots are the directories from which the default public API is reckoned.
	roots map[string]bool
}

// rootDirOf reports whether dir lies in a composition root, and which: the root directory
// (cmd of its Go module, or a configured pattern) and the unit, the first segment below it.
func rootDirOf(cfg *rules.Config, dir, modDir string) (root, unit string, ok bool) {
	patterns := rules.DefaultCompositionRoots
	if cfg != nil && cfg.CompositionRoots != nil {
		patterns = cfg.CompositionRoots
	}
	segs := segments(dir)
	for _, p := range patterns {
		var r string
		if !strings.Contains(p, "/") {
			if strings.HasPrefix(modDir, "..") {
				r = p
			} else {
				r = path.Join(modDir, p)
			}
			if r != dir && !strings.HasPrefix(dir, r+"/") {
				continue
			}
		} else {
			g, err := rules.ParseGlob(p)
			if err != nil || !g.Contains(dir) {
				continue
			}
			for i := 1; i <= len(segs); i++ {
				if g.Match(strings.Join(segs[:i], "/")) {
					r = strings.Join(segs[:i], "/")
					break
				}
			}
		}
		rs := segments(r)
		if len(segs) > len(rs) {
			unit = segs[len(rs)]
		}
		return r, unit, true
	}
	return "", "", false
}

// assignModules sets Package.Module and Package.Root for every package and returns the modules.
func assignModules(pkgs []*Package, cfg *rules.Config) (*moduleSet, []*rules.PosError) {
	ms := &moduleSet{cfg: cfg, byName: map[string]*modInfo{}}
	configured := cfg != nil && len(cfg.Modules) > 0
	var errs []*rules.PosError
	if configured {
		for _, mc := range cfg.Modules {
			m := &modInfo{name: mc.Name, cfg: mc, roots: map[string]bool{}}
			for _, g := range mc.Paths {
				m.bases = append(m.bases, g.String())
			}
			ms.byName[mc.Name] = m
		}
	}

	// First the packages outside composition roots: they define the modules.
	type rootPkg struct {
		p          *Package
		root, unit string
	}
	var rootPkgs []rootPkg
	baseOf := map[string]string{} // inferred base dir -> module name, filled below
	var inferred []*Package
	for _, p := range pkgs {
		if inToolDir(p.Dir) {
			continue // examples, generators and test harnesses are no part of any module
		}
		if r, unit, ok := rootDirOf(cfg, p.Dir, p.ModDir); ok {
			rootPkgs = append(rootPkgs, rootPkg{p, r, unit})
			continue
		}
		if configured {
			m, err := ms.configuredFor(p.Dir)
			if err != nil {
				errs = append(errs, err)
			}
			if m != nil {
				m.add(p)
			}
			continue
		}
		inferred = append(inferred, p)
	}
	if !configured {
		var bases []string
		for _, p := range inferred {
			if b := inferBase(p.Dir, p.ModDir); b != "" {
				if _, ok := baseOf[b]; !ok {
					baseOf[b] = ""
					bases = append(bases, b)
				}
			}
		}
		names := uniqueNames(bases, func(s string) bool { return containers[s] })
		for _, b := range bases {
			baseOf[b] = names[b]
			ms.byName[names[b]] = &modInfo{name: names[b], bases: []string{b}, roots: map[string]bool{b: true}}
		}
		for _, p := range inferred {
			if b := inferBase(p.Dir, p.ModDir); b != "" {
				ms.byName[baseOf[b]].add(p)
			}
		}
	}

	// Then the composition roots: each joins the module of its Go module, of its name, or forms one.
	formed := map[string]*modInfo{}
	for _, rp := range rootPkgs {
		p := rp.p
		p.Root = p.IsMain()
		unitDir := rp.root
		if rp.unit != "" {
			unitDir = path.Join(rp.root, rp.unit)
		}
		name := rp.unit
		if name == "" {
			name = moduleBaseName(p.GoModule)
		}
		var m *modInfo
		if configured {
			if cm, err := ms.configuredFor(p.Dir); err != nil {
				errs = append(errs, err)
			} else if cm != nil {
				m = cm
			} else {
				m = ms.byName[name]
			}
		} else if b := inferBase(p.ModDir, p.ModDir); b != "" && baseOf[b] != "" && hasContainer(p.ModDir) {
			m = ms.byName[baseOf[b]]
		} else if m = ms.byName[name]; m == nil {
			if m = formed[unitDir]; m == nil {
				m = &modInfo{name: name, roots: map[string]bool{unitDir: true}}
				formed[unitDir] = m
			}
		}
		if m == nil {
			continue
		}
		if !configured && !slices.Contains(m.rootDirs, unitDir) {
			m.rootDirs = append(m.rootDirs, unitDir)
		}
		m.add(p)
	}
	// Formed modules get unique names too (two Go modules may both have cmd/api).
	var fdirs []string
	for d := range formed {
		fdirs = append(fdirs, d)
	}
	sort.Strings(fdirs)
	fnames := uniqueNames(fdirs, func(s string) bool { return s == "cmd" || containers[s] })
	for _, d := range fdirs {
		m := formed[d]
		name := m.name
		if _, clash := ms.byName[name]; clash || fnames[d] != path.Base(d) {
			name = fnames[d]
		}
		for n := 2; ms.byName[name] != nil; n++ {
			name = fmt.Sprintf("%s-%d", fnames[d], n)
		}
		m.name = name
		for _, p := range m.pkgs {
			p.Module = name
		}
		ms.byName[name] = m
	}

	for _, m := range ms.byName {
		m.open = true
		for _, p := range m.pkgs {
			if m.roots[p.Dir] && p.HasGoFiles {
				m.open = false
			}
		}
		if m.cfg != nil && m.cfg.Open != nil {
			m.open = *m.cfg.Open
		}
	}
	return ms, errs
}

// inToolDir reports whether a directory lies under examples/, tools/, hack/, test/, … anywhere.
func inToolDir(dir string) bool {
	for _, s := range segments(dir) {
		if toolDirs[s] {
			return true
		}
	}
	return false
}

func hasContainer(dir string) bool {
	for _, s := range segments(dir) {
		if containers[s] {
			return true
		}
	}
	return false
}

func (m *modInfo) add(p *Package) {
	p.Module = m.name
	m.pkgs = append(m.pkgs, p)
	if m.cfg != nil {
		// The default public API of a configured module is reckoned from the directory its path matched.
		segs := segments(p.Dir)
		for _, g := range m.cfg.Paths {
			for i := 0; i <= len(segs); i++ {
				if d := strings.Join(segs[:i], "/"); g.Match(d) {
					if d == "" {
						d = "."
					}
					m.roots[d] = true
					break
				}
			}
		}
	}
}

// configuredFor returns the configured module whose paths contain dir; two are an error.
func (ms *moduleSet) configuredFor(dir string) (*modInfo, *rules.PosError) {
	var found []*rules.ModuleConfig
	for _, mc := range ms.cfg.Modules {
		for _, g := range mc.Paths {
			if g.Contains(dir) {
				found = append(found, mc)
				break
			}
		}
	}
	switch len(found) {
	case 0:
		return nil, nil
	case 1:
		return ms.byName[found[0].Name], nil
	}
	return nil, &rules.PosError{Pos: found[1].Pos, Msg: fmt.Sprintf("modules %s and %s overlap: both claim %s", found[0].Name, found[1].Name, dir)}
}

// public reports whether package p is part of the public API of its module.
func (ms *moduleSet) public(p *Package) bool {
	m := ms.byName[p.Module]
	if m == nil || m.open {
		return true
	}
	if m.cfg != nil && m.cfg.Public != nil {
		for _, g := range m.cfg.Public {
			if g.Match(p.Dir) {
				return true
			}
		}
		return false
	}
	for r := range m.roots {
		if p.Dir == r {
			return true
		}
		if rest, ok := strings.CutPrefix(p.Dir, r+"/"); ok || r == "." {
			if r == "." {
				rest = p.Dir
			}
			if publicNames[strings.SplitN(rest, "/", 2)[0]] {
				return true
			}
		}
	}
	return false
}

// uniqueNames names each directory by its last segment, adding parent segments (joined by '-',
// passing over those skip approves) where two directories would otherwise share a name.
func uniqueNames(dirs []string, skip func(string) bool) map[string]string {
	type state struct {
		segs []string
		next int // index of the next parent segment to add
		name string
	}
	st := map[string]*state{}
	for _, d := range dirs {
		segs := segments(d)
		s := &state{segs: segs, next: len(segs) - 2, name: d}
		if len(segs) > 0 {
			s.name = segs[len(segs)-1]
		}
		st[d] = s
	}
	for round := 0; round < 64; round++ {
		groups := map[string][]string{}
		for _, d := range dirs {
			groups[st[d].name] = append(groups[st[d].name], d)
		}
		changed := false
		for _, g := range groups {
			if len(g) < 2 {
				continue
			}
			for _, d := range g {
				s := st[d]
				for s.next >= 0 && skip(s.segs[s.next]) {
					s.next--
				}
				if s.next >= 0 {
					s.name = s.segs[s.next] + "-" + s.name
					s.next--
					changed = true
				} else if s.name != strings.ReplaceAll(d, "/", "-") {
					s.name = strings.ReplaceAll(d, "/", "-")
					changed = true
				}
			}
		}
		if !changed {
			break
		}
	}
	out := map[string]string{}
	for _, d := range dirs {
		out[d] = st[d].name
	}
	return out
}
