package recognize

import (
	"go/ast"
	"strings"

	"github.com/cleave-dev/cleave/analyze/model"
	"github.com/cleave-dev/cleave/analyze/sqltables"
	"github.com/cleave-dev/cleave/analyze/typed"
)

// entOps are the methods of an ent-generated <Entity>Client and what they do to its table.
var entOps = map[string]sqltables.Op{
	"Create": sqltables.Write, "CreateBulk": sqltables.Write, "MapCreateBulk": sqltables.Write,
	"Update": sqltables.Write, "UpdateOne": sqltables.Write, "UpdateOneID": sqltables.Write,
	"Delete": sqltables.Write, "DeleteOne": sqltables.Write, "DeleteOneID": sqltables.Write,
	"Query": sqltables.Read, "Get": sqltables.Read, "GetX": sqltables.Read,
}

// Ent is entgo.io/ent: accesses are calls on the generated clients, in packages that use them.
var Ent = register(Recogniser{
	Name:    "ent",
	Imports: []string{"entgo.io/ent"},
	Store:   "sql",
	AnyFile: true,
	// ent.Open(driver, dsn), on the package ent generated.
	Connect: []typed.ConnectCall{{GeneratedBy: "entgo.io/ent", Name: "Open", Arg: 1}},
	Call: func(x *typed.Extractor, call *ast.CallExpr, c Callee) {
		if op, ok := entOps[c.Name]; ok && c.Recv != nil {
			if table := entTable(x, c.Recv); table != "" {
				x.Add(table, "sql", op, call.Pos())
			}
		}
	},
	Reads: func(tr *typed.TypedRepo, p *model.Package) bool {
		for _, imp := range p.Imports {
			if dep := tr.ByPath[imp.Path]; dep != nil && !imp.Test && dep.Pkg.ImportsAny("entgo.io/ent") {
				return true
			}
		}
		return false
	},
})

// entTable names the table behind an ent-generated client: recv is a *UserClient of a package
// that imports entgo.io/ent, and the generated user package holds `const Table = "users"`.
func entTable(x *typed.Extractor, recv ast.Expr) string {
	named := x.RepoNamed(x.TypeOf(recv))
	if named == nil || !strings.HasSuffix(named.Obj().Name(), "Client") || named.Obj().Name() == "Client" {
		return ""
	}
	gen, _ := x.PackageOf(named.Obj().Pkg().Path())
	if gen == nil || gen == x.Package() || !gen.ImportsAny("entgo.io/ent") {
		return "" // not ent's, or the generated client's own plumbing
	}
	entity := strings.TrimSuffix(named.Obj().Name(), "Client")
	if _, sub := x.PackageOf(gen.Path + "/" + strings.ToLower(entity)); sub != nil {
		if s, ok := typed.StringConst(sub, "Table"); ok {
			return s
		}
	}
	return Plural(Snake(entity))
}
