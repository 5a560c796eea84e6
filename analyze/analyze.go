package analyze

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/cleave-dev/cleave/analyze/calls"
	"github.com/cleave-dev/cleave/analyze/data"
	"github.com/cleave-dev/cleave/analyze/deployables"
	"github.com/cleave-dev/cleave/analyze/detect"
	"github.com/cleave-dev/cleave/analyze/facts"
	"github.com/cleave-dev/cleave/analyze/load"
	"github.com/cleave-dev/cleave/analyze/manifests"
	"github.com/cleave-dev/cleave/analyze/model"
	"github.com/cleave-dev/cleave/analyze/modules"
	"github.com/cleave-dev/cleave/analyze/recognize"
	"github.com/cleave-dev/cleave/analyze/typed"
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
func Run(ctx context.Context, opts Options) (*model.Result, error) {
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
	t, err := load.Walk(root, exclude)
	if errors.Is(err, load.ErrNoModule) {
		return nil, &LoadError{fmt.Errorf("no Go module under %s (looked for go.mod files, and above it)", opts.Dir)}
	}
	if err != nil {
		return nil, &LoadError{err}
	}
	listedPkgs, warns := load.ListPackages(ctx, t, opts.Tests)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	for d := range listedPkgs {
		if load.Excluded(exclude, d) {
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
	pkgs, readWarns := load.ReadPackages(root, listedPkgs, listFailed)
	warns = append(warns, readWarns...)

	res := &model.Result{
		SchemaVersion: SchemaVersion,
		Tool:          model.Tool{Name: "cleave", Version: opts.Version},
		Root:          root,
		Packages:      pkgs,
	}
	res.GoModules, warns = load.GoModules(t, warns)
	mods, cfgErrs := modules.AssignModules(pkgs, opts.Config)
	if len(cfgErrs) > 0 {
		return nil, rules.ErrorList(cfgErrs)
	}
	var mains []*model.Package
	for _, p := range pkgs {
		if p.IsMain() {
			mains = append(mains, p)
		}
	}
	ships, mwarns := manifests.ReadManifests(root, t.Manifests, mains)
	warns = append(warns, mwarns...)
	names := deployables.DeployableNames(mains)
	services, cwarns := manifests.ReadCompose(root, t.Compose) // read once: builds name deployables, environments resolve hosts
	warns = append(warns, cwarns...)
	decls, dwarns := manifests.ReadDeployManifests(root, t.Deploy, services, mains, names)
	warns = append(warns, dwarns...)
	res.Deployables = deployables.FindDeployables(pkgs, names, ships, decls)

	m := &detect.Input{Res: res, Cfg: opts.Config, Mods: mods, ByPath: map[string]*model.Package{}, ByDir: map[string]*model.Package{}}
	for _, p := range pkgs {
		m.ByPath[p.Path] = p
		m.ByDir[p.Dir] = p
	}
	m.Deps = modules.BuildGraph(pkgs, m.ByPath)
	res.Dependencies = modules.SortedDeps(m.Deps)
	res.Modules = moduleList(m)
	if opts.Config != nil {
		warns = append(warns, modules.UnmatchedPaths(opts.Config, mods)...)
	}
	// The typed analysis runs only where it can find something: a database library, or calls
	// between two or more shipping deployables.
	var candidates []*model.Package
	db, outbound := false, false
	for _, p := range pkgs {
		if model.InToolDir(p.Dir) {
			continue
		}
		candidates = append(candidates, p)
		db = db || p.ImportsAny(recognize.DbLibraries...)
		outbound = outbound || p.Outbound
	}
	shipping := 0
	for _, d := range res.Deployables {
		if d.Kind != model.KindTool {
			shipping++
		}
	}
	outbound = outbound && shipping >= 2
	var ta *typed.TypedAnalysis
	if db || outbound {
		ta = typed.NewTypedAnalysis(root, res, candidates, func(p *model.Package) bool {
			return db && recognize.UsesDatabase(p) || outbound && p.Outbound
		})
	}
	sqlcPkgs, swarns := manifests.ReadSqlc(root, t.Sqlc)
	warns = append(warns, swarns...)
	m.Db = data.AnalyzeDatabases(root, res, services, ships, ta, sqlcPkgs)
	res.Calls = []model.Call{}
	if ta != nil && outbound {
		consumes := map[string][]string{}
		aliases := map[string]string{}
		for _, d := range decls {
			for _, topic := range d.Consumes {
				consumes[topic] = append(consumes[topic], names[d.Dir])
			}
			if d.Alias != "" {
				aliases[d.Alias] = names[d.Dir]
			}
		}
		res.Calls = calls.BuildCalls(ta, res, services, ships, consumes, aliases)
	}
	res.Practices = practices(root, t, res, decls, opts.Config)
	res.Findings = detect.RunDetectors(m, opts.Config)
	res.Architecture, res.Signals = facts.Architecture(res)
	res.Recommendation = rules.DefaultPack().Assess(res.CodeAnswers()).Recommendation
	res.Warnings = sortWarnings(warns)
	return res, nil
}

func moduleList(m *detect.Input) []model.Module {
	out := []model.Module{}
	deps := map[string][]string{}
	by := map[string][]string{}
	for k := range m.Deps {
		deps[k.From] = append(deps[k.From], k.To)
		by[k.To] = append(by[k.To], k.From)
	}
	for name, mi := range m.Mods.ByName {
		mod := model.Module{Name: name, Dirs: append(append([]string{}, mi.Bases...), mi.RootDirs...), Open: mi.Open, Packages: len(mi.Pkgs),
			Public: []string{}, DependsOn: model.NonNil(deps[name]), DependedOnBy: model.NonNil(by[name])}
		mod.Paths = mi.Bases
		if len(mod.Paths) == 0 {
			mod.Paths = mi.RootDirs
		}
		for _, p := range mi.Pkgs {
			if !p.Root && m.Mods.Public(p) {
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

func sortWarnings(ws []model.Warning) []model.Warning {
	sort.Slice(ws, func(i, j int) bool {
		if ws[i].Subject != ws[j].Subject {
			return ws[i].Subject < ws[j].Subject
		}
		return ws[i].Message < ws[j].Message
	})
	out := []model.Warning{}
	for i, w := range ws {
		if i == 0 || w != ws[i-1] {
			out = append(out, w)
		}
	}
	return out
}
