package recognize

import (
	"go/ast"

	"github.com/cleave-dev/cleave/analyze/model"

	"github.com/cleave-dev/cleave/analyze/typed"
)

// kingpinImports are alecthomas/kingpin's import paths (v2 on GitHub, and gopkg.in).
var kingpinImports = []string{"github.com/alecthomas/kingpin", "gopkg.in/alecthomas/kingpin.v2"}

// Kingpin is alecthomas/kingpin: app.Flag("url", "…").Default("http://…").Envar("URL").String()
// is the default and the variable its chain names; StringVar(&v) and URLVar(&v) bind v to it.
var Kingpin = register(Recogniser{
	Name:    "kingpin",
	Imports: kingpinImports,
	Value: func(x *typed.Extractor, e ast.Expr) (string, bool) {
		if call, ok := ast.Unparen(e).(*ast.CallExpr); ok {
			return kingpinChain(x, call, false)
		}
		if obj := x.Target(e); obj != nil {
			if t := kingpinBindings(x).get(objKey(obj)); t != "" {
				return t, true
			}
		}
		return "", false
	},
})

// kingpinChain reads a flag's chain down to its Flag or Arg: the Default and Envar it is given.
// bind is set to read the Var forms (StringVar(&v)) instead of those that return a pointer.
func kingpinChain(x *typed.Extractor, call *ast.CallExpr, bind bool) (string, bool) {
	name, _, recv := x.CalleeName(call)
	switch {
	case !bind && (name == "String" || name == "URL") && len(call.Args) == 0:
	case bind && (name == "StringVar" || name == "URLVar") && len(call.Args) == 1:
	default:
		return "", false
	}
	var env, def string
	for depth := 0; depth < 12; depth++ {
		c, ok := ast.Unparen(recv).(*ast.CallExpr)
		if !ok {
			return "", false
		}
		n, pkg, next := x.CalleeName(c)
		switch n {
		case "Default":
			if len(c.Args) > 0 {
				def, _ = x.ConstString(c.Args[0])
			}
		case "Envar", "OverrideDefaultFromEnvar":
			if len(c.Args) == 1 {
				env, _ = x.ConstString(c.Args[0])
			}
		case "Flag", "Arg":
			if pkg != "" && !model.PathMatches(pkg, kingpinImports...) || pkg == "" && !onLibrary(x, next, kingpinImports...) {
				return "", false
			}
			return typed.ConfigText(envName(env), def)
		}
		recv = next
	}
	return "", false
}

// kingpinBindings maps the variables and fields that StringVar(&v) binds to their values.
func kingpinBindings(x *typed.Extractor) settled {
	return memo(x, "kingpin", func() settled {
		out := settled{}
		for _, c := range x.Tr.LibraryCalls(x.G, kingpinImports...) {
			if c.Name != "StringVar" && c.Name != "URLVar" || len(c.Call.Args) != 1 {
				continue
			}
			obj := c.X.Target(c.Call.Args[0])
			if obj == nil {
				continue
			}
			if t, ok := kingpinChain(c.X, c.Call, true); ok {
				out.set(objKey(obj), t)
			}
		}
		return out
	})
}
