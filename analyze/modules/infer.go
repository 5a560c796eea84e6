package modules

import (
	"fmt"
	"path"
	"slices"
	"sort"
	"strings"

	"github.com/cleave-dev/cleave/analyze/model"
	"github.com/cleave-dev/cleave/rules"
)

// Containers are directories whose children are modules: internal/orders is module orders.
var Containers = map[string]bool{
	"internal": true, "pkg": true, "modules": true, "services": true,
	"apps": true, "app": true, "domain": true, "src": true,
	// Utility trees: each package below is a library of its own, not a part of one module.
	"util": true, "utils": true, "common": true, "helpers": true, "lib": true,
}

// publicNames are the sub-packages that form part of a module's public API by default.
var publicNames = map[string]bool{
	"api": true, "apis": true, "client": true, "contract": true, "contracts": true,
	"events": true, "public": true, "spi": true,
}

// InferBase returns the directory of the module that a package directory belongs to when
// there is no configuration, or "" when it belongs to none (the root package).
// The container rule applies from the top of the Go module; a Go module that itself lies
// in a container (services/orders/go.mod) is one module as a whole.
func InferBase(dir, modDir string) string {
	segs := model.Segments(dir)
	i0 := len(model.Segments(modDir))
	if strings.HasPrefix(modDir, "..") {
		i0 = 0
	}
	i0 = min(i0, len(segs))
	below := func(k int) string { // the first non-container segment from k on
		for k < len(segs) && Containers[segs[k]] {
			k++
		}
		if k < len(segs) {
			k++
		}
		return strings.Join(segs[:k], "/")
	}
	for j := 0; j < i0; j++ {
		if Containers[segs[j]] {
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

// ModuleSet is the logical modules of a repository while they are being built.
type ModuleSet struct {
	cfg    *rules.Config
	ByName map[string]*modInfo
}

type modInfo struct {
	name  string
	Bases []string // the directories the module was inferred from, or its configured paths
	// rootDirs are the composition-root directories (cmd/orders) that joined or formed the module.
	RootDirs []string
	Cfg      *rules.ModuleConfig
	Pkgs     []*model.Package
	Open     bool
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
	segs := model.Segments(dir)
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
		rs := model.Segments(r)
		if len(segs) > len(rs) {
			unit = segs[len(rs)]
		}
		return r, unit, true
	}
	return "", "", false
}

// AssignModules sets Package.Module and Package.Root for every package, as the model is built,
// and returns the modules. tools are the main packages that do not ship.
func AssignModules(pkgs []*model.Package, cfg *rules.Config, tools map[string]bool) (*ModuleSet, []*rules.PosError) {
	a := &assigner{ms: &ModuleSet{cfg: cfg, ByName: map[string]*modInfo{}}, baseOf: map[string]string{}, formed: map[string]*modInfo{}}
	a.declare()
	// First the packages outside composition roots: they define the modules.
	inferred := a.place(pkgs, tools)
	if a.ms.Inferred() {
		a.infer(inferred)
	}
	// Then the composition roots: each joins the module of its Go module, of its name, or forms one.
	for _, rp := range a.roots {
		a.join(rp)
	}
	a.nameFormed()
	a.settleOpen()
	if a.ms.Inferred() {
		a.wiring(pkgs)
	}
	return a.ms, a.errs
}

// assigner puts every package into its module.
type assigner struct {
	ms     *ModuleSet
	errs   []*rules.PosError
	roots  []rootPkg
	baseOf map[string]string   // inferred base dir -> module name
	formed map[string]*modInfo // modules formed by composition roots alone, by unit dir
}

// rootPkg is a package in a composition root: the root directory and the unit below it.
type rootPkg struct {
	p          *model.Package
	root, unit string
}

// declare creates the modules of the configuration.
func (a *assigner) declare() {
	if a.ms.Inferred() {
		return
	}
	for _, mc := range a.ms.cfg.Modules {
		m := &modInfo{name: mc.Name, Cfg: mc, roots: map[string]bool{}}
		for _, g := range mc.Paths {
			m.Bases = append(m.Bases, g.String())
		}
		a.ms.ByName[mc.Name] = m
	}
}

// place sets aside the composition roots, puts packages into configured modules, and returns
// the packages whose modules are to be inferred.
func (a *assigner) place(pkgs []*model.Package, tools map[string]bool) []*model.Package {
	var inferred []*model.Package
	for _, p := range pkgs {
		p.Root = p.IsMain() && tools[p.Dir] // a tool wires what it needs like a composition root; it ships nowhere
		if model.InToolDir(p.Dir) {
			continue // examples, generators and test harnesses are no part of any module
		}
		if r, unit, ok := rootDirOf(a.ms.cfg, p.Dir, p.ModDir); ok {
			a.roots = append(a.roots, rootPkg{p, r, unit})
			continue
		}
		if a.ms.Inferred() {
			inferred = append(inferred, p)
			continue
		}
		m, err := a.ms.configuredFor(p.Dir)
		if err != nil {
			a.errs = append(a.errs, err)
		}
		if m != nil {
			m.add(p)
		}
	}
	return inferred
}

// infer forms a module per inferred base directory, named uniquely.
func (a *assigner) infer(inferred []*model.Package) {
	var bases []string
	for _, p := range inferred {
		if b := InferBase(p.Dir, p.ModDir); b != "" {
			if _, ok := a.baseOf[b]; !ok {
				a.baseOf[b] = ""
				bases = append(bases, b)
			}
		}
	}
	names := UniqueNames(bases, func(s string) bool { return Containers[s] })
	for _, b := range bases {
		a.baseOf[b] = names[b]
		a.ms.ByName[names[b]] = &modInfo{name: names[b], Bases: []string{b}, roots: map[string]bool{b: true}}
	}
	for _, p := range inferred {
		if b := InferBase(p.Dir, p.ModDir); b != "" {
			a.ms.ByName[a.baseOf[b]].add(p)
		}
	}
}

// join puts a composition-root package into the module of its Go module, of its name, or one
// it forms.
func (a *assigner) join(rp rootPkg) {
	p := rp.p
	p.Root = p.IsMain()
	// Inferred, everything else in cmd/<name>/ wires that program too (cmd/server/app).
	p.Wiring = a.ms.Inferred() && !p.Root
	unitDir := rp.root
	if rp.unit != "" {
		unitDir = path.Join(rp.root, rp.unit)
	}
	name := rp.unit
	if name == "" {
		name = model.ModuleBaseName(p.GoModule)
	}
	var m *modInfo
	if !a.ms.Inferred() {
		if cm, err := a.ms.configuredFor(p.Dir); err != nil {
			a.errs = append(a.errs, err)
		} else if cm != nil {
			m = cm
		} else {
			m = a.ms.ByName[name]
		}
	} else if b := InferBase(p.ModDir, p.ModDir); b != "" && a.baseOf[b] != "" && hasContainer(p.ModDir) {
		m = a.ms.ByName[a.baseOf[b]]
	} else if m = a.ms.ByName[name]; m == nil {
		if m = a.formed[unitDir]; m == nil {
			m = &modInfo{name: name, roots: map[string]bool{unitDir: true}}
			a.formed[unitDir] = m
		}
	}
	if m == nil {
		return
	}
	if a.ms.Inferred() && !slices.Contains(m.RootDirs, unitDir) {
		m.RootDirs = append(m.RootDirs, unitDir)
	}
	m.add(p)
}

// nameFormed gives the formed modules unique names too (two Go modules may both have cmd/api).
func (a *assigner) nameFormed() {
	var fdirs []string
	for d := range a.formed {
		fdirs = append(fdirs, d)
	}
	sort.Strings(fdirs)
	fnames := UniqueNames(fdirs, func(s string) bool { return s == "cmd" || Containers[s] })
	for _, d := range fdirs {
		m := a.formed[d]
		name := m.name
		if _, clash := a.ms.ByName[name]; clash || fnames[d] != path.Base(d) {
			name = fnames[d]
		}
		for n := 2; a.ms.ByName[name] != nil; n++ {
			name = fmt.Sprintf("%s-%d", fnames[d], n)
		}
		m.name = name
		for _, p := range m.Pkgs {
			p.Module = name
		}
		a.ms.ByName[name] = m
	}
}

// settleOpen marks open the modules with no Go files in their roots, unless configured.
func (a *assigner) settleOpen() {
	for _, m := range a.ms.ByName {
		m.Open = true
		for _, p := range m.Pkgs {
			if m.roots[p.Dir] && p.HasGoFiles {
				m.Open = false
			}
		}
		if m.Cfg != nil && m.Cfg.Open != nil {
			m.Open = *m.Cfg.Open
		}
	}
}

func hasContainer(dir string) bool {
	for _, s := range model.Segments(dir) {
		if Containers[s] {
			return true
		}
	}
	return false
}

func (m *modInfo) add(p *model.Package) {
	p.Module = m.name
	m.Pkgs = append(m.Pkgs, p)
	if m.Cfg != nil {
		// The default public API of a configured module is reckoned from the directory its path matched.
		segs := model.Segments(p.Dir)
		for _, g := range m.Cfg.Paths {
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
func (ms *ModuleSet) configuredFor(dir string) (*modInfo, *rules.PosError) {
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
		return ms.ByName[found[0].Name], nil
	}
	return nil, &rules.PosError{Pos: found[1].Pos, Msg: fmt.Sprintf("modules %s and %s overlap: both claim %s", found[0].Name, found[1].Name, dir)}
}

// Public reports whether package p is part of the public API of its module.
func (ms *ModuleSet) Public(p *model.Package) bool {
	m := ms.ByName[p.Module]
	if m == nil || m.Open {
		return true
	}
	if m.Cfg != nil && m.Cfg.Public != nil {
		for _, g := range m.Cfg.Public {
			if g.Match(p.Dir) {
				return true
			}
		}
		return false
	}
	return ms.defaultPublic(p)
}

// configName makes a directory's name one .cleave.yaml accepts as a module name: a letter or
// digit first, then letters, digits, '.', '_' and '-' (others become '-').
func configName(seg string) string {
	b := []byte(seg)
	for i, c := range b {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-') {
			b[i] = '-'
		}
	}
	name := strings.TrimLeft(string(b), "._-")
	if name == "" {
		return "module"
	}
	return name
}

// UniqueNames names each directory by its last segment, adding parent segments (joined by '-',
// passing over those skip approves) where two directories would otherwise share a name.
func UniqueNames(dirs []string, skip func(string) bool) map[string]string {
	type state struct {
		segs []string
		next int // index of the next parent segment to add
		name string
	}
	st := map[string]*state{}
	for _, d := range dirs {
		segs := model.Segments(d)
		for i, seg := range segs {
			segs[i] = configName(seg)
		}
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
				} else if full := strings.Join(s.segs, "-"); s.name != full {
					s.name = full
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

// PublicDirs lists the public packages of a module, sorted.
func (ms *ModuleSet) PublicDirs(name string) []string {
	var out []string
	if mi := ms.ByName[name]; mi != nil {
		for _, p := range mi.Pkgs {
			if !p.Root && ms.Public(p) {
				out = append(out, p.Dir)
			}
		}
	}
	sort.Strings(out)
	return out
}

// List returns the modules as the result shows them, with their dependencies (the module
// graph, as SortedDeps gives it) and the packages that are public today.
func (ms *ModuleSet) List(deps []model.Dependency) []model.Module {
	out := []model.Module{}
	to := map[string][]string{}
	by := map[string][]string{}
	for _, d := range deps {
		to[d.From] = append(to[d.From], d.To)
		by[d.To] = append(by[d.To], d.From)
	}
	usage := UsageOf(deps)
	for name, mi := range ms.ByName {
		public := []string{}
		conventional := true
		for _, p := range mi.Pkgs {
			if p.Root {
				continue
			}
			pub := !ms.Private(p, usage)
			if pub {
				public = append(public, p.Dir)
			}
			conventional = conventional && pub == ms.Public(p)
		}
		sort.Strings(public)
		mod := model.Module{Name: name, Dirs: append(append([]string{}, mi.Bases...), mi.RootDirs...), Open: mi.Open, Packages: len(mi.Pkgs),
			Public: public, DependsOn: model.NonNil(to[name]), DependedOnBy: model.NonNil(by[name]), Conventional: conventional}
		mod.Paths = mi.Bases
		if len(mod.Paths) == 0 {
			mod.Paths = mi.RootDirs
		}
		sort.Strings(mod.Dirs)
		sort.Strings(mod.DependsOn)
		sort.Strings(mod.DependedOnBy)
		mod.FanIn, mod.FanOut = len(mod.DependedOnBy), len(mod.DependsOn)
		out = append(out, mod)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}
