package manifests

import (
	"bufio"
	"bytes"
	"path"
	"regexp"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/cleave-dev/cleave/analyze/astutil"
	"github.com/cleave-dev/cleave/analyze/model"
	"github.com/cleave-dev/cleave/internal/safefs"
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
	r, err := safefs.OpenRoot(root)
	if err != nil {
		return nil, []model.Warning{{Subject: ".", Message: err.Error()}}
	}
	defer r.Close()
	readErrs := forEachFileLimit(root, files, safefs.Config, func(f string, data []byte) {
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
				sql, ws := sqlFiles(r, f, path.Clean(path.Join(dir, q)))
				p.Queries = append(p.Queries, sql...)
				warns = append(warns, ws...)
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

// sqlFiles returns the .sql files of a path that the config file cfg names: the file itself, or
// the regular files ending in .sql in the directory. A path leading out of the analysed
// directory, by its name or through a link, is a warning and no file.
func sqlFiles(r *safefs.Root, cfg, rel string) ([]string, []model.Warning) {
	if rel == ".." || strings.HasPrefix(rel, "../") || path.IsAbs(rel) {
		return nil, []model.Warning{{Subject: cfg, Message: "queries " + rel + ": skipped: outside the analysed directory"}}
	}
	fi, err := r.Stat(rel)
	if err != nil {
		if safefs.Skipped(err) {
			return nil, []model.Warning{readWarning(rel, err)}
		}
		return nil, nil
	}
	if !fi.IsDir() {
		if err := r.Check(rel, safefs.SQL); err != nil {
			return nil, []model.Warning{readWarning(rel, err)}
		}
		return []string{rel}, nil
	}
	entries, err := r.ReadDir(rel)
	if err != nil {
		return nil, nil
	}
	var out []string
	var warns []model.Warning
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".sql") {
			continue
		}
		f := path.Join(rel, e.Name())
		if err := r.Check(f, safefs.SQL); err != nil {
			warns = append(warns, readWarning(f, err))
			continue
		}
		out = append(out, f)
	}
	sort.Strings(out)
	return out, warns
}

var sqlcName = regexp.MustCompile(`^--\s*name:\s*(\S+)`)

// sqlcQuery is one named query of a .sql file.
type sqlcQuery struct {
	File string
	Line int
	Sql  string
}

// ReadQueries splits a sqlc query file at its `-- name:` comments. ReadSqlc has checked the
// file and warned of those it will not read.
func ReadQueries(root, rel string) []sqlcQuery {
	data, err := safefs.ReadIn(root, rel, safefs.SQL)
	if err != nil {
		return nil
	}
	var out []sqlcQuery
	var cur *sqlcQuery
	var text strings.Builder
	flush := func() {
		if cur != nil {
			cur.Sql = text.String()
			out = append(out, *cur)
		}
		text.Reset()
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64*1024), int(safefs.SQL)+1)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if sqlcName.MatchString(strings.TrimSpace(line)) {
			flush()
			cur = &sqlcQuery{File: rel, Line: n}
			continue
		}
		if cur != nil {
			text.WriteString(line)
			text.WriteByte('\n')
		}
	}
	flush()
	return out
}
