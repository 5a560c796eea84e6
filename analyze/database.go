package analyze

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/cleave-dev/cleave/analyze/sqltables"
	"github.com/cleave-dev/cleave/rules"
)

// dbModel is what the database detectors read.
type dbModel struct {
	conns []connGroup
}

// connGroup is one connection setting and where each deployable uses it.
type connGroup struct {
	setting     string
	deployables []string
	sites       []Connection
	via         string // how compose resolved the setting, when it did
}

// typedAnalysis is the typed repository with its call graph and what each shipping
// deployable reaches: the ground on which tables and calls are attributed to deployables.
type typedAnalysis struct {
	tr      *typedRepo
	g       *callGraph
	reaches []reachOf
	// understood holds the packages some function of which a program reaches.
	understood map[*Package]bool
}

type reachOf struct {
	name    string
	reached map[fnKey]bool
	linked  map[*Package]bool
}

// newTypedAnalysis type-checks the packages (function bodies only where seeds, or packages
// importing them, need them) and computes each shipping deployable's reach.
func newTypedAnalysis(root string, res *Result, candidates []*Package, seed func(*Package) bool) *typedAnalysis {
	bodies := needBodies(candidates, seed)
	tr := typeCheck(root, withImports(candidates, bodies), bodies)
	ta := &typedAnalysis{tr: tr, g: buildCallGraph(tr), understood: map[*Package]bool{}}
	for _, d := range res.Deployables {
		if d.Kind == KindTool {
			continue
		}
		tp := tr.byPath[d.Package]
		if tp == nil {
			continue
		}
		linked := tr.linkedPackages(tp)
		r := reachOf{name: d.Name, reached: ta.g.reach(tp, linked), linked: map[*Package]bool{}}
		for _, l := range linked {
			r.linked[l.pkg] = true
		}
		ta.reaches = append(ta.reaches, r)
	}
	// A package none of whose functions any program reaches is one the call graph cannot see
	// into (reflection, plugins): there, linking the package stands in for calling it.
	for _, r := range ta.reaches {
		for k := range r.reached {
			ta.understood[ta.g.fns[k].tp.pkg] = true
		}
	}
	return ta
}

// deployablesOf returns the shipping deployables that can run a function.
func (ta *typedAnalysis) deployablesOf(fn fnKey, pkg *Package) []string {
	out := []string{}
	for _, r := range ta.reaches {
		if r.reached[fn] {
			out = append(out, r.name)
		}
	}
	if len(out) == 0 && !ta.understood[pkg] {
		for _, r := range ta.reaches {
			if r.linked[pkg] {
				out = append(out, r.name)
			}
		}
	}
	return out
}

// usesDatabase reports whether a package may touch a database.
func usesDatabase(p *Package) bool {
	return p.SQLText || p.importsAny(dbLibraries...) || p.importsAny("gorm.io/driver", "github.com/redis/go-redis")
}

// analyzeDatabases fills res.Tables and res.Connections from the typed analysis.
func analyzeDatabases(root string, res *Result, services []composeService, ships *shipping, ta *typedAnalysis, sqlcPkgs []sqlcPackage) *dbModel {
	res.Tables, res.Connections = []Table{}, []Connection{}
	if ta == nil && len(sqlcPkgs) == 0 {
		return &dbModel{}
	}
	var sites []accessSite
	var connSites []connSite
	if ta != nil {
		sites, connSites = findAccesses(ta.tr, ta.g), findConnections(ta.tr, ta.g)
	}
	sites = append(sites, sqlcAccesses(root, res, sqlcPkgs, ta)...)

	type tkey struct{ store, name string }
	tables := map[tkey]*Table{}
	seen := map[string]bool{}
	for _, a := range sites {
		k := tkey{a.store, a.table}
		id := fmt.Sprintf("%s\x00%s\x00%s\x00%s:%d", a.store, a.table, a.op, a.file, a.line)
		if seen[id] {
			continue
		}
		seen[id] = true
		tb := tables[k]
		if tb == nil {
			tb = &Table{Name: a.table, Store: a.store}
			tables[k] = tb
		}
		acc := TableAccess{Op: string(a.op), File: a.file, Line: a.line}
		if a.fixed {
			acc.Module, acc.Deployables = a.module, nonNil(a.deployables)
		} else {
			acc.Module, acc.Deployables = a.pkg.Module, ta.deployablesOf(a.fn, a.pkg)
		}
		tb.Accesses = append(tb.Accesses, acc)
	}
	for _, tb := range tables {
		sort.Slice(tb.Accesses, func(i, j int) bool {
			x, y := tb.Accesses[i], tb.Accesses[j]
			if x.File != y.File {
				return x.File < y.File
			}
			if x.Line != y.Line {
				return x.Line < y.Line
			}
			return x.Op < y.Op
		})
		res.Tables = append(res.Tables, *tb)
	}
	sort.Slice(res.Tables, func(i, j int) bool {
		if res.Tables[i].Name != res.Tables[j].Name {
			return res.Tables[i].Name < res.Tables[j].Name
		}
		return res.Tables[i].Store < res.Tables[j].Store
	})

	depByName := map[string]Deployable{}
	for _, d := range res.Deployables {
		depByName[d.Name] = d
	}
	groups := map[string]*connGroup{}
	for _, c := range connSites {
		var pkg *Package
		if tp := ta.tr.byPath[pkgOfFile(res.Packages, c.file)]; tp != nil {
			pkg = tp.pkg
		}
		deps := ta.deployablesOf(c.fn, pkg)
		res.Connections = append(res.Connections, Connection{Setting: c.setting, Deployables: deps, File: c.file, Line: c.line})
		for _, dn := range deps {
			key, via := c.setting, ""
			// docker-compose may give the variable a value per service: then the value decides.
			if env, ok := strings.CutPrefix(c.setting, "env:"); ok {
				for _, s := range composeFor(depByName[dn], services, ships) {
					if v, ok := s.env[env]; ok && v != "" {
						key, via = "dsn:"+redactDSN(v), fmt.Sprintf("%s sets %s for service %s", s.file, env, s.name)
					}
				}
			}
			gr := groups[key]
			if gr == nil {
				gr = &connGroup{setting: key}
				groups[key] = gr
			}
			if !slices.Contains(gr.deployables, dn) {
				gr.deployables = append(gr.deployables, dn)
			}
			gr.sites = append(gr.sites, Connection{Setting: c.setting, Deployables: []string{dn}, File: c.file, Line: c.line})
			if via != "" && !strings.Contains(gr.via, via) {
				gr.via = strings.TrimPrefix(gr.via+"; "+via, "; ")
			}
		}
	}
	sort.Slice(res.Connections, func(i, j int) bool {
		a, b := res.Connections[i], res.Connections[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Setting < b.Setting
	})
	dm := &dbModel{}
	for _, gr := range groups {
		sort.Strings(gr.deployables)
		dm.conns = append(dm.conns, *gr)
	}
	sort.Slice(dm.conns, func(i, j int) bool { return dm.conns[i].setting < dm.conns[j].setting })
	return dm
}

// needBodies returns the packages whose function bodies matter: the seeds (those that use a
// database library, hold SQL text, or call other services) and every package that imports
// one of them, directly or not.
func needBodies(pkgs []*Package, seed func(*Package) bool) map[*Package]bool {
	byPath := map[string]*Package{}
	importers := map[*Package][]*Package{}
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
	need := map[*Package]bool{}
	var queue []*Package
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
func withImports(pkgs []*Package, need map[*Package]bool) []*Package {
	byPath := map[string]*Package{}
	for _, p := range pkgs {
		byPath[p.Path] = p
	}
	keep := map[*Package]bool{}
	var queue []*Package
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
	var out []*Package
	for _, p := range pkgs { // in the order given
		if keep[p] {
			out = append(out, p)
		}
	}
	return out
}

// pkgOfFile returns the import path of the package holding a file.
func pkgOfFile(pkgs []*Package, file string) string {
	dir := file
	if i := strings.LastIndexByte(file, '/'); i >= 0 {
		dir = file[:i]
	} else {
		dir = "."
	}
	for _, p := range pkgs {
		if p.Dir == dir {
			return p.Path
		}
	}
	return ""
}

func sharedTables(m *model) []*rules.Finding {
	var out []*rules.Finding
	for _, tb := range m.res.Tables {
		modules, writerMods := set(), set()
		deps, writerDeps := set(), set()
		for _, a := range tb.Accesses {
			if a.Module != "" {
				modules.add(a.Module)
				if a.Op == string(sqltables.Write) {
					writerMods.add(a.Module)
				}
			}
			for _, d := range a.Deployables {
				deps.add(d)
				if a.Op == string(sqltables.Write) {
					writerDeps.add(d)
				}
			}
		}
		var by string
		var group, writers strset
		switch {
		case len(modules) >= 2:
			by, group, writers = "modules", modules, writerMods
		case len(deps) >= 2:
			by, group, writers = "deployables", deps, writerDeps
		default:
			continue
		}
		f := m.finding(rules.SharedTable)
		f.Severity = rules.Warning
		if len(writers) >= 2 {
			f.Severity = rules.Error
		}
		readers := set()
		for _, x := range group.sorted() {
			if !writers[x] {
				readers.add(x)
			}
		}
		// "written by modules a and b and read by c", "read by deployables x and y"
		var parts []string
		noun := func(n int) string {
			if n == 1 {
				return strings.TrimSuffix(by, "s")
			}
			return by
		}
		if len(writers) > 0 {
			parts = append(parts, "written by "+noun(len(writers))+" "+andList(writers.sorted()))
		}
		if len(readers) > 0 {
			if len(writers) > 0 {
				parts = append(parts, "and read by "+andList(readers.sorted()))
			} else {
				parts = append(parts, "read by "+noun(len(readers))+" "+andList(readers.sorted()))
			}
		}
		kind := "table"
		if tb.Store == "mongo" {
			kind = "collection"
		}
		f.Message = fmt.Sprintf("%s %s is %s; give it one owner and let the others go through its API or events", kind, tb.Name, strings.Join(parts, " "))
		first := tb.Accesses[0]
		for _, a := range tb.Accesses {
			if a.Op == string(sqltables.Write) {
				first = a
				break
			}
		}
		f.File, f.Line, f.Column = first.File, first.Line, 1
		f.Modules, f.Deployables, f.Tables = modules.sorted(), deps.sorted(), []string{tb.Name}
		for _, a := range tb.Accesses {
			who := a.Module
			if who == "" {
				who = "(no module)"
			}
			f.Related = append(f.Related, rules.Location{File: a.File, Line: a.Line, Column: 1,
				Message: fmt.Sprintf("%s %ss %s (deployables: %s)", who, a.Op, tb.Name, strings.Join(orNone(a.Deployables), ", "))})
		}
		f.Fingerprint = rules.Fingerprint(f.Rule, tb.Store, tb.Name)
		out = append(out, f)
	}
	return out
}

func foreignTables(m *model) []*rules.Finding {
	if m.cfg == nil || len(m.cfg.Tables) == 0 {
		return nil
	}
	var out []*rules.Finding
	for _, tb := range m.res.Tables {
		owner, ok := m.cfg.Tables[tb.Name]
		if !ok {
			continue
		}
		byModule := map[string][]TableAccess{}
		var mods []string
		for _, a := range tb.Accesses {
			if a.Module == "" || a.Module == owner {
				continue
			}
			if byModule[a.Module] == nil {
				mods = append(mods, a.Module)
			}
			byModule[a.Module] = append(byModule[a.Module], a)
		}
		sort.Strings(mods)
		for _, mod := range mods {
			as := byModule[mod]
			f := m.finding(rules.ForeignTable)
			f.Message = fmt.Sprintf("module %s %s table %s, which .cleave.yaml gives to module %s; go through the API or events of %s instead",
				mod, opVerb(as), tb.Name, owner, owner)
			f.File, f.Line, f.Column = as[0].File, as[0].Line, 1
			f.Modules, f.Tables = []string{mod, owner}, []string{tb.Name}
			for _, a := range as {
				f.Related = append(f.Related, rules.Location{File: a.File, Line: a.Line, Column: 1, Message: a.Op + " " + tb.Name})
			}
			f.Fingerprint = rules.Fingerprint(f.Rule, tb.Name, mod)
			out = append(out, f)
		}
	}
	return out
}

func opVerb(as []TableAccess) string {
	r, w := false, false
	for _, a := range as {
		if a.Op == string(sqltables.Write) {
			w = true
		} else {
			r = true
		}
	}
	switch {
	case r && w:
		return "reads and writes"
	case w:
		return "writes"
	}
	return "reads"
}

func sharedDSNs(m *model) []*rules.Finding {
	var out []*rules.Finding
	for _, gr := range m.db.conns {
		if len(gr.deployables) < 2 {
			continue
		}
		f := m.finding(rules.SharedDSN)
		what := strings.Replace(strings.Replace(gr.setting, "env:", "environment variable ", 1), "dsn:", "DSN ", 1)
		f.Message = fmt.Sprintf("deployables %s connect to a database through the same %s", andList(gr.deployables), what)
		if gr.via != "" {
			f.Message += " (" + gr.via + ")"
		}
		sort.Slice(gr.sites, func(i, j int) bool {
			if gr.sites[i].File != gr.sites[j].File {
				return gr.sites[i].File < gr.sites[j].File
			}
			return gr.sites[i].Line < gr.sites[j].Line
		})
		f.File, f.Line, f.Column = gr.sites[0].File, gr.sites[0].Line, 1
		f.Deployables = gr.deployables
		for _, s := range gr.sites {
			f.Related = append(f.Related, rules.Location{File: s.File, Line: s.Line, Column: 1,
				Message: fmt.Sprintf("%s connects through %s", s.Deployables[0], s.Setting)})
		}
		f.Fingerprint = rules.Fingerprint(f.Rule, gr.setting)
		out = append(out, f)
	}
	return out
}

type strset map[string]bool

func set() strset             { return strset{} }
func (s strset) add(x string) { s[x] = true }
func (s strset) sorted() []string {
	out := make([]string, 0, len(s))
	for x := range s {
		out = append(out, x)
	}
	sort.Strings(out)
	return out
}

func andList(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}

func orNone(s []string) []string {
	if len(s) == 0 {
		return []string{"none"}
	}
	return s
}
