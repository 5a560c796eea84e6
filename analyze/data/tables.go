package data

import (
	"cmp"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/cleave-dev/cleave/analyze/manifests"
	"github.com/cleave-dev/cleave/analyze/model"
	"github.com/cleave-dev/cleave/analyze/typed"
)

// DbModel is what the database detectors read.
type DbModel struct {
	Conns []ConnGroup
}

// ConnGroup is one connection setting and where each deployable uses it.
type ConnGroup struct {
	Setting     string
	Deployables []string
	Sites       []model.Connection
	Via         string // how compose resolved the setting, when it did
}

// AnalyzeDatabases returns the tables and the connections the code shows, from the typed
// analysis and sqlc's queries, and the connection settings grouped for the facts.
// sqlFiles are the repository's .sql files, read for the named queries of yesql-style loaders.
func AnalyzeDatabases(root string, res *model.Result, services []manifests.ComposeService, ships *manifests.Shipping, ta *typed.TypedAnalysis, sqlcPkgs []manifests.SqlcPackage, sqlFiles []string) ([]model.Table, []model.Connection, *DbModel) {
	named := namedQueryAccesses(root, res, sqlFiles, sqlcPkgs, ta)
	if ta == nil && len(sqlcPkgs) == 0 && len(named) == 0 {
		return []model.Table{}, []model.Connection{}, &DbModel{}
	}
	var sites []typed.AccessSite
	var connSites []typed.ConnSite
	if ta != nil {
		sites, connSites = findAccesses(ta.Tr, ta.G), findConnections(ta.Tr, ta.G)
	}
	sites = append(sites, sqlcAccesses(root, res, sqlcPkgs, ta)...)
	sites = append(sites, named...)
	conns, groups := connections(res, services, ships, ta, connSites)
	return tablesOf(sites, ta), conns, &DbModel{Conns: groups}
}

// tablesOf gathers the access sites into tables, each access once, attributed to its module and
// to the deployables that reach it.
func tablesOf(sites []typed.AccessSite, ta *typed.TypedAnalysis) []model.Table {
	out := []model.Table{}
	type tkey struct{ store, name string }
	tables := map[tkey]*model.Table{}
	seen := map[string]bool{}
	for _, a := range sites {
		k := tkey{a.Store, a.Table}
		id := fmt.Sprintf("%s\x00%s\x00%s\x00%s:%d", a.Store, a.Table, a.Op, a.File, a.Line)
		if seen[id] {
			continue
		}
		seen[id] = true
		tb := tables[k]
		if tb == nil {
			tb = &model.Table{Name: a.Table, Store: a.Store}
			tables[k] = tb
		}
		acc := model.TableAccess{Op: string(a.Op), File: a.File, Line: a.Line, Migration: model.IsMigration(a.File)}
		if a.Fixed {
			acc.Module, acc.Deployables = a.Module, model.NonNil(a.Deployables)
		} else {
			acc.Module = a.Pkg.Module
			acc.Deployables, acc.Linked = ta.Runners(a.Fn, a.Pkg)
			acc.Components = ta.ComponentsOf(a.Fn)
			if !acc.Linked {
				acc.Chosen = ta.Chosen(a.Fn)
			}
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
		out = append(out, *tb)
	}
	sortTables(out)

	return out
}

// connections attributes each connection site to the deployables that reach it, and groups the
// sites by setting: the environment variable, or the DSN docker-compose gives it per service.
func connections(res *model.Result, services []manifests.ComposeService, ships *manifests.Shipping, ta *typed.TypedAnalysis, connSites []typed.ConnSite) ([]model.Connection, []ConnGroup) {
	conns := []model.Connection{}
	depByName := map[string]model.Deployable{}
	for _, d := range res.Deployables {
		depByName[d.Name] = d
	}
	groups := map[string]*ConnGroup{}
	for _, c := range connSites {
		var pkg *model.Package
		if tp := ta.Tr.ByPath[pkgOfFile(res.Packages, c.File)]; tp != nil {
			pkg = tp.Pkg
		}
		deps := ta.DeployablesOf(c.Fn, pkg)
		conns = append(conns, model.Connection{Setting: c.Setting, Deployables: deps, File: c.File, Line: c.Line})
		for _, dn := range deps {
			key, via := c.Setting, ""
			// docker-compose may give the variable a value per service: then the value decides.
			if env, ok := strings.CutPrefix(c.Setting, "env:"); ok {
				for _, s := range manifests.ComposeFor(depByName[dn], services, ships) {
					if v, ok := s.Env[env]; ok && v != "" {
						key, via = "dsn:"+typed.RedactDSN(v), fmt.Sprintf("%s sets %s for service %s", s.File, env, s.Name)
					}
				}
			}
			// A DSN assembled from settings: what this deployable's environment and the defaults
			// make of it.
			if tmpl, ok := strings.CutPrefix(c.Setting, "dsn:"); ok && strings.Contains(tmpl, "${") {
				env := manifests.ComposeEnv(depByName[dn], services, ships)
				dsn, ok := typed.ExpandEnv(tmpl, env)
				if !ok {
					continue
				}
				key, via = "dsn:"+typed.RedactDSN(dsn), "assembled from settings whose defaults agree"
				if len(env) > 0 {
					via = "assembled from settings and the docker-compose environment"
				}
			}
			if localDSN(key) {
				continue // a SQLite file or memory database is the process's own: sharing its name shares nothing
			}
			gr := groups[key]
			if gr == nil {
				gr = &ConnGroup{Setting: key}
				groups[key] = gr
			}
			if !slices.Contains(gr.Deployables, dn) {
				gr.Deployables = append(gr.Deployables, dn)
			}
			gr.Sites = append(gr.Sites, model.Connection{Setting: c.Setting, Deployables: []string{dn}, File: c.File, Line: c.Line})
			if via != "" && !strings.Contains(gr.Via, via) {
				gr.Via = strings.TrimPrefix(gr.Via+"; "+via, "; ")
			}
		}
	}
	sort.Slice(conns, func(i, j int) bool {
		a, b := conns[i], conns[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Setting < b.Setting
	})
	out := []ConnGroup{}
	for _, gr := range groups {
		sort.Strings(gr.Deployables)
		out = append(out, *gr)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Setting < out[j].Setting })
	return conns, out
}

// localDSN reports whether a setting is a DSN of a database that lives in the process or its
// own file: SQLite's ":memory:", "file:…" and "mode=memory" forms, a path ending in .db or
// .sqlite. Two deployables naming the same one each open their own.
func localDSN(setting string) bool {
	dsn, ok := strings.CutPrefix(setting, "dsn:")
	if !ok {
		return false
	}
	dsn = strings.ToLower(dsn)
	if dsn == "*detect-project-id*" { // firestore.DetectProjectID: each process's own environment decides
		return true
	}
	path, query, _ := strings.Cut(dsn, "?")
	switch {
	case strings.Contains(dsn, ":memory:"), strings.Contains(query, "mode=memory"),
		strings.HasPrefix(dsn, "file:"), strings.HasPrefix(dsn, "sqlite:"), strings.HasPrefix(dsn, "sqlite3:"):
		return true
	}
	for _, ext := range []string{".db", ".sqlite", ".sqlite3", ".db3"} {
		if strings.HasSuffix(path, ext) && !strings.Contains(path, "://") && !strings.Contains(path, "@") {
			return true
		}
	}
	return false
}

// pkgOfFile returns the import path of the package holding a file.
func pkgOfFile(pkgs []*model.Package, file string) string {
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

// ResolveEnvTables names a table that the code takes from an environment variable ($TABLE)
// after the template resource that variable names for the deployables that reach it (TABLE:
// !Ref Table gives Table), when they all agree; env maps deployables to such variables.
func ResolveEnvTables(tables []model.Table, env map[string]map[string]string) []model.Table {
	byKey := map[[2]string]int{}
	out := []model.Table{}
	for _, t := range tables {
		if v, ok := strings.CutPrefix(t.Name, "$"); ok {
			if name := agreedResource(t, v, env); name != "" {
				t.Name = name
			}
		}
		k := [2]string{t.Name, t.Store}
		if i, ok := byKey[k]; ok {
			out[i].Accesses = append(out[i].Accesses, t.Accesses...)
			continue
		}
		byKey[k] = len(out)
		out = append(out, t)
	}
	for i := range out {
		sort.SliceStable(out[i].Accesses, func(a, b int) bool {
			x, y := out[i].Accesses[a], out[i].Accesses[b]
			if x.File != y.File {
				return x.File < y.File
			}
			return x.Line < y.Line
		})
	}
	sortTables(out)
	return out
}

// sortTables orders tables by name and store; no two tables share both.
func sortTables(out []model.Table) {
	slices.SortFunc(out, func(a, b model.Table) int {
		return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.Store, b.Store))
	})
}

func agreedResource(t model.Table, variable string, env map[string]map[string]string) string {
	name := ""
	for _, a := range t.Accesses {
		for _, d := range a.Deployables {
			r := env[d][variable]
			if r == "" || name != "" && r != name {
				return ""
			}
			name = r
		}
	}
	return name
}
