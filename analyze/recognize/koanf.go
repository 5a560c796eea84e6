package recognize

import (
	"go/ast"
	"strings"

	"github.com/cleave-dev/cleave/analyze/astutil"
	"github.com/cleave-dev/cleave/analyze/typed"
)

const koanfImport = "github.com/knadh/koanf"

// Koanf is knadh/koanf: k.String("orders.url") is what a confmap.Provider of defaults loads
// for the key, and the variable an env.Provider with a constant prefix maps to it (the prefix,
// then the key in capitals with its delimiter as '_', the usual transform). Files and other
// providers are not followed.
var Koanf = register(Recogniser{
	Name:    "koanf",
	Imports: []string{koanfImport},
	Value: func(x *typed.Extractor, e ast.Expr) (string, bool) {
		call, ok := ast.Unparen(e).(*ast.CallExpr)
		if !ok || len(call.Args) != 1 {
			return "", false
		}
		name, _, recv := x.CalleeName(call)
		if name != "String" && name != "MustString" || !onLibrary(x, recv, koanfImport) {
			return "", false
		}
		key, ok := x.ConstString(call.Args[0])
		if !ok {
			return "", false
		}
		ix := koanfIndexOf(x)
		env := ""
		if ix.envSet {
			env = envName(ix.prefix + strings.ToUpper(strings.ReplaceAll(key, ix.delim, "_")))
		}
		return typed.ConfigText(env, ix.defaults.get(key))
	},
})

type koanfIndex struct {
	defaults settled
	envSet   bool // an env provider with a known prefix is loaded
	prefix   string
	delim    string
}

func koanfIndexOf(x *typed.Extractor) *koanfIndex {
	return memo(x, "koanf", func() *koanfIndex {
		ix := &koanfIndex{defaults: settled{}, delim: "."}
		envs := 0
		for _, c := range x.Tr.LibraryCalls(x.G, koanfImport) {
			if c.Name != "Provider" || c.Pkg == "" {
				continue
			}
			args := c.Call.Args
			switch {
			case strings.HasPrefix(c.Pkg, koanfImport+"/providers/confmap") && len(args) >= 1:
				lit, ok := ast.Unparen(args[0]).(*ast.CompositeLit)
				if !ok {
					continue
				}
				for _, el := range lit.Elts {
					if kv, ok := el.(*ast.KeyValueExpr); ok {
						k, ok1 := c.X.ConstString(kv.Key)
						v, ok2 := constText(c.X, kv.Value)
						if ok1 && ok2 {
							ix.defaults.set(k, v)
						}
					}
				}
			case strings.HasPrefix(c.Pkg, koanfImport+"/providers/env"):
				envs++
				switch {
				case len(args) == 3: // env.Provider(prefix, delim, transform)
					p, ok1 := c.X.ConstString(args[0])
					d, ok2 := c.X.ConstString(args[1])
					if ok1 && ok2 && d != "" {
						ix.envSet, ix.prefix, ix.delim = true, p, d
					}
				case len(args) == 2: // env.Provider(delim, env.Opt{Prefix: …})
					d, ok := c.X.ConstString(args[0])
					lit, isLit := ast.Unparen(args[1]).(*ast.CompositeLit)
					if !ok || !isLit || d == "" {
						continue
					}
					for name, v := range astutil.KeyedFields(lit) {
						if name == "Prefix" {
							if p, ok := c.X.ConstString(v); ok {
								ix.envSet, ix.prefix, ix.delim = true, p, d
							}
						}
					}
				}
			}
		}
		if envs > 1 { // two env providers: which prefix a key's variable has is not certain
			ix.envSet = false
		}
		return ix
	})
}
