package manifests

import (
	"bufio"
	"bytes"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/cleave-dev/cleave/analyze/astutil"
	"github.com/cleave-dev/cleave/analyze/model"
)

func IsSqlcConfig(name string) bool {
	return name == "sqlc.yaml" || name == "sqlc.yml" || name == "sqlc.json"
}

// SqlcPackage is one generated package of a sqlc configuration.
type SqlcPackage struct {
	Out     string   // directory of the generated Go, relative to the root
	Queries []string // .sql files, relative to the root
}

// ReadSqlc reads sqlc configurations (version 1 and 2; JSON is YAML) into generated packages.
func ReadSqlc(root string, files []string) ([]SqlcPackage, []model.Warning) {
	var out []SqlcPackage
	var warns []model.Warning
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
			warns = append(warns, model.Warning{Subject: f, Message: "not read: " + astutil.FirstLine(err.Error())})
			return
		}
		dir := path.Dir(f)
		add := func(outDir string, queries any) {
			if outDir == "" {
				return
			}
			p := SqlcPackage{Out: path.Clean(path.Join(dir, outDir))}
			for _, q := range stringsOf(queries) {
				p.Queries = append(p.Queries, sqlFiles(root, path.Clean(path.Join(dir, q)))...)
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
	File string
	Line int
	Sql  string
}

// ReadQueries splits a sqlc query file at its `-- name:` comments.
func ReadQueries(root, rel string) []sqlcQuery {
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
			cur = &sqlcQuery{File: rel, Line: n}
			continue
		}
		if cur != nil {
			cur.Sql += line + "\n"
		}
	}
	if cur != nil {
		out = append(out, *cur)
	}
	return out
}
