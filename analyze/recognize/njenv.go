package recognize

import (
	"go/ast"

	"github.com/cleave-dev/cleave/analyze/model"
	"github.com/cleave-dev/cleave/analyze/typed"
)

// njEnvImports is nicholasjackson/env, the environment reader of HashiCorp's demo services.
var njEnvImports = []string{"github.com/nicholasjackson/env"}

// NJEnv is nicholasjackson/env: env.String("PRODUCT_API_URI", false, "http://localhost:9090",
// "…") is the variable and its default (also env.Int, env.Bool, env.Duration, env.Float64).
var NJEnv = register(Recogniser{
	Name:    "nicholasjackson/env",
	Imports: njEnvImports,
	Value: func(x *typed.Extractor, e ast.Expr) (string, bool) {
		call, ok := ast.Unparen(e).(*ast.CallExpr)
		if !ok || len(call.Args) < 3 {
			return "", false
		}
		name, pkg, _ := x.CalleeName(call)
		if !model.PathMatches(pkg, njEnvImports...) {
			return "", false
		}
		switch name {
		case "String", "Int", "Bool", "Duration", "Float64":
		default:
			return "", false
		}
		env, _ := x.ConstString(call.Args[0])
		def, _ := x.ConstString(call.Args[2])
		return typed.ConfigText(env, def)
	},
})
