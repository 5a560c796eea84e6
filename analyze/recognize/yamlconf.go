package recognize

import (
	"fmt"
	"go/ast"
	"go/types"
	"maps"
	"path"
	"reflect"
	"regexp"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/cleave-dev/cleave/analyze/typed"
)

// yamlLibraries are the YAML libraries a configuration file is read with, each with the struct
// tag that names a field's key and whether a key without a tag is matched as encoding/json
// does (the field's name, without regard to case) or as go-yaml does (the field's name in
// lower case, exactly).
var yamlLibraries = map[string]struct {
	tag      string
	jsonLike bool
}{
	"gopkg.in/yaml.v2":         {"yaml", false},
	"gopkg.in/yaml.v3":         {"yaml", false},
	"go.yaml.in/yaml/v3":       {"yaml", false},
	"github.com/goccy/go-yaml": {"yaml", false},
	"sigs.k8s.io/yaml":         {"json", true},
	"github.com/ghodss/yaml":   {"json", true},
	"github.com/invopop/yaml":  {"json", true},
	"github.com/go-yaml/yaml":  {"yaml", false},
	"go.yaml.in/yaml/v4":       {"yaml", false},
}

var yamlImports = slices.Sorted(maps.Keys(yamlLibraries))

// YAMLConfig is a configuration struct filled from a YAML file of the repository: the file's
// bytes from os.ReadFile (or ioutil.ReadFile) given to yaml.Unmarshal(data, &cfg), or the file
// from os.Open given to yaml.NewDecoder(f).Decode(&cfg), with any of the common YAML libraries.
// A field chain read from the variable (cfg.MySQL.DSN, conf.GetConf().MySQL.DSN where GetConf
// returns it, or the result of a loader that fills and returns it) is looked up in the file:
// each field's key is its tag's name, else its name as the library makes it. The path is
// followed as the code writes it (filepath.Join, an environment variable's default, a getter
// such as GetEnv() with its default), relative to the loading package's directory or the
// nearest directory above it that holds the file (a program runs from its own directory or the
// repository's root). A path named at run time with no default, or two files loaded into one
// variable, leave the fields unknown.
var YAMLConfig = register(Recogniser{
	Name:    "yaml config",
	Imports: yamlImports,
	Field: func(x *typed.Extractor, root types.Object, fields []typed.ConfigField) (string, bool) {
		f, ok := yamlConfIndexOf(x)[root]
		if !ok || f == nil {
			return "", false
		}
		return yamlLookup(f.doc, fields, f.tag, f.jsonLike)
	},
})

// yamlConf is one file a variable is filled from, parsed, with how its keys are named.
type yamlConf struct {
	doc      any
	tag      string
	jsonLike bool
}

// yamlConfIndexOf maps each variable a YAML library fills from a file to that file; nil where
// the file cannot be told.
func yamlConfIndexOf(x *typed.Extractor) map[types.Object]*yamlConf {
	return memo(x, "yaml config", func() map[types.Object]*yamlConf {
		out := map[types.Object]*yamlConf{}
		for _, c := range x.Tr.LibraryCalls(x.G, yamlImports...) {
			lib, src, target := yamlLoad(c)
			if target == nil {
				continue
			}
			obj := c.X.ObjectOf(target)
			if obj == nil {
				continue
			}
			var conf *yamlConf
			if doc := loadYAMLFile(c.X, src); doc != nil {
				l := yamlLibraries[lib]
				conf = &yamlConf{doc: doc, tag: l.tag, jsonLike: l.jsonLike}
			}
			loadedInto(out, obj, conf)
		}
		return out
	})
}

// loadedInto records what a load put into a variable; a variable loaded twice (two files, or
// one file twice) gets the zero value, as what it holds cannot be told.
func loadedInto[T any](m map[types.Object]T, obj types.Object, v T) {
	if _, twice := m[obj]; twice {
		var none T
		v = none
	}
	m[obj] = v
}

// yamlLoad reads a call that fills a variable from YAML: the library, the expression naming
// the file (nil when it is not a file's), and the variable; a nil variable when the call is
// no such load.
func yamlLoad(c typed.LibraryCall) (lib string, file ast.Expr, target *ast.Ident) {
	args := c.Call.Args
	switch {
	case c.Pkg != "" && (c.Name == "Unmarshal" || c.Name == "UnmarshalStrict") && len(args) >= 2:
		lib = c.Pkg
		file = readFileArg(c.X, args[0], "ReadFile")
	case c.Pkg == "" && c.Name == "Decode" && len(args) == 1 && c.Recv != nil:
		dec, ok := boundCall(c.X, c.Recv)
		if !ok {
			return "", nil, nil
		}
		name, pkg, _ := c.X.CalleeName(dec)
		if name != "NewDecoder" || len(dec.Args) != 1 {
			return "", nil, nil
		}
		lib = pkg
		file = readFileArg(c.X, dec.Args[0], "Open")
	default:
		return "", nil, nil
	}
	if _, ok := yamlLibraries[lib]; !ok {
		return "", nil, nil
	}
	target, _ = addressedIdent(args[len(args)-1])
	return lib, file, target
}

// boundCall is the call an expression is, or the call a local variable was set to.
func boundCall(x *typed.Extractor, e ast.Expr) (*ast.CallExpr, bool) {
	e = ast.Unparen(e)
	if id, ok := e.(*ast.Ident); ok {
		if rhs, ok := x.Defined(id); ok {
			e = ast.Unparen(rhs)
		}
	}
	call, ok := e.(*ast.CallExpr)
	return call, ok
}

// readFileArg returns the path a file's content or handle was read with: os.ReadFile(p) (or
// ioutil.ReadFile) for "ReadFile", os.Open(p) for "Open"; nil when it was not.
func readFileArg(x *typed.Extractor, e ast.Expr, fn string) ast.Expr {
	call, ok := boundCall(x, e)
	if !ok || len(call.Args) != 1 {
		return nil
	}
	name, pkg, _ := x.CalleeName(call)
	if name != fn || pkg != "os" && pkg != "io/ioutil" {
		return nil
	}
	return call.Args[0]
}

// envDefault matches an environment variable with a default in a rendered path.
var envDefault = regexp.MustCompile(`\$\{[A-Za-z_][A-Za-z0-9_]*:-([^}]*)\}`)

// loadYAMLFile reads and parses the YAML file a path expression names, nil when it cannot be
// told (see YAMLConfig).
func loadYAMLFile(x *typed.Extractor, e ast.Expr) any {
	if e == nil {
		return nil
	}
	return loadYAMLPath(x, x.WithoutFields().URLText(e, 0))
}

// loadYAMLPath reads and parses the YAML file a rendered path names (see YAMLConfig).
func loadYAMLPath(x *typed.Extractor, name string) any {
	name = envDefault.ReplaceAllString(name, "$1")
	if rest, ok := strings.CutPrefix(name, "${"); ok { // the working directory, os.Getwd()
		_, after, found := strings.Cut(rest, "}/")
		if !found {
			return nil
		}
		name = after
	}
	switch strings.ToLower(path.Ext(name)) {
	case ".yaml", ".yml":
	default:
		return nil
	}
	if name == "" || strings.Contains(name, "${") || path.IsAbs(name) || strings.Contains(name, `\`) {
		return nil
	}
	for dir := x.Package().Dir; ; dir = path.Dir(dir) {
		rel := path.Join(dir, name)
		if rel != ".." && !strings.HasPrefix(rel, "../") {
			if data, err := x.Tr.ReadConfig(rel); err == nil {
				var doc any
				if yaml.Unmarshal(data, &doc) != nil {
					return nil
				}
				return doc
			}
		}
		if dir == "." || dir == "/" || dir == "" {
			return nil
		}
	}
}

// yamlLookup follows a chain of fields into a parsed YAML document: each field's key is its
// tag's name, else the field's name as the library makes it; a scalar at the end is the value.
func yamlLookup(doc any, fields []typed.ConfigField, tag string, jsonLike bool) (string, bool) {
	cur := doc
	for _, f := range fields {
		name, _, _ := strings.Cut(reflect.StructTag(f.Tag).Get(tag), ",")
		if name == "-" {
			return "", false
		}
		fold := jsonLike && name == ""
		if name == "" {
			name = f.Name
			if !jsonLike {
				name = strings.ToLower(name)
			}
		}
		v, ok := yamlKey(cur, name, fold)
		if !ok {
			return "", false
		}
		cur = v
	}
	return scalarText(cur)
}

// scalarText is a parsed configuration value that is one scalar, as text; false for a
// mapping, a list or an empty string.
func scalarText(v any) (string, bool) {
	switch v := v.(type) {
	case string:
		return v, v != ""
	case int, int64, uint64, float64, bool:
		return fmt.Sprint(v), true
	}
	return "", false
}

// yamlKey is the value of a key of a mapping, matched exactly, or where fold is set, without
// regard to case when exactly one key matches so.
func yamlKey(m any, name string, fold bool) (any, bool) {
	var keys map[string]any
	switch m := m.(type) {
	case map[string]any:
		keys = m
	case map[any]any:
		keys = map[string]any{}
		for k, v := range m {
			if s, ok := k.(string); ok {
				keys[s] = v
			}
		}
	default:
		return nil, false
	}
	if v, ok := keys[name]; ok {
		return v, true
	}
	if !fold {
		return nil, false
	}
	var found []any
	for k, v := range keys {
		if strings.EqualFold(k, name) {
			found = append(found, v)
		}
	}
	if len(found) == 1 {
		return found[0], true
	}
	return nil, false
}
