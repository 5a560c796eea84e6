package data

import (
	"slices"
	"strings"

	"github.com/cleave-dev/cleave/analyze/manifests"
	"github.com/cleave-dev/cleave/analyze/model"
	"github.com/cleave-dev/cleave/analyze/modules"
	"github.com/cleave-dev/cleave/analyze/recognize"
	"github.com/cleave-dev/cleave/analyze/sqltables"
	"github.com/cleave-dev/cleave/analyze/typed"
)

// sqlcAccesses reads the queries of the generated packages that are not checked in. Their
// module is the one the generated directory falls in; their deployables are those that link a
// package importing the generated one.
func sqlcAccesses(root string, res *model.Result, pkgs []manifests.SqlcPackage, ta *typed.TypedAnalysis) []typed.AccessSite {
	byDir := map[string]*model.Package{}
	for _, p := range res.Packages {
		byDir[p.Dir] = p
	}
	var out []typed.AccessSite
	for _, sp := range pkgs {
		if byDir[sp.Out] != nil {
			continue // the generated Go is here and is read as code
		}
		module := ""
		if b := modules.InferBase(sp.Out, "."); b != "" {
			for _, m := range res.Modules {
				if slices.Contains(m.Dirs, b) { // Dirs holds Paths
					module = m.Name
				}
			}
		}
		// The importers of the generated package, and the deployables that link them.
		var importers []*model.Package
		for _, p := range res.Packages {
			for _, imp := range p.Imports {
				if !imp.Test && (strings.HasSuffix(imp.Path, "/"+sp.Out)) {
					importers = append(importers, p)
					break
				}
			}
		}
		if module == "" && len(importers) > 0 {
			module = importers[0].Module
		}
		deps := ta.Linking(importers)
		for _, q := range sp.Queries {
			for _, query := range manifests.ReadQueries(root, q) {
				for _, a := range sqltables.Parse(query.Sql) {
					out = append(out, typed.AccessSite{Table: a.Table, Store: "sql", Op: a.Op, File: query.File, Line: query.Line,
						Module: module, Deployables: deps, Fixed: true})
				}
			}
		}
	}
	return out
}

// namedQueryAccesses reads the .sql files of named queries (-- name: …) that a yesql-style
// library loads at run time, when the repository imports one: their module and deployable are
// those of the packages importing the library. Files sqlc reads, migrations, files of tests
// and tools, and files without a named query are not such files.
func namedQueryAccesses(root string, res *model.Result, files []string, sqlcPkgs []manifests.SqlcPackage, ta *typed.TypedAnalysis) []typed.AccessSite {
	if len(files) == 0 || len(recognize.QueryFileLoaders) == 0 {
		return nil
	}
	var importers []*model.Package
	for _, p := range res.Packages {
		if slices.ContainsFunc(p.Imports, func(imp model.Import) bool {
			return !imp.Test && slices.ContainsFunc(recognize.QueryFileLoaders, func(l string) bool { return imp.Path == l || strings.HasPrefix(imp.Path, l+"/") })
		}) {
			importers = append(importers, p)
		}
	}
	if len(importers) == 0 {
		return nil
	}
	sqlc := map[string]bool{}
	for _, sp := range sqlcPkgs {
		for _, q := range sp.Queries {
			sqlc[q] = true
		}
	}
	// The files cannot be told apart by who loads them (a loader reads a glob of an embedded
	// directory): they are attributed only where that is unambiguous. Importers in two modules
	// leave the files unread; two deployables leave the tables with no deployable, which makes
	// no coupling between them.
	module := importers[0].Module
	for _, p := range importers[1:] {
		if p.Module != module {
			return nil
		}
	}
	deps := ta.Linking(importers)
	if len(deps) > 1 {
		deps = nil
	}
	var out []typed.AccessSite
	for _, f := range files {
		if sqlc[f] || model.IsMigration(f) || model.InToolDir(f) {
			continue
		}
		for _, query := range manifests.ReadQueries(root, f) {
			for _, a := range sqltables.Parse(query.Sql) {
				out = append(out, typed.AccessSite{Table: a.Table, Store: "sql", Op: a.Op, File: query.File, Line: query.Line,
					Module: module, Deployables: deps, Fixed: true})
			}
		}
	}
	return out
}
