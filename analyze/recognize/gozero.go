package recognize

import (
	"go/types"
	"path"
	"reflect"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/cleave-dev/cleave/analyze/model"
	"github.com/cleave-dev/cleave/analyze/typed"
)

// goZeroSQL and goZeroCache are go-zero's SQL stores: a connection, and one that caches rows in
// Redis. goctl's models build their queries with fmt.Sprintf over a table field and a column
// list computed at run time; the database/sql reader reads them (see sqlCalls).
const (
	goZeroSQL   = "github.com/zeromicro/go-zero/core/stores/sqlx"
	goZeroCache = "github.com/zeromicro/go-zero/core/stores/sqlc"
)

// GoZeroStores is zeromicro/go-zero's SQL stores.
var GoZeroStores = register(Recogniser{
	Name:    "go-zero sqlx",
	Imports: []string{goZeroSQL, goZeroCache},
	Store:   "sql",
	Connect: []typed.ConnectCall{
		{Pkg: goZeroSQL, Name: "NewMysql", Arg: 0}, {Pkg: goZeroSQL, Name: "NewSqlConn", Arg: 1},
	},
})

// GoZero is zeromicro/go-zero's servers: a REST server and a zRPC (gRPC) server, each started
// with Start.
var GoZero = register(Recogniser{
	Name:    "go-zero",
	Imports: []string{"github.com/zeromicro/go-zero/rest", "github.com/zeromicro/go-zero/zrpc"},
	Kinds: []KindCall{
		{Kind: model.KindService, Names: []string{"Start"}},
		{Kind: model.KindRoutes, Names: []string{"AddRoutes", "AddRoute"}},
	},
})

const goZeroConf = "github.com/zeromicro/go-zero/core/conf"

// GoZeroConf is go-zero's configuration loader: conf.MustLoad(path, &c) (or Load) fills c
// from a YAML or JSON file, which goctl's services name by a flag's default
// (etc/order.yaml, relative to the service's directory, from which it runs; else to the
// repository's root). A field's key is its json tag's name, else its own, matched without
// regard to case as go-zero does; a missing key takes the tag's default=. A file named at
// run time, or two files loaded into one variable, leave the fields unknown.
var GoZeroConf = register(Recogniser{
	Name:    "go-zero conf",
	Imports: []string{goZeroConf},
	Field: func(x *typed.Extractor, root types.Object, path []typed.ConfigField) (string, bool) {
		doc, ok := goZeroConfIndexOf(x)[root]
		if !ok || doc == nil {
			return "", false
		}
		return confLookup(doc, path)
	},
})

// goZeroConfIndexOf maps each variable a Load or MustLoad fills to the file's content; nil
// where it cannot be told.
func goZeroConfIndexOf(x *typed.Extractor) map[types.Object]any {
	return memo(x, "go-zero conf", func() map[types.Object]any {
		loaded := map[types.Object]any{}
		for _, c := range x.Tr.LibraryCalls(x.G, goZeroConf) {
			if c.Pkg != goZeroConf || c.Name != "MustLoad" && c.Name != "Load" || len(c.Call.Args) < 2 {
				continue
			}
			id, ok := addressedIdent(c.Call.Args[1])
			if !ok {
				continue
			}
			obj := c.X.ObjectOf(id)
			if obj == nil {
				continue
			}
			loadedInto(loaded, obj, loadConfFile(c.X, c.X.WithoutFields().URLText(c.Call.Args[0], 0)))
		}
		return loaded
	})
}

// loadConfFile reads and parses the file a service loads, nil when it cannot be told.
func loadConfFile(x *typed.Extractor, name string) any {
	switch strings.ToLower(path.Ext(name)) {
	case ".yaml", ".yml", ".json":
	default:
		return nil
	}
	if name == "" || strings.Contains(name, "${") || path.IsAbs(name) || strings.Contains(name, `\`) {
		return nil
	}
	for _, rel := range []string{path.Join(x.Package().Dir, name), path.Clean(name)} {
		if rel == ".." || strings.HasPrefix(rel, "../") {
			continue
		}
		data, err := x.Tr.ReadConfig(rel)
		if err != nil {
			continue
		}
		var doc any
		if yaml.Unmarshal(data, &doc) != nil {
			return nil
		}
		return doc
	}
	return nil
}

// confLookup follows a chain of fields into a parsed configuration: each field's key is its
// json tag's name, else its own, matched exactly, else without regard to case; a scalar at
// the end is the value.
func confLookup(doc any, fields []typed.ConfigField) (string, bool) {
	cur := doc
	for _, f := range fields {
		m, ok := cur.(map[string]any)
		if !ok {
			return "", false
		}
		name, opts, _ := strings.Cut(reflect.StructTag(f.Tag).Get("json"), ",")
		if name == "-" {
			return "", false
		}
		if name == "" {
			name = f.Name
		}
		v, ok := m[name]
		if !ok {
			var found []string
			for k := range m {
				if strings.EqualFold(k, name) {
					found = append(found, k)
				}
			}
			if len(found) == 1 {
				v, ok = m[found[0]], true
			}
		}
		if !ok {
			for _, o := range strings.Split(opts, ",") {
				if d, isDefault := strings.CutPrefix(o, "default="); isDefault && f == fields[len(fields)-1] {
					return d, d != ""
				}
			}
			return "", false
		}
		cur = v
	}
	return scalarText(cur)
}
