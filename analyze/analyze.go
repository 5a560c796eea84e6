package analyze

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
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
	// Progress, when set, is told of each stage as it starts ("listing packages"); a
	// terminal shows it while a large repository loads.
	Progress func(stage string)
	// CacheDir is where the listing of packages is cached (see load.ListCache); "" caches
	// nothing.
	CacheDir string
	// Open keeps what the calls leave unmatched (model.Result.Open): the repository is one of
	// a system, whose other repositories may answer them. Calls are then read even where one
	// deployable ships.
	Open bool
}

// stage tells the progress hook that a stage starts.
func (r *run) stage(s string) {
	if r.opts.Progress != nil {
		r.opts.Progress(s)
	}
}

// CacheDir is where cleave caches package listings, given the value of CLEAVE_CACHE_DIR:
// that directory, else cleave/ in the user cache directory; "" (no cache) for "off".
func CacheDir(env string) string { return load.CacheDir(env) }

// CacheStatus counts the files of the cache in dir and their bytes.
func CacheStatus(dir string) (entries int, bytes int64, err error) { return load.CacheStatus(dir) }

// CacheCounts counts the entries of the cache in dir by kind: package listings ("list") and
// typed facts ("facts"), with their bytes.
func CacheCounts(dir string) (byKind map[string]int, bytes int64, err error) {
	return load.CacheCounts(dir)
}

// CleanCache removes every entry of the cache in dir.
func CleanCache(dir string) error { return load.CleanCache(dir) }

// ErrNoModule is what a LoadError wraps when there is no Go module to analyse.
var ErrNoModule = load.ErrNoModule

// noModule says there is no Go module under the directory, and is ErrNoModule.
type noModule struct{ msg string }

func (e noModule) Error() string { return e.msg }
func (e noModule) Unwrap() error { return load.ErrNoModule }

// LoadError says that the analysis could not run at all (exit code 3).
type LoadError struct{ Err error }

func (e *LoadError) Error() string { return e.Err.Error() }

func (e *LoadError) Unwrap() error { return e.Err }

// Run analyses the repository at opts.Dir: evidence (the packages, their imports, the
// manifests), then the model (modules, deployables, tables, calls), then the facts, then the
// findings, graded by the configuration. It makes no decision: the command that renders the
// result does, with the rule pack in use. A *LoadError means nothing could be analysed; a
// rules.ErrorList means the configuration does not fit the code.
func Run(ctx context.Context, opts Options) (*model.Result, error) {
	res, _, err := runRepo(ctx, opts)
	return res, err
}

// runRepo is Run, with the facts the findings came from.
func runRepo(ctx context.Context, opts Options) (*model.Result, *facts.Facts, error) {
	r := &run{opts: opts}
	ev, err := r.evidence(ctx)
	if err != nil {
		return nil, nil, err
	}
	defer ev.pre.Close() // the scans are saved while the findings are made
	res, ms, deps, err := r.structure(ev)
	if err != nil {
		return nil, nil, err
	}
	r.stage("reading database access and calls")
	db := r.dataAndCalls(ev, res)
	r.stage("checking")
	byDir := map[string]*model.Package{}
	for _, p := range res.Packages {
		byDir[p.Dir] = p
	}
	stacks := map[string]string{}
	for _, d := range ev.decls {
		if d.Stack != "" && d.Dir != "" {
			stacks[ev.names[d.Dir]] = d.Stack
		}
	}
	fs := facts.Build(facts.Input{Result: res, Mods: ms, Deps: deps, ByDir: byDir, DB: db, Config: r.opts.Config, Stacks: stacks})
	res.Practices = practices(ev.root, ev.tree, res, ev.decls, opts.Config)
	res.Readiness = facts.Readiness(res, fs)
	res.CycleCut = fs.CycleCut()
	res.Findings = detect.Run(&detect.Input{Facts: fs, Result: res, Config: opts.Config, PublicDirs: ms.PublicDirs})
	res.Signals = facts.Signals(res, fs)
	res.Architecture = facts.Architecture(res, res.Signals, fs)
	res.Warnings = sortWarnings(r.warns)
	return res, fs, nil
}

// run holds one analysis's options and the warnings its stages gather.
type run struct {
	opts  Options
	warns []model.Warning
}

func (r *run) warn(ws ...model.Warning) { r.warns = append(r.warns, ws...) }

// evidence is what the repository holds before any model is built.
type evidence struct {
	root     string
	tree     *load.Tree
	pkgs     []*model.Package
	byPath   map[string]*model.Package // pkgs by import path
	mains    []*model.Package
	ships    *manifests.Shipping
	services []manifests.ComposeService
	decls    []manifests.Declared
	names    map[string]string // main package dir -> deployable name
	// pre holds the files read and parsed while the packages were listed, until the typed
	// pass takes them.
	pre *typed.Prefetch
	// cached is set when the package listing came from the cache.
	cached bool
}

// evidence walks the directory, lists and reads the packages, and reads the manifests.
func (r *run) evidence(ctx context.Context) (*evidence, error) {
	root, err := filepath.Abs(r.opts.Dir)
	if err != nil {
		return nil, &LoadError{err}
	}
	switch fi, err := os.Stat(root); {
	case err != nil:
		return nil, &LoadError{fmt.Errorf("%s: no such directory", r.opts.Dir)}
	case !fi.IsDir():
		return nil, &LoadError{fmt.Errorf("%s is a file: cleave analyses a directory holding Go modules", r.opts.Dir)}
	}
	// A repository reached through a link (a CI workspace, macOS's /tmp) is analysed where it
	// lies: the walk does not follow links, and the go command reports real paths.
	if real, err := filepath.EvalSymlinks(root); err == nil {
		root = real
	}
	var exclude []rules.Glob
	if r.opts.Config != nil {
		exclude = r.opts.Config.Exclude
	}
	r.stage("walking the tree")
	t, err := load.Walk(root, exclude)
	if errors.Is(err, load.ErrNoModule) {
		return nil, &LoadError{noModule{fmt.Sprintf("no Go module under %s (looked for go.mod files, and above it)", r.opts.Dir)}}
	}
	if err != nil {
		return nil, &LoadError{err}
	}
	r.warn(t.Warnings...)
	if _, err := exec.LookPath("go"); err != nil {
		return nil, &LoadError{errors.New("the go command is not on PATH: cleave lists packages with it (install Go from https://go.dev/dl, or add its bin directory to PATH)")}
	}
	// While the go command lists the packages, the files are read, and parsed where the
	// typed pass will want them.
	var store typed.ScanStore
	if r.opts.CacheDir != "" {
		store = load.ScanCache{Dir: r.opts.CacheDir, Root: root}
	}
	pre := typed.StartPrefetch(ctx, root, t.GoFiles, r.opts.Tests, r.opts.CacheDir != "", store, recognize.Library, load.Summarize)
	r.stage(fmt.Sprintf("listing the packages of %s", model.Plural(max(1, len(t.ModDirs)), "Go module")))
	listed, warns, cached := load.ListCache{Dir: r.opts.CacheDir, Listing: pre.Parse}.List(ctx, t, r.opts.Tests, pre)
	if cached {
		r.stage("the package listing is the cached one: no file changed above its imports")
	}
	if err := ctx.Err(); err != nil {
		pre.Close()
		return nil, err
	}
	r.warn(warns...)
	for d := range listed {
		if load.Excluded(exclude, d) {
			delete(listed, d)
		}
	}
	if len(listed) == 0 {
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
	ev := &evidence{root: root, tree: t, pre: pre, cached: cached}
	var readWarns []model.Warning
	ev.pkgs, readWarns = load.ReadPackages(root, listed, listFailed, pre)
	r.warn(readWarns...)
	ev.byPath = map[string]*model.Package{}
	for _, p := range ev.pkgs {
		ev.byPath[p.Path] = p
		if p.IsMain() {
			ev.mains = append(ev.mains, p)
		}
	}
	ev.ships, warns = manifests.ReadManifests(root, t.Manifests, ev.mains)
	r.warn(warns...)
	ev.names = deployables.DeployableNames(ev.mains)
	ev.services, warns = manifests.ReadCompose(root, t.Compose) // read once: builds name deployables, environments resolve hosts
	r.warn(warns...)
	ev.decls, warns = manifests.ReadDeployManifests(root, t.Deploy, ev.services, ev.mains, ev.names)
	r.warn(warns...)
	for _, d := range ev.decls { // what the deployment manifests run ships too
		if d.Dir != "" {
			ev.ships.Add(d.Dir, d.By)
		}
	}
	return ev, nil
}

// structure builds the modules, the deployables and the module graph.
func (r *run) structure(ev *evidence) (*model.Result, *modules.ModuleSet, map[modules.DepKey]*model.Dependency, error) {
	res := &model.Result{
		SchemaVersion: SchemaVersion,
		Tool:          model.Tool{Name: "cleave", Version: r.opts.Version},
		Root:          ev.root,
		ListingCached: ev.cached,
		Packages:      ev.pkgs,
	}
	var warns []model.Warning
	res.GoModules, warns = load.GoModules(ev.tree)
	r.warn(warns...)
	found := deployables.FindDeployables(ev.root, ev.pkgs, ev.names, ev.ships, ev.decls)
	ms, cfgErrs := modules.AssignModules(ev.pkgs, r.opts.Config, deployables.Tools(found))
	if len(cfgErrs) > 0 {
		return nil, nil, nil, rules.ErrorList(cfgErrs)
	}
	res.Deployables = deployables.WithModules(found, ev.pkgs)
	deps := modules.BuildGraph(ev.pkgs, ev.byPath)
	res.Dependencies = modules.SortedDeps(deps)
	res.Modules = ms.List(res.Dependencies)
	if r.opts.Config != nil {
		r.warn(modules.UnmatchedPaths(r.opts.Config, ms)...)
	}
	return res, ms, deps, nil
}

// dataAndCalls fills the tables, connections and calls: the typed analysis runs only where it
// can find something, a database library or calls between two or more shipping deployables.
func (r *run) dataAndCalls(ev *evidence, res *model.Result) *data.DbModel {
	var candidates []*model.Package
	db, outbound := false, false
	// What ships, wherever it lies: a release may build cmd/tools/sql, and with it the
	// packages of tools/sql it imports.
	ships := map[string]bool{}
	var queue []string
	for _, d := range res.Deployables {
		if d.Kind != model.KindTool && !ships[d.Package] {
			ships[d.Package] = true
			queue = append(queue, d.Package)
		}
	}
	for len(queue) > 0 {
		p := ev.byPath[queue[0]]
		queue = queue[1:]
		if p == nil {
			continue
		}
		for _, imp := range p.Imports {
			if q := ev.byPath[imp.Path]; q != nil && !imp.Test && !ships[q.Path] && model.InToolDir(q.Dir) {
				ships[q.Path] = true
				queue = append(queue, q.Path)
			}
		}
	}
	for _, p := range ev.pkgs {
		if model.InToolDir(p.Dir) && !ships[p.Path] {
			continue
		}
		candidates = append(candidates, p)
		db = db || p.ImportsAny(recognize.DbLibraries...)
		outbound = outbound || p.Outbound
	}
	shipping := 0 // the units that run as processes of their own: deployables, or their components
	for _, d := range res.Deployables {
		if d.Kind != model.KindTool {
			shipping += max(1, len(d.Components))
		}
	}
	outbound = outbound && (shipping >= 2 || r.opts.Open && shipping >= 1)
	sqlcPkgs, warns := manifests.ReadSqlc(ev.root, ev.tree.Sqlc)
	r.warn(warns...)
	var key string
	if db || outbound {
		key = r.factsKey(ev, res, sqlcPkgs)
		if f, ok := r.cachedFacts(key, ev); ok {
			ev.pre.Wait() // nothing is parsed in full
			r.stage("the typed facts are the cached ones: what the typed pass reads is unchanged")
			return f.apply(res)
		}
	}
	var ta *typed.TypedAnalysis
	if db || outbound {
		// The packages whose calls gave a program its kind through its imports: read in full,
		// so that the call graph can say whether the program reaches those calls.
		vias := map[string]kindVia{}
		via := map[*model.Package]bool{}
		for _, d := range res.Deployables {
			if q, h, ok := deployables.KindVia(ev.byPath[d.Package], ev.byPath); ok && h.Kind == d.Kind {
				vias[d.Name] = kindVia{q, h}
				via[q] = true
			}
		}
		ta = typed.NewTypedAnalysis(ev.root, res, candidates, func(p *model.Package) bool {
			return db && recognize.UsesDatabase(p) || outbound && p.Outbound || p.ImportsAny(recognize.ConfigLibraries...) || via[p]
		}, recognize.Library, ev.pre)
		ta.Tr.Values = recognize.Values()
		ta.Tr.Fields = recognize.Fields()
		reachedKinds(ta, res, ev.byPath, vias, ev.ships)
		// A program that ships from a tools directory (an admin tool the release builds) is read
		// for its kind only: its table accesses and calls are not attributed to it, as the call
		// graph through a large shared persistence layer overreaches from such tools.
		tools := map[string]bool{}
		for _, d := range res.Deployables {
			if model.InToolDir(d.Dir) || d.Kind == model.KindTool { // a tool by its reach, too
				tools[d.Name] = true
			}
		}
		ta.Forget(tools)
		markVariants(ta, res)
	}
	ev.pre.Wait() // and what the typed pass did not take is dropped
	var dm *data.DbModel
	res.Tables, res.Connections, dm = data.AnalyzeDatabases(ev.root, res, ev.services, ev.ships, ta, sqlcPkgs, ev.tree.SQLFiles)
	consumes := map[string][]string{}
	aliases := map[string]string{}
	env := map[string]map[string]string{}
	for _, d := range ev.decls {
		for _, topic := range d.Consumes {
			consumes[topic] = append(consumes[topic], ev.names[d.Dir])
		}
		if d.Alias != "" && d.External == "" {
			aliases[d.Alias] = ev.names[d.Dir]
		}
		if d.Dir != "" && len(d.Env) > 0 {
			env[ev.names[d.Dir]] = d.Env
		}
	}
	res.Tables = data.ResolveEnvTables(res.Tables, env)
	res.ExternalServices = externalServices(ev.decls, res.Deployables)
	res.Calls = []model.Call{}
	var compCalls map[string]map[string][]model.ComponentCall
	if ta != nil && outbound {
		res.Calls, compCalls, res.Open = calls.BuildCalls(ta, res, ev.services, ev.ships, consumes, aliases, res.ExternalServices, r.opts.Open)
	}
	res.Calls = calls.Streams(res.Calls, res.Tables, consumes)
	withComponentParts(res, compCalls)
	if ta != nil {
		r.storeFacts(key, ev, res, dm, ta.Tr.Whole, ta.Tr.ConfigFiles())
	}
	return dm
}

// markVariants makes each shipping deployable that packages another's program again (see
// typed.Variants) a bundle of that one: what the two share is no coupling, and the packaging
// counts for nothing in the architecture.
func markVariants(ta *typed.TypedAnalysis, res *model.Result) {
	vs := ta.Variants(res.Deployables)
	for i := range res.Deployables {
		d := &res.Deployables[i]
		if v, ok := vs[d.Name]; ok {
			d.Bundles = []string{v.Of}
			d.Evidence = append(d.Evidence, fmt.Sprintf("runs the program of %s: %s reaches %d of the %d repository functions this one reaches outside its own directory; another packaging of it, a bundle", v.Of, v.Of, v.Shared, v.Total))
		}
	}
}

// withComponentParts gives each component of a multi-role binary its calls to the other
// components (by deployable, then component) and the tables its code reads or writes,
// migrations aside.
func withComponentParts(res *model.Result, compCalls map[string]map[string][]model.ComponentCall) {
	byComp := map[string][]string{}
	for _, t := range res.Tables {
		for _, a := range t.Accesses {
			for _, c := range a.Components {
				if !a.Migration && !slices.Contains(byComp[c], t.Name) {
					byComp[c] = append(byComp[c], t.Name)
				}
			}
		}
	}
	if len(byComp) == 0 && len(compCalls) == 0 {
		return
	}
	for i, d := range res.Deployables {
		comps := slices.Clone(d.Components)
		for j := range comps {
			comps[j].Calls = compCalls[d.Name][comps[j].Name]
			comps[j].Tables = byComp[d.Name+"/"+comps[j].Name]
			sort.Strings(comps[j].Tables)
		}
		res.Deployables[i].Components = comps
	}
}

// externalServices gathers the services the manifests deploy that no Go main package here
// builds, with the host names that reach them; a name a deployable answers to is not one.
func externalServices(decls []manifests.Declared, deps []model.Deployable) []model.ExternalService {
	taken := map[string]bool{}
	for _, d := range deps {
		taken[manifests.NormName(d.Name)] = true
	}
	var set model.ExternalSet
	for _, d := range decls {
		if d.External != "" && !taken[manifests.NormName(d.External)] {
			set.Add(d.External, d.Alias, d.By)
		}
	}
	out := set.List()
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

// kindVia is where a program's kind came from: a call in a package it imports.
type kindVia struct {
	pkg *model.Package
	hit *model.Hit
}

// reachedKinds decides again, with the call graph, the kind of a program that got it from a
// call in a package it imports: a CLI that imports the server's package for its types, and
// never starts it, is no service. A call counts when the program reaches it, or when the graph
// cannot tell; only a call the graph knows unreached is set aside, and the evidence says so.
// vias holds, by deployable, the package and call its kind came from (deployables.KindVia).
func reachedKinds(ta *typed.TypedAnalysis, res *model.Result, byPath map[string]*model.Package, vias map[string]kindVia, ships *manifests.Shipping) {
	var mains []*model.Package
	for _, d := range res.Deployables {
		if p := byPath[d.Package]; p != nil {
			mains = append(mains, p)
		}
	}
	programs := deployables.ProgramDirs(mains)
	for i := range res.Deployables {
		d := &res.Deployables[i]
		v, ok := vias[d.Name]
		if !ok {
			continue
		}
		p, q, h := byPath[d.Package], v.pkg, v.hit
		if reached, known := ta.Reached(d.Name, q.Path, h.File, h.Line); reached || !known {
			continue
		}
		kind, ev := deployables.KindReached(p, byPath, func(pkg *model.Package, hit *model.Hit) bool {
			if pkg == p {
				return true
			}
			// Handlers registered where the graph cannot tell are no server of this program
			// once the server start it was taken to reach is known to be out of its reach:
			// they are that server's routes.
			reached, known := ta.Reached(d.Name, pkg.Path, hit.File, hit.Line)
			return reached || !known && hit.Kind != model.KindRoutes
		})
		if kind == d.Kind {
			continue
		}
		refuted := fmt.Sprintf("imports %s, whose %s:%d calls %s, but no call path from its main reaches that", q.Dir, h.File, h.Line, h.Call)
		if kind == model.KindCLI && ships.Known() && !ships.Names(d.Dir) {
			// What outweighed its absence from the manifests is gone: a developers' tool.
			d.Kind, d.Evidence = model.KindTool, []string{refuted, "not built by the repository's build manifests (" + ships.Describe() + ")"}
			continue
		}
		if inside := programs.Inside(d.Dir); kind == model.KindCLI && inside != "" && !ships.Names(d.Dir) {
			d.Kind, d.Evidence = model.KindTool, []string{refuted, deployables.HelperEvidence(inside)}
			continue
		}
		d.Kind = kind
		d.Evidence = append([]string{refuted}, ev...)
	}
}
