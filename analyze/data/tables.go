package data

import (
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

// AnalyzeDatabases fills res.Tables and res.Connections from the typed analysis.
func AnalyzeDatabases(root string, res *model.Result, services []manifests.ComposeService, ships *manifests.Shipping, ta *typed.TypedAnalysis, sqlcPkgs []manifests.SqlcPackage) *DbModel {
	res.Tables, res.Connections = []model.Table{}, []model.Connection{}
	if ta == nil && len(sqlcPkgs) == 0 {
		return &DbModel{}
	}
	var sites []typed.AccessSite
	var connSites []typed.ConnSite
	if ta != nil {
		sites, connSites = findAccesses(ta.Tr, ta.G), findConnections(ta.Tr, ta.G)
	}
	sites = append(sites, sqlcAccesses(root, res, sqlcPkgs, ta)...)

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
		acc := model.TableAccess{Op: string(a.Op), File: a.File, Line: a.Line}
		if a.Fixed {
			acc.Module, acc.Deployables = a.Module, model.NonNil(a.Deployables)
		} else {
			acc.Module, acc.Deployables = a.Pkg.Module, ta.DeployablesOf(a.Fn, a.Pkg)
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
		res.Connections = append(res.Connections, model.Connection{Setting: c.Setting, Deployables: deps, File: c.File, Line: c.Line})
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
	dm := &DbModel{}
	for _, gr := range groups {
		sort.Strings(gr.Deployables)
		dm.Conns = append(dm.Conns, *gr)
	}
	sort.Slice(dm.Conns, func(i, j int) bool { return dm.Conns[i].Setting < dm.Conns[j].Setting })
	return dm
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
