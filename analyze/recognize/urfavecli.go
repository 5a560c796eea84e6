package recognize

import (
	"go/ast"
	"go/types"
	"strconv"
	"strings"

	"github.com/cleave-dev/cleave/analyze/astutil"
	"github.com/cleave-dev/cleave/analyze/typed"
)

const urfaveImport = "github.com/urfave/cli"

// UrfaveCLI is urfave/cli (v1, v2 and v3): c.String("server") on a context or command is the
// StringFlag named so, with its Value as the default and its variables (v1 EnvVar, v2
// EnvVars, v3 Sources: cli.EnvVars(…)) as the environment; a flag's Destination is bound to
// the same value.
var UrfaveCLI = register(Recogniser{
	Name:    "urfave-cli",
	Imports: []string{urfaveImport},
	Value: func(x *typed.Extractor, e ast.Expr) (string, bool) {
		ix := urfaveFlagsOf(x)
		if call, ok := ast.Unparen(e).(*ast.CallExpr); ok {
			name, _, recv := x.CalleeName(call)
			if name != "String" || len(call.Args) != 1 || !onLibrary(x, recv, urfaveImport) {
				return "", false
			}
			flag, ok := x.ConstString(call.Args[0])
			if !ok {
				return "", false
			}
			if t := ix.byName.get(flag); t != "" {
				return t, true
			}
			return "", false
		}
		if obj := x.Target(e); obj != nil {
			if t := ix.byDest.get(objKey(obj)); t != "" {
				return t, true
			}
		}
		return "", false
	},
})

type urfaveFlags struct {
	byName settled // a flag's name and aliases -> its rendered value
	byDest settled // the variable or field it sets -> its rendered value
}

func urfaveFlagsOf(x *typed.Extractor) *urfaveFlags {
	return memo(x, "urfave-cli", func() *urfaveFlags {
		ix := &urfaveFlags{byName: settled{}, byDest: settled{}}
		for _, l := range x.Tr.LibraryLits(x.G, urfaveImport) {
			pkg, typ := l.X.TypeFrom(l.Lit)
			if !strings.HasPrefix(pkg, urfaveImport) || typ != "StringFlag" {
				continue
			}
			var names []string
			var env, def string
			var dest types.Object
			for field, value := range astutil.KeyedFields(l.Lit) {
				switch field {
				case "Name":
					if s, ok := l.X.ConstString(value); ok {
						for n := range strings.SplitSeq(s, ",") { // v1: "server, s"
							names = append(names, strings.TrimSpace(n))
						}
					}
				case "Aliases":
					if lit, ok := value.(*ast.CompositeLit); ok {
						for _, a := range lit.Elts {
							if s, ok := l.X.ConstString(a); ok {
								names = append(names, s)
							}
						}
					}
				case "Value":
					def, _ = l.X.ConstString(value)
				case "EnvVar": // v1: "A,B"
					if s, ok := l.X.ConstString(value); ok {
						env, _, _ = strings.Cut(s, ",")
						env = strings.TrimSpace(env)
					}
				case "EnvVars", "Sources": // v2 []string{…}; v3 cli.EnvVars(…)
					var first ast.Expr
					switch v := ast.Unparen(value).(type) {
					case *ast.CompositeLit:
						if len(v.Elts) > 0 {
							first = v.Elts[0]
						}
					case *ast.CallExpr:
						if n, _, _ := l.X.CalleeName(v); n == "EnvVars" && len(v.Args) > 0 {
							first = v.Args[0]
						}
					}
					if first != nil {
						env, _ = l.X.ConstString(first)
					}
				case "Destination":
					dest = l.X.Target(value)
				}
			}
			t, ok := typed.ConfigText(envName(env), def)
			if !ok {
				continue
			}
			for _, n := range names {
				ix.byName.set(n, t)
			}
			if dest != nil {
				ix.byDest.set(objKey(dest), t)
			}
		}
		return ix
	})
}

// objKey names a variable or field for an index shared across packages: where it is declared,
// which one file set numbers for the whole repository.
func objKey(obj types.Object) string { return strconv.Itoa(int(obj.Pos())) }
