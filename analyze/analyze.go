package analyze

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"sort"

	"golang.org/x/mod/modfile"

	"github.com/cleave-dev/cleave/rules"
)

// SchemaVersion is the version of the analysis JSON.
const SchemaVersion = 1

// Options says what to analyse and how.
type Options struct {
	// Dir is the directory to analyse.
	Dir string
	// Config is the parsed .cleave.yaml, or nil to infer everything.
	Config *rules.Config
	// Tests includes _test.go files.
	Tests bool
	// Version is cleave's version, written into the result.
	Version string
}

// LoadError says that the analysis could not run at all (exit code 3).
type LoadError struct{ Err error }

func (e *LoadError) Error() string { return e.Err.Error() }
func (e *LoadError) Unwrap() error { return e.Err }

// Run analyses the repository at opts.Dir. A *LoadError means nothing could be analysed;
// a rules.ErrorList means the configuration does not fit the code.
func Run(ctx context.Context, opts Options) (*Result, error) {
	root, err := filepath.Abs(opts.Dir)
	if err != nil {
		return nil, &LoadError{err}
	}
	if fi, err := os.Stat(root); err != nil || !fi.IsDir() {
		return nil, &LoadError{fmt.Errorf("%s: not a directory", opts.Dir)}
	}
	var exclude []rules.Glob
	if opts.Config != nil {
		exclude = opts.Config.Exclude
	}
	t, err := walk(root, exclude)
	if errors.Is(err, ErrNoModule) {
		return nil, &LoadError{fmt.Errorf("no Go module under %s (looked for go.mod files, and above it)", opts.Dir)}
	}
	if err != nil {
		return nil, &LoadError{err}
	}
	listedPkgs, warns := listPackages(ctx, t, opts.Tests)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	for d := range listedPkgs {
		if excluded(exclude, d) {
			delete(listedPkgs, d)
		}
	}
	if len(listedPkgs) == 0 {
		msg := "no Go packages could be loaded"
		if len(warns) > 0 {
			msg += ": " + warns[0].Subject + ": " + warns[0].Message
		}
		return nil, &LoadError{errors.New(msg)}
	}
	listFailed := map[string]bool{}
	for _, w := range warns {
		listFailed[w.Subject] = true
	}
	pkgs, readWarns := readPackages(root, listedPkgs, listFailed)
	warns = append(warns, readWarns...)

	res := &Result{
		SchemaVersion: SchemaVersion,
		Tool:          Tool{Name: "cleave", Version: opts.Version},
		Root:          root,
		Packages:      pkgs,
	}
	res.GoModules, warns = goModules(t, warns)
	mods, cfgErrs := assignModules(pkgs, opts.Config)
	if len(cfgErrs) > 0 {
		return nil, rules.ErrorList(cfgErrs)
	}
	var mains []*Package
	for _, p := range pkgs {
		if p.IsMain() {
			mains = append(mains, p)
		}
	}
	ships, mwarns := readManifests(root, t.manifests, mains)
	warns = append(warns, mwarns...)
	names := deployableNames(mains)
	services, cwarns := readCompose(root, t.compose) // read once: builds name deployables, environments resolve hosts
	warns = append(warns, cwarns...)
	decls, dwarns := readDeployManifests(root, t.deploy, services, mains, names)
	warns = append(warns, dwarns...)
	res.Deployables = findDeployables(pkgs, names, ships, decls)

	m := &model{res: res, cfg: opts.Config, mods: mods, byPath: map[string]*Package{}, byDir: map[string]*Package{}}
	for _, p := range pkgs {
		m.byPath[p.Path] = p
		m.byDir[p.Dir] = p
	}
	m.deps = buildGraph(pkgs, m.byPath)
	res.Dependencies = sortedDeps(m.deps)
	res.Modules = moduleList(m)
	if opts.Config != nil {
		warns = append(warns, unmatchedPaths(opts.Config, mods)...)
	}
	// The typed analysis runs only where it can find something: a database library, or calls
	// between two or more shipping deployables.
	var candidates []*Package
	db, calls := false, false
	for _, p := range pkgs {
		if inToolDir(p.Dir) {
			continue
		}
		candidates = append(candidates, p)
		db = db || p.importsAny(dbLibraries...)
		calls = calls || p.Outbound
	}
	shipping := 0
	for _, d := range res.Deployables {
		if d.Kind != KindTool {
			shipping++
		}
	}
	calls = calls && shipping >= 2
	var ta *typedAnalysis
	if db || calls {
		ta = newTypedAnalysis(root, res, candidates, func(p *Package) bool {
			return db && usesDatabase(p) || calls && p.Outbound
		})
	}
	sqlcPkgs, swarns := readSqlc(root, t.sqlc)
	warns = append(warns, swarns...)
	m.db = analyzeDatabases(root, res, services, ships, ta, sqlcPkgs)
	res.Calls = []Call{}
	if ta != nil && calls {
		consumes := map[string][]string{}
		aliases := map[string]string{}
		for _, d := range decls {
			for _, topic := range d.consumes {
				consumes[topic] = append(consumes[topic], names[d.dir])
			}
			if d.alias != "" {
				aliases[d.alias] = names[d.dir]
			}
		}
		res.Calls = buildCalls(ta, res, services, ships, consumes, aliases)
	}
	res.Practices = practices(root, t, res, decls, opts.Config)
	res.Findings = runDetectors(m, opts.Config)
	res.Architecture, res.Signals = architecture(res)
	res.Recommendation = rules.DefaultPack().Assess(res.CodeAnswers()).Recommendation
	res.Warnings = sortWarnings(warns)
	return res, nil
}

func runDetectors(m *model, cfg *rules.Config) []*rules.Finding {
	out := []*rules.Finding{}
	for _, d := range Detectors {
		sev, on := cfg.Severity(d.Rule)
		if !on {
			continue
		}
		explicit := cfg != nil && cfg.Rules[d.Rule].Severity != 0
		for _, f := range d.Run(m) {
			if explicit || f.Severity == 0 {
				f.Severity = sev // a detector may grade its findings (db/shared-table); the config has the last word
			}
			f.Normalize()
			out = append(out, f)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return rules.Less(out[i], out[j]) })
	return out
}

func goModules(t *tree, warns []Warning) ([]GoModule, []Warning) {
	var dirs []string
	if t.enclosing != "" {
		dirs = []string{relSlash(t.root, t.enclosing)}
	} else {
		dirs = t.modDirs
	}
	out := []GoModule{}
	for _, d := range dirs {
		file := path.Join(d, "go.mod")
		data, err := os.ReadFile(filepath.Join(t.root, filepath.FromSlash(file)))
		if err != nil {
			warns = append(warns, Warning{Subject: file, Message: err.Error()})
			continue
		}
		mp := modfile.ModulePath(data)
		if mp == "" {
			warns = append(warns, Warning{Subject: file, Message: "no module directive"})
		}
		out = append(out, GoModule{Path: mp, Dir: d})
	}
	return out, warns
}

func moduleList(m *model) []Module {
	out := []Module{}
	deps := map[string][]string{}
	by := map[string][]string{}
	for k := range m.deps {
		deps[k.from] = append(deps[k.from], k.to)
		by[k.to] = append(by[k.to], k.from)
	}
	for name, mi := range m.mods.byName {
		mod := Module{Name: name, Dirs: append(append([]string{}, mi.bases...), mi.rootDirs...), Open: mi.open, Packages: len(mi.pkgs),
			Public: []string{}, DependsOn: nonNil(deps[name]), DependedOnBy: nonNil(by[name])}
		mod.Paths = mi.bases
		if len(mod.Paths) == 0 {
			mod.Paths = mi.rootDirs
		}
		for _, p := range mi.pkgs {
			if !p.Root && m.mods.public(p) {
				mod.Public = append(mod.Public, p.Dir)
			}
		}
		sort.Strings(mod.Dirs)
		sort.Strings(mod.Public)
		sort.Strings(mod.DependsOn)
		sort.Strings(mod.DependedOnBy)
		mod.FanIn, mod.FanOut = len(mod.DependedOnBy), len(mod.DependsOn)
		out = append(out, mod)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// unmatchedPaths warns about configured module paths that match no package: often a typo.
func unmatchedPaths(cfg *rules.Config, ms *moduleSet) []Warning {
	var out []Warning
	for _, mc := range cfg.Modules {
		for _, g := range mc.Paths {
			found := false
			for _, p := range ms.byName[mc.Name].pkgs {
				if g.Contains(p.Dir) {
					found = true
					break
				}
			}
			if !found {
				out = append(out, Warning{Subject: cfg.File, Message: fmt.Sprintf("module %s: path %q matches no package", mc.Name, g)})
			}
		}
	}
	return out
}

func sortWarnings(ws []Warning) []Warning {
	sort.Slice(ws, func(i, j int) bool {
		if ws[i].Subject != ws[j].Subject {
			return ws[i].Subject < ws[j].Subject
		}
		return ws[i].Message < ws[j].Message
	})
	out := []Warning{}
	for i, w := range ws {
		if i == 0 || w != ws[i-1] {
			out = append(out, w)
		}
	}
	return out
}


// ModulePaths returns the module paths of the Go modules analysed.
func (r *Result) ModulePaths() []string {
	out := make([]string, 0, len(r.GoModules))
	for _, gm := range r.GoModules {
		out = append(out, gm.Path)
	}
	return out
}
