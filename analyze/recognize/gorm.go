package recognize

import (
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"strconv"
	"strings"
	"unicode"

	"github.com/cleave-dev/cleave/analyze/sqltables"
	"github.com/cleave-dev/cleave/analyze/typed"
)

// gormOps are the methods of gorm (and gobuffalo/pop) that read or write the table of their
// model argument.
var gormOps = map[string]sqltables.Op{
	"Create": sqltables.Write, "CreateInBatches": sqltables.Write, "Save": sqltables.Write, "Update": sqltables.Write,
	"Updates": sqltables.Write, "UpdateColumn": sqltables.Write, "UpdateColumns": sqltables.Write, "Delete": sqltables.Write,
	"FirstOrCreate": sqltables.Write, "Find": sqltables.Read, "First": sqltables.Read, "Last": sqltables.Read,
	"Take": sqltables.Read, "Scan": sqltables.Read, "Pluck": sqltables.Read, "Count": sqltables.Read,
	"FindInBatches": sqltables.Read, "FirstOrInit": sqltables.Read,
	// gobuffalo/pop names some of them differently.
	"ValidateAndCreate": sqltables.Write, "ValidateAndUpdate": sqltables.Write, "ValidateAndSave": sqltables.Write,
	"Destroy": sqltables.Write, "All": sqltables.Read, "Exists": sqltables.Read,
}

var gormImports = []string{"gorm.io/gorm", "github.com/jinzhu/gorm"}

// Gorm is gorm (v2 and jinzhu's v1). Its reader serves pop too: both take a model.
var Gorm = register(Recogniser{
	Name:    "gorm",
	Imports: gormImports,
	Store:   "sql",
	Connect: []typed.ConnectCall{{Pkg: "gorm.io/driver", Name: "Open", Arg: 0}, {Pkg: "github.com/jinzhu/gorm", Name: "Open", Arg: 1}},
	// The calls on a *gorm.DB may sit in a file that does not import gorm itself.
	AnyFile: true,
	Call:    modelCall,
})

// modelCall reads a call of an ORM that takes a model, in a package that imports one.
func modelCall(x *typed.Extractor, call *ast.CallExpr, c Callee) {
	if c.Recv == nil || !usesModelORM(x) {
		return
	}
	if op, ok := gormOps[c.Name]; ok {
		gormCall(x, call, c.Recv, op)
	}
	// A Model(&T{}) chain that ends in no operation still reads T's table: a subquery.
	if c.Name == "Model" && len(call.Args) == 1 && !x.Marks[call] {
		if t := modelTable(x, call.Args[0]); t != "" {
			x.Add(t, "sql", sqltables.Read, call.Pos())
		}
	}
}

func usesModelORM(x *typed.Extractor) bool {
	imports := append(append([]string{}, gormImports...), popImports...)
	return x.FileImports(imports...) || x.Package().ImportsAny(imports...)
}

// gormCall finds the table of a gorm call: .Table("t") or .Model(&T{}) earlier in the chain,
// else the type of the model argument: its TableName() or gorm's naming convention.
func gormCall(x *typed.Extractor, call *ast.CallExpr, recv ast.Expr, op sqltables.Op) {
	for e := recv; e != nil; {
		c, ok := ast.Unparen(e).(*ast.CallExpr)
		if !ok {
			break
		}
		sel, ok := c.Fun.(*ast.SelectorExpr)
		if !ok {
			break
		}
		switch sel.Sel.Name {
		case "Table":
			if len(c.Args) > 0 {
				if s, ok := x.ConstString(c.Args[0]); ok {
					for _, a := range sqltables.Parse("FROM " + s) {
						x.Add(a.Table, "sql", op, call.Pos())
					}
					return
				}
			}
		case "Model":
			if len(c.Args) > 0 {
				if t := modelTable(x, c.Args[0]); t != "" {
					x.Marks[c] = true
					x.Add(t, "sql", op, call.Pos())
					return
				}
			}
		}
		e = sel.X
	}
	for _, arg := range call.Args {
		if t := modelTable(x, arg); t != "" {
			x.Add(t, "sql", op, call.Pos())
			return
		}
	}
}

// modelTable names the table of a model expression: &User{}, users ([]User), &order.
func modelTable(x *typed.Extractor, e ast.Expr) string {
	named := x.RepoNamed(x.TypeOf(e))
	if named == nil {
		return ""
	}
	if _, ok := named.Underlying().(*types.Struct); !ok {
		return ""
	}
	return tableName(x, named)
}

// tableName returns what a model type's TableName method returns, when it is a constant, else
// gorm's convention: the type's name in snake case, plural.
func tableName(x *typed.Extractor, named *types.Named) string {
	for i := 0; i < named.NumMethods(); i++ {
		m := named.Method(i)
		if m.Name() != "TableName" {
			continue
		}
		decl := x.FuncDecl(m)
		if decl == nil || decl.Body == nil || len(decl.Body.List) != 1 {
			continue
		}
		ret, ok := decl.Body.List[0].(*ast.ReturnStmt)
		if !ok || len(ret.Results) != 1 {
			continue
		}
		if s, ok := x.ConstValue(m.Pkg().Path(), ret.Results[0]); ok {
			return s
		}
		// A package checked without bodies has no values for them: read the literal itself,
		// or the package-level constant it names.
		switch r := ret.Results[0].(type) {
		case *ast.BasicLit:
			if s, err := strconv.Unquote(r.Value); err == nil && r.Kind == token.STRING {
				return s
			}
		case *ast.Ident:
			if c, ok := m.Pkg().Scope().Lookup(r.Name).(*types.Const); ok && c.Val().Kind() == constant.String {
				return constant.StringVal(c.Val())
			}
		}
	}
	return Plural(Snake(named.Obj().Name()))
}

// Snake turns OrderItem into order_item, HTTPLog into http_log.
func Snake(s string) string {
	var b strings.Builder
	rs := []rune(s)
	for i, r := range rs {
		if unicode.IsUpper(r) {
			if i > 0 && (unicode.IsLower(rs[i-1]) || i+1 < len(rs) && unicode.IsLower(rs[i+1]) && unicode.IsUpper(rs[i-1])) {
				b.WriteByte('_')
			}
			b.WriteRune(unicode.ToLower(r))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Plural makes an English plural the way gorm's default namer does for common words.
func Plural(s string) string {
	switch {
	case strings.HasSuffix(s, "person"):
		return strings.TrimSuffix(s, "person") + "people"
	case strings.HasSuffix(s, "y") && len(s) > 1 && !strings.ContainsRune("aeiou", rune(s[len(s)-2])):
		return s[:len(s)-1] + "ies"
	case strings.HasSuffix(s, "s"), strings.HasSuffix(s, "x"), strings.HasSuffix(s, "ch"), strings.HasSuffix(s, "sh"):
		return s + "es"
	}
	return s + "s"
}
