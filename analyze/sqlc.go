package analyze

import (
	"bufio"
	"bytes"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/cleave-dev/cleave/analyze/sqltables"
)

// sqlc keeps its queries in .sql files and generates Go from them. When the generated package
// is checked in, its Go carries the SQL and is read like any other code. When it is not (it is
// generated at build time), the queries are read from the .sql files themselves.

func isSqlcConfig(name string) bool {
	return name == "sqlc.yaml" || name == "sqlc.yml" || name == "sqlc.json"
}

// sqlcPackage is one generated package of a sqlc configuration.
type sqlcPackage struct {
	out     string   // directory of the generated Go, relative to the root
	queries []string // .sql files, relative to the root
}

// readSqlc reads sqlc configurations (version 1 and 2; JSON is YAML) into generated packages.
func readSqlc(root string, files []string) ([]sqlcPackage, []Warning) {
	var out []sqlcPackage
	var warns []Warning
	readErrs := forEachFile(root, files, func(f string, data []byte) {
		var cfg struct {
			SQL []struct {
				Queries any `yaml:"queries"`
				Gen     struct {
					Go struct {
						Out string `yaml:"out"`
					} `yaml:"go"`
				} `yaml:"gen"`
			} `yaml:"sql"`
			Packages []struct {
				Path    string `yaml:"path"`
				Queries any    `yaml:"queries"`
			} `yaml:"packages"`
		}
		if err := yaml.Unmarshal(data, &cfg); err != nil {
			warns = append(warns, Warning{Subject: f, Message: "not read: " + firstLine(err.Error())})
			return
		}
		dir := path.Dir(f)
		add := func(outDir string, queries any) {
			if outDir == "" {
				return
			}
			p := sqlcPackage{out: path.Clean(path.Join(dir, outDir))}
			for _, q := range stringsOf(queries) {
				p.queries = append(p.queries, sqlFiles(root, path.Clean(path.Join(dir, q)))...)
			}
			out = append(out, p)
		}
		for _, s := range cfg.SQL {
			add(s.Gen.Go.Out, s.Queries)
		}
		for _, p := range cfg.Packages {
			add(p.Path, p.Queries)
		}
	})
	warns = append(warns, readErrs...)
	return out, warns
}

func stringsOf(v any) []string {
	switch v := v.(type) {
	case string:
		return []string{v}
	case []any:
		var out []string
		for _, x := range v {
			if s, ok := x.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// sqlFiles returns the .sql files of a path: the file itself, or those in the directory.
func sqlFiles(root, rel string) []string {
	full := filepath.Join(root, filepath.FromSlash(rel))
	fi, err := os.Stat(full)
	if err != nil {
		return nil
	}
	if !fi.IsDir() {
		return []string{rel}
	}
	entries, err := os.ReadDir(full)
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range entries {
		if !e.IsDir() && strings.HasSuffix(e.Name(), ".sql") {
			out = append(out, path.Join(rel, e.Name()))
		}
	}
	sort.Strings(out)
	return out
}

var sqlcName = regexp.MustCompile(`^--\s*name:\s*(\S+)`)

// sqlcQuery is one named query of a .sql file.
type sqlcQuery struct {
	file string
	line int
	sql  string
}

// readQueries splits a sqlc query file at its `-- name:` comments.
func readQueries(root, rel string) []sqlcQuery {
	data, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(rel)))
	if err != nil {
		return nil
	}
	var out []sqlcQuery
	var cur *sqlcQuery
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64*1024), 4*1024*1024)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if sqlcName.MatchString(strings.TrimSpace(line)) {
			if cur != nil {
				out = append(out, *cur)
			}
			cur = &sqlcQuery{file: rel, line: n}
			continue
		}
		if cur != nil {
			cur.sql += line + "\n"
		}
	}
	if cur != nil {
		out = append(out, *cur)
	}
	return out
}

// sqlcAccesses reads the queries of the generated packages that are not checked in. Their
// module is the one the generated directory falls in; their deployables are those that link a
// package importing the generated one.
func sqlcAccesses(root string, res *Result, pkgs []sqlcPackage, ta *typedAnalysis) []accessSite {
	byDir := map[string]*Package{}
	for _, p := range res.Packages {
		byDir[p.Dir] = p
	}
	var out []accessSite
	for _, sp := range pkgs {
		if byDir[sp.out] != nil {
			continue // the generated Go is here and is read as code
		}
		module := ""
		if b := inferBase(sp.out, "."); b != "" {
			for _, m := range res.Modules {
				if slices.Contains(m.Dirs, b) || slices.Contains(m.Paths, b) {
					module = m.Name
				}
			}
		}
		// The importers of the generated package, and the deployables that link them.
		var importers []*Package
		for _, p := range res.Packages {
			for _, imp := range p.Imports {
				if !imp.Test && (strings.HasSuffix(imp.Path, "/"+sp.out)) {
					importers = append(importers, p)
					break
				}
			}
		}
		if module == "" && len(importers) > 0 {
			module = importers[0].Module
		}
		var deps []string
		if ta != nil {
			for _, r := range ta.reaches {
				for _, p := range importers {
					if r.linked[p] && !slices.Contains(deps, r.name) {
						deps = append(deps, r.name)
					}
				}
			}
		}
		for _, q := range sp.queries {
			for _, query := range readQueries(root, q) {
				for _, a := range sqltables.Parse(query.sql) {
					out = append(out, accessSite{table: a.Table, store: "sql", op: a.Op, file: query.file, line: query.line,
						module: module, deployables: deps, fixed: true})
				}
			}
		}
	}
	return out
}
