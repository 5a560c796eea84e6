package recognize

import (
	"go/ast"
	"go/token"
	"go/types"
	"strconv"
	"strings"
	"unicode"

	"github.com/cleave-dev/cleave/analyze/model"
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

// orm is an ORM that takes a model: the calls that read or write its table, and how it names
// the table of a type that has no TableName method.
type orm struct {
	imports []string
	ops     map[string]sqltables.Op
	// naming names a type's table as this repository has the ORM configured; "" when the
	// configuration leaves it unknown.
	naming func(x *typed.Extractor, typeName string) string
	// rename, when set, turns the name a model's TableName method gives into the table's
	// (gorm v1's DefaultTableNameHandler applies to it too); "" when unknown.
	rename func(x *typed.Extractor, table string) string
	// modelReads: a Model(&T{}) chain that ends in no operation still reads T's table.
	modelReads bool
	// tagged, when set, reads the table a model type names in its fields' tags (go-pg's
	// tableName field); it wins over the convention.
	tagged func(named *types.Named) string
}

// gormORM names tables in snake case, plural (OrderItem: order_items), as gorm and pop do by
// default, unless the repository's gorm configuration says otherwise (gormNaming).
var gormORM = &orm{imports: append(append([]string{}, gormImports...), popImports...), ops: gormOps, modelReads: true,
	naming: func(x *typed.Extractor, typeName string) string {
		s := gormNaming(x)
		if !s.set {
			return Plural(Snake(typeName))
		}
		if s.unknown {
			return ""
		}
		n := Snake(typeName)
		if !s.singular {
			n = Plural(n)
		}
		return s.prefix + n
	},
	rename: func(x *typed.Extractor, table string) string {
		switch s := gormNaming(x); {
		case !s.handler:
			return table
		case s.unknown:
			return ""
		default:
			return s.prefix + table
		}
	}}

// namingStrategy is how the repository has gorm name tables: a gorm.Config's
// schema.NamingStrategy literal (v2), or db.SingularTable and gorm.DefaultTableNameHandler (v1).
type namingStrategy struct {
	set      bool
	singular bool
	prefix   string
	// handler: v1's DefaultTableNameHandler prefixes every name, TableName's too.
	handler bool
	// unknown: the prefix is only known at run time (read from a configuration), so no name
	// the convention gives can be trusted.
	unknown bool
}

// gormV1 is jinzhu's gorm, whose naming is set by calls and a package variable.
const gormV1 = "github.com/jinzhu/gorm"

// gormNaming reads, once per repository, the naming its gorm configuration sets: v2's
// schema.NamingStrategy{SingularTable: true, TablePrefix: "x_"}, or v1's db.SingularTable(true)
// and a DefaultTableNameHandler that returns a prefix and the default name. Several that
// disagree leave the convention's names unknown.
func gormNaming(x *typed.Extractor) namingStrategy {
	tr := x.Tr
	if v, ok := tr.Memo.Load("gorm-naming"); ok {
		return v.(namingStrategy)
	}
	var found []namingStrategy
	tr.EachFile(func(f *ast.File, imports map[string]string) {
		ast.Inspect(f, func(n ast.Node) bool {
			lit, ok := n.(*ast.CompositeLit)
			if !ok {
				return true
			}
			sel, ok := lit.Type.(*ast.SelectorExpr)
			if !ok || sel.Sel.Name != "NamingStrategy" {
				return true
			}
			if id, ok := sel.X.(*ast.Ident); !ok || imports[id.Name] != "gorm.io/gorm/schema" {
				return true
			}
			s := namingStrategy{set: true}
			for _, el := range lit.Elts {
				kv, ok := el.(*ast.KeyValueExpr)
				if !ok {
					continue
				}
				key, _ := kv.Key.(*ast.Ident)
				switch v := kv.Value.(type) {
				case *ast.Ident:
					if key != nil && key.Name == "SingularTable" {
						s.singular = v.Name == "true"
					}
				case *ast.BasicLit:
					if key != nil && key.Name == "TablePrefix" && v.Kind == token.STRING {
						s.prefix, _ = strconv.Unquote(v.Value)
					}
				}
			}
			found = append(found, s)
			return true
		})
	})
	if v1, ok := gormV1Naming(x); ok {
		found = append(found, v1)
	}
	s := namingStrategy{}
	for i, f := range found {
		if i == 0 {
			s = f
		} else if f != s {
			// Which applies where cannot be told: a model's own TableName stands, and no
			// name the convention gives is trusted.
			s = namingStrategy{set: true, unknown: true}
			break
		}
	}
	tr.Memo.Store("gorm-naming", s)
	return s
}

// gormV1Naming reads v1's naming: db.SingularTable(true) anywhere, and an assignment of
// gorm.DefaultTableNameHandler; ok is false when the repository sets neither.
func gormV1Naming(x *typed.Extractor) (s namingStrategy, ok bool) {
	for _, c := range x.Tr.LibraryCalls(x.G, gormV1) {
		if c.Name == "SingularTable" && c.Recv != nil && len(c.Call.Args) == 1 {
			s.set = true
			if id, ok := c.Call.Args[0].(*ast.Ident); ok && id.Name == "true" {
				s.singular = true
			}
		}
	}
	for _, a := range x.Tr.LibraryAssigns(x.G, gormV1) {
		if len(a.Assign.Lhs) != 1 || len(a.Assign.Rhs) != 1 {
			continue
		}
		sel, ok := a.Assign.Lhs[0].(*ast.SelectorExpr)
		if !ok || sel.Sel.Name != "DefaultTableNameHandler" {
			continue
		}
		if id, ok := sel.X.(*ast.Ident); !ok || a.X.ImportOf(id.Name) != gormV1 {
			continue
		}
		s.set, s.handler = true, true
		s.prefix, ok = handlerPrefix(a.X, a.Assign.Rhs[0])
		s.unknown = s.unknown || !ok
	}
	return s, s.set
}

// handlerPrefix reads a DefaultTableNameHandler that returns its default name, or a constant
// prefix and it: func(db *gorm.DB, name string) string { return "app_" + name }. ok is false
// for any other handler, or a prefix only known at run time (from the environment, or a file
// the repository does not hold).
func handlerPrefix(x *typed.Extractor, e ast.Expr) (prefix string, ok bool) {
	lit, isLit := ast.Unparen(e).(*ast.FuncLit)
	if !isLit || lit.Body == nil || len(lit.Body.List) != 1 || len(lit.Type.Params.List) == 0 {
		return "", false
	}
	last := lit.Type.Params.List[len(lit.Type.Params.List)-1]
	if len(last.Names) == 0 {
		return "", false
	}
	name := last.Names[len(last.Names)-1].Name
	ret, isRet := lit.Body.List[0].(*ast.ReturnStmt)
	if !isRet || len(ret.Results) != 1 {
		return "", false
	}
	isName := func(e ast.Expr) bool { id, ok := ast.Unparen(e).(*ast.Ident); return ok && id.Name == name }
	switch r := ast.Unparen(ret.Results[0]).(type) {
	case *ast.Ident:
		return "", isName(r)
	case *ast.BinaryExpr:
		if r.Op == token.ADD && isName(r.Y) {
			if p, ok := x.ConstString(r.X); ok {
				return p, true
			}
			// A prefix the repository's own configuration file gives (an ini file's key).
			if p, ok := x.ConfigValue(r.X); ok && !strings.Contains(p, "${") {
				return p, true
			}
		}
	}
	return "", false
}

// modelCall reads a call of an ORM that takes a model, in a package that imports one. Which
// ORM a call is on decides the table's name: the declared type of the chain's receiver says
// (*gorm.DB, *xorm.Session, an Engine interface naming xorm), else the only ORM the file or
// the package imports; with several and nothing to tell them apart, the call is left out
// rather than named by the wrong convention.
func modelCall(x *typed.Extractor, call *ast.CallExpr, c Callee) {
	// Settle the cheap question first: this runs on every method call of a package that
	// reads tables, and finding the ORM of a receiver may walk its declaring file.
	if c.Recv == nil || !ormMethod(c.Name) {
		return
	}
	// A method of the repository's own struct (a store's Create(opts)) is no ORM call, whatever
	// the struct wraps; an interface of the repository's (an Engine over xorm) may be.
	var o *orm
	if named := x.RepoNamed(x.TypeOf(c.Recv)); named != nil {
		if _, isStruct := named.Underlying().(*types.Struct); isStruct {
			return
		}
		// An interface of the repository's is an ORM's only where its declaration names one
		// (an Engine over xorm), not because the file imports one (a DAO interface whose
		// Count takes a query).
		o = ormOfLibraries(x, c.Recv)
	} else {
		o = ormOf(x, c.Recv)
	}
	if o == nil {
		return
	}
	if op, ok := o.ops[c.Name]; ok {
		gormCall(x, o, call, c.Recv, op)
	}
	// A Model(&T{}) chain that ends in no operation still reads T's table: a subquery.
	if o.modelReads && c.Name == "Model" && len(call.Args) == 1 && !x.Marks[call] {
		if t := modelTable(x, o, call.Args[0]); t != "" {
			x.Add(t, "sql", sqltables.Read, call.Pos())
		}
	}
}

var orms = []*orm{gormORM, xormORM, gopgORM, beegoORM}

// ormMethod says whether some ORM gives the method a meaning: an operation, or a Model that reads.
func ormMethod(name string) bool {
	for _, o := range orms {
		if _, ok := o.ops[name]; ok || o.modelReads && name == "Model" {
			return true
		}
	}
	return false
}

func ormOf(x *typed.Extractor, recv ast.Expr) *orm {
	if o := ormOfLibraries(x, recv); o != nil {
		return o
	}
	var found *orm
	for _, imports := range []func(o *orm) bool{
		func(o *orm) bool { return x.FileImports(o.imports...) },
		func(o *orm) bool { return x.Package().ImportsAny(o.imports...) },
	} {
		n := 0
		for _, o := range orms {
			if imports(o) {
				found, n = o, n+1
			}
		}
		switch n {
		case 1:
			return found
		case 0:
			continue
		}
		return nil // two ORMs and nothing to tell which: better no table than a made-up one
	}
	return nil
}

// ormOfLibraries is the ORM the declared type of a chain's receiver names, or nil.
func ormOfLibraries(x *typed.Extractor, recv ast.Expr) *orm {
	for _, lib := range x.LibrariesOf(recv) {
		for _, o := range orms {
			if model.PathMatches(lib, o.imports...) {
				return o
			}
		}
	}
	return nil
}

// gormCall finds the table of a gorm call: .Table("t") or .Model(&T{}) earlier in the chain
// (beego's .QueryTable), else the type of the model argument: its TableName() or the ORM's
// naming convention.
//
// The chain goes on through a local variable into what it was declared with (session :=
// db.Table("t"); session.Find(&rows)). A Table whose name is not known names no table: the
// model's type is then not the table's.
func gormCall(x *typed.Extractor, o *orm, call *ast.CallExpr, recv ast.Expr, op sqltables.Op) {
	for _, c := range x.ChainCalls(recv, false) {
		switch name := c.Fun.(*ast.SelectorExpr).Sel.Name; name {
		case "Table":
			if len(c.Args) > 0 {
				if s, ok := x.ConstString(c.Args[0]); ok {
					x.TableRef(s, op, call.Pos())
				} else if t := tableArg(x, o, c.Args[0]); t != "" {
					x.Add(t, "sql", op, call.Pos())
				}
				return
			}
		case "QueryTable", "QueryTableWithCtx": // beego's, on a model or a table's name
			if i := len(c.Args) - 1; o == beegoORM && i >= 0 {
				if s, ok := x.ConstString(c.Args[i]); ok {
					if !beegoNaming(x).unknown {
						x.TableRef(BeegoSnake(s), op, call.Pos())
					}
				} else if t := modelTable(x, o, c.Args[i]); t != "" {
					x.Add(t, "sql", op, call.Pos())
				}
				return
			}
		case "Model", "ModelContext": // go-pg's ModelContext(ctx, &T{})
			if i := modelArg(name); len(c.Args) > i {
				if t := modelTable(x, o, c.Args[i]); t != "" {
					x.Marks[c] = true
					x.Add(t, "sql", op, call.Pos())
					return
				}
			}
		}
	}
	for _, arg := range call.Args {
		if t := modelTable(x, o, arg); t != "" {
			x.Add(t, "sql", op, call.Pos())
			return
		}
	}
}

// tableArg names the table of a Table argument that is no constant: a model (xorm's
// Table(&User{})), or a call of a model's TableName method that returns a constant
// (Table(User{}.TableName())); "" when the name is only known at run time.
func tableArg(x *typed.Extractor, o *orm, arg ast.Expr) string {
	if call, ok := ast.Unparen(arg).(*ast.CallExpr); ok && len(call.Args) == 0 {
		if sel, ok := call.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "TableName" {
			if named := x.RepoNamed(x.TypeOf(sel.X)); named != nil {
				if s, ok := constTableName(x, named); ok {
					return s
				}
			}
		}
		return ""
	}
	return modelTable(x, o, arg)
}

// modelArg is the index of the model argument of a Model call.
func modelArg(name string) int {
	if name == "ModelContext" {
		return 1
	}
	return 0
}

// modelTable names the table of a model expression: &User{}, users ([]User), &order.
func modelTable(x *typed.Extractor, o *orm, e ast.Expr) string {
	named := x.RepoNamed(x.TypeOf(e))
	if named == nil {
		return ""
	}
	if _, ok := named.Underlying().(*types.Struct); !ok {
		return ""
	}
	return tableName(x, o, named)
}

// tableName returns what a model type's TableName method returns, when it is a constant, else
// the ORM's convention.
func tableName(x *typed.Extractor, o *orm, named *types.Named) string {
	if s, ok := constTableName(x, named); ok {
		if o.rename != nil {
			return o.rename(x, s)
		}
		return s
	}
	if o.tagged != nil {
		if t := o.tagged(named); t != "" {
			return t
		}
	}
	return o.naming(x, named.Obj().Name())
}

// constTableName returns what a model type's TableName method returns, when it is a constant.
func constTableName(x *typed.Extractor, named *types.Named) (string, bool) {
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
			return s, true
		}
		// A package checked without bodies has no values for them: read the literal itself,
		// or the package-level constant it names, its own or another package's.
		switch r := ret.Results[0].(type) {
		case *ast.BasicLit:
			if s, err := strconv.Unquote(r.Value); err == nil && r.Kind == token.STRING {
				return s, true
			}
		case *ast.Ident:
			if s, ok := typed.StringConst(m.Pkg(), r.Name); ok {
				return s, true
			}
		case *ast.SelectorExpr: // another package's constant: names.Invoices
			if s, ok := x.ImportedConst(m.Pkg().Path(), r); ok {
				return s, true
			}
		}
	}
	return "", false
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
