package recognize

import (
	"go/ast"
	"go/types"
	"path"
	"strings"

	"github.com/cleave-dev/cleave/analyze/astutil"
	"github.com/cleave-dev/cleave/analyze/typed"
)

const viperImport = "github.com/spf13/viper"

// Viper is spf13/viper: GetString("orders.url") is what SetDefault gives the key, or the
// environment variable BindEnv or AutomaticEnv binds it to (with SetEnvPrefix and
// SetEnvKeyReplacer applied, as viper does), or the default of the flag BindPFlag binds it to.
// Values read from configuration files are not followed.
var Viper = register(Recogniser{
	Name:    "viper",
	Imports: []string{viperImport},
	Value: func(x *typed.Extractor, e ast.Expr) (string, bool) {
		call, ok := ast.Unparen(e).(*ast.CallExpr)
		if !ok || len(call.Args) != 1 {
			return "", false
		}
		name, pkg, recv := x.CalleeName(call)
		if name != "GetString" && name != "Get" || !isViper(x, pkg, recv) {
			return "", false
		}
		key, ok := x.ConstString(call.Args[0])
		if !ok {
			return "", false
		}
		return viperIndexOf(x).value(strings.ToLower(key))
	},
	Field: func(x *typed.Extractor, root types.Object, fields []typed.ConfigField) (string, bool) {
		doc, ok := viperFilesOf(x)[root]
		if !ok || doc == nil {
			return "", false
		}
		return yamlLookup(doc, fields, "mapstructure", true)
	},
})

// viperFilesOf maps each variable viper.Unmarshal fills to the YAML file the same function has
// viper read: SetConfigFile(path), or SetConfigName(name) with AddConfigPath(dir), tried in
// the order added, as name.yaml and name.yml (SetConfigType narrows the extension). A field's
// key is its mapstructure tag's name, else its own, without regard to case, as viper matches
// them. nil where the file cannot be told.
func viperFilesOf(x *typed.Extractor) map[types.Object]any {
	return memo(x, "viper files", func() map[types.Object]any {
		type setup struct {
			file, name, ext string
			dirs            []string
		}
		setups := map[*ast.FuncDecl]*setup{}
		var loads []typed.LibraryCall
		for _, c := range x.Tr.LibraryCalls(x.G, viperImport) {
			if !isViper(c.X, c.Pkg, c.Recv) {
				continue
			}
			fd := c.X.EnclosingFunc(c.Call.Pos())
			if fd == nil {
				continue
			}
			st := setups[fd]
			if st == nil {
				st = &setup{}
				setups[fd] = st
			}
			text := func() string {
				if len(c.Call.Args) != 1 {
					return ""
				}
				return c.X.WithoutFields().URLText(c.Call.Args[0], 0)
			}
			switch c.Name {
			case "SetConfigFile":
				st.file = text()
			case "SetConfigName":
				st.name = text()
			case "SetConfigType":
				st.ext = text()
			case "AddConfigPath":
				st.dirs = append(st.dirs, text())
			case "Unmarshal":
				if len(c.Call.Args) >= 1 {
					loads = append(loads, c)
				}
			}
		}
		out := map[types.Object]any{}
		for _, c := range loads {
			id, ok := addressedIdent(c.Call.Args[0])
			obj := c.X.ObjectOf(id)
			if !ok || obj == nil {
				continue
			}
			st := setups[c.X.EnclosingFunc(c.Call.Pos())]
			var doc any
			switch {
			case st.file != "":
				doc = loadYAMLPath(c.X, st.file)
			case st.name != "" && !strings.Contains(st.name, "${"):
				exts := []string{".yaml", ".yml"}
				if st.ext != "" {
					exts = []string{"." + strings.TrimPrefix(st.ext, ".")}
				}
				for _, dir := range st.dirs {
					for _, ext := range exts {
						if doc == nil {
							doc = loadYAMLPath(c.X, path.Join(dir, st.name+ext))
						}
					}
				}
			}
			loadedInto(out, obj, doc)
		}
		return out
	})
}

// addressedIdent is the variable an argument names, itself or by its address (&cfg).
func addressedIdent(e ast.Expr) (*ast.Ident, bool) {
	id, ok := astutil.Addressed(e).(*ast.Ident)
	return id, ok
}

func isViper(x *typed.Extractor, pkg string, recv ast.Expr) bool {
	return pkg == viperImport || pkg == "" && onLibrary(x, recv, viperImport)
}

// viperIndex is what the repository tells viper: keys' defaults and bound variables, and how
// automatic environment names are made. Every viper instance is taken as one.
type viperIndex struct {
	defaults, envs settled
	bound          map[string]bool // BindEnv(key) with no name: the automatic name
	flags          settled         // BindPFlag(key, …Lookup("flag")): the flag's name
	allFlags       bool            // BindPFlags(flagset): every flag is a key
	automatic      bool
	prefix         string
	replace        []string // SetEnvKeyReplacer(strings.NewReplacer(old, new, …))
	flagDefaults   settled
}

func viperIndexOf(x *typed.Extractor) *viperIndex {
	return memo(x, "viper", func() *viperIndex {
		ix := &viperIndex{defaults: settled{}, envs: settled{}, bound: map[string]bool{}, flags: settled{}, flagDefaults: pflagDefaults(x)}
		for _, c := range x.Tr.LibraryCalls(x.G, viperImport) {
			if !isViper(c.X, c.Pkg, c.Recv) {
				continue
			}
			args := c.Call.Args
			key := func() string {
				if len(args) == 0 {
					return ""
				}
				k, _ := c.X.ConstString(args[0])
				return strings.ToLower(k)
			}
			switch c.Name {
			case "SetDefault":
				if k := key(); k != "" && len(args) == 2 {
					if v, ok := constText(c.X, args[1]); ok {
						ix.defaults.set(k, v)
					}
				}
			case "BindEnv":
				if k := key(); k != "" {
					if len(args) >= 2 {
						if env, ok := c.X.ConstString(args[1]); ok {
							ix.envs.set(k, env)
						}
					} else {
						ix.bound[k] = true
					}
				}
			case "BindPFlag":
				if k := key(); k != "" && len(args) == 2 {
					if lookup, ok := ast.Unparen(args[1]).(*ast.CallExpr); ok && len(lookup.Args) == 1 {
						if n, _, _ := c.X.CalleeName(lookup); n == "Lookup" {
							if f, ok := c.X.ConstString(lookup.Args[0]); ok {
								ix.flags.set(k, f)
							}
						}
					}
				}
			case "BindPFlags":
				ix.allFlags = true
			case "AutomaticEnv":
				ix.automatic = true
			case "SetEnvPrefix":
				if len(args) == 1 {
					ix.prefix, _ = c.X.ConstString(args[0])
				}
			case "SetEnvKeyReplacer":
				if len(args) == 1 {
					if r, ok := ast.Unparen(args[0]).(*ast.CallExpr); ok {
						if n, p, _ := c.X.CalleeName(r); p == "strings" && n == "NewReplacer" {
							for _, a := range r.Args {
								s, _ := c.X.ConstString(a)
								ix.replace = append(ix.replace, s)
							}
						}
					}
				}
			}
		}
		if len(ix.replace)%2 != 0 {
			ix.replace = nil
		}
		return ix
	})
}

// value renders a key: the variable that sets it and its default.
func (ix *viperIndex) value(key string) (string, bool) {
	env := ix.envs.get(key)
	if env == "" && (ix.automatic || ix.bound[key]) {
		// viper's mergeWithEnvPrefix, then the key replacer.
		name := strings.ToUpper(key)
		if ix.prefix != "" {
			name = strings.ToUpper(ix.prefix + "_" + key)
		}
		if len(ix.replace) > 0 {
			name = strings.NewReplacer(ix.replace...).Replace(name)
		}
		env = envName(name)
	}
	def := ix.defaults.get(key)
	if def == "" {
		if f := ix.flags.get(key); f != "" {
			def = ix.flagDefaults.get(f)
		} else if ix.allFlags {
			def = ix.flagDefaults.get(key)
		}
	}
	return typed.ConfigText(env, def)
}

// pflagDefaults maps string flags to their constant defaults, by name, wherever the repository
// declares them: flag.String, pflag's, a cobra command's cmd.Flags().StringVar.
func pflagDefaults(x *typed.Extractor) settled {
	return memo(x, "pflag-defaults", func() settled {
		out := settled{}
		libs := []string{"flag", "github.com/spf13/pflag", "github.com/spf13/cobra"}
		for _, c := range x.Tr.LibraryCalls(x.G, libs...) {
			fa, ok := typed.StringFlags[c.Name]
			ni, di := fa.Name, fa.Default
			if !ok || len(c.Call.Args) <= di {
				continue
			}
			if !typed.FlagPkg(c.Pkg) && !flagSet(c.X, c.Recv) {
				continue
			}
			name, ok1 := c.X.ConstString(c.Call.Args[ni])
			def, ok2 := c.X.ConstString(c.Call.Args[di])
			if ok1 && ok2 {
				out.set(name, def)
			}
		}
		return out
	})
}

// flagSet reports whether a receiver is a flag set: cmd.Flags(), cmd.PersistentFlags(), or a
// value of flag's or pflag's types.
func flagSet(x *typed.Extractor, recv ast.Expr) bool {
	if call, ok := ast.Unparen(recv).(*ast.CallExpr); ok {
		if n, _, _ := x.CalleeName(call); n == "Flags" || n == "PersistentFlags" || n == "LocalFlags" {
			return true
		}
	}
	return onLibrary(x, recv, "flag", "github.com/spf13/pflag")
}
