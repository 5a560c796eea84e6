package typed

import (
	"fmt"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"strconv"
	"strings"
	"unicode"

	"github.com/cleave-dev/cleave/analyze/model"
	"github.com/cleave-dev/cleave/analyze/sqltables"
)

// sqlCalls are the functions and methods whose string arguments are SQL: database/sql, sqlx,
// pgx (Conn, Pool, Tx, Batch.Queue), gorm's Raw and Exec, and the helpers that wrap them.
var sqlCalls = map[string]bool{
	"Query": true, "QueryContext": true, "QueryRow": true, "QueryRowContext": true,
	"Exec": true, "ExecContext": true, "Prepare": true, "PrepareContext": true,
	"Get": true, "GetContext": true, "Select": true, "SelectContext": true,
	"NamedExec": true, "NamedExecContext": true, "NamedQuery": true, "NamedQueryContext": true,
	"MustExec": true, "MustExecContext": true, "Queryx": true, "QueryxContext": true,
	"QueryRowx": true, "QueryRowxContext": true, "Preparex": true, "PreparexContext": true,
	"PrepareNamed": true, "PrepareNamedContext": true, "Raw": true, "Queue": true, "QueryFunc": true,
	"RawQuery": true,
}

// accessSite is one database access found in the code, before attribution to deployables.
type AccessSite struct {
	Table, Store string
	Op           sqltables.Op
	File         string
	Line         int
	Fn           FnKey
	Pkg          *model.Package
	// fixed is set for accesses outside Go code (sqlc's .sql files): module and deployables are
	// given, not derived from the package and the call graph.
	Fixed       bool
	Module      string
	Deployables []string
}

// builderLib describes a query builder: calls that name a table, by method name, and what they do.
type builderLib struct {
	imports []string
	calls   map[string]sqltables.Op // method or function name -> op of the table its first argument names
}

var builders = []builderLib{
	{imports: []string{"github.com/Masterminds/squirrel", "github.com/doug-martin/goqu"},
		calls: map[string]sqltables.Op{"From": sqltables.Read, "Join": sqltables.Read, "LeftJoin": sqltables.Read,
			"RightJoin": sqltables.Read, "InnerJoin": sqltables.Read, "CrossJoin": sqltables.Read, "FullJoin": sqltables.Read,
			"Insert": sqltables.Write, "Into": sqltables.Write, "Update": sqltables.Write, "Delete": sqltables.Write, "Replace": sqltables.Write}},
	{imports: []string{"github.com/uptrace/bun"},
		calls: map[string]sqltables.Op{"Table": sqltables.Read, "TableExpr": sqltables.Read}},
}

// gormOps are the gorm methods that read or write the table of their model argument.
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

// gormImports are the ORMs whose calls take a model: gorm and gobuffalo/pop.
var gormImports = []string{"gorm.io/gorm", "github.com/jinzhu/gorm", "github.com/gobuffalo/pop", "github.com/ory/pop"}

// mongoOps are the collection methods of mongo-driver.
var mongoOps = map[string]sqltables.Op{
	"InsertOne": sqltables.Write, "InsertMany": sqltables.Write, "UpdateOne": sqltables.Write, "UpdateMany": sqltables.Write,
	"UpdateByID": sqltables.Write, "ReplaceOne": sqltables.Write, "DeleteOne": sqltables.Write, "DeleteMany": sqltables.Write,
	"FindOneAndUpdate": sqltables.Write, "FindOneAndReplace": sqltables.Write, "FindOneAndDelete": sqltables.Write,
	"BulkWrite": sqltables.Write, "Drop": sqltables.Write, "Find": sqltables.Read, "FindOne": sqltables.Read,
	"Aggregate": sqltables.Read, "CountDocuments": sqltables.Read, "EstimatedDocumentCount": sqltables.Read,
	"Distinct": sqltables.Read, "Watch": sqltables.Read,
}

// entOps are the methods of an ent-generated <Entity>Client and what they do to its table.
var entOps = map[string]sqltables.Op{
	"Create": sqltables.Write, "CreateBulk": sqltables.Write, "MapCreateBulk": sqltables.Write,
	"Update": sqltables.Write, "UpdateOne": sqltables.Write, "UpdateOneID": sqltables.Write,
	"Delete": sqltables.Write, "DeleteOne": sqltables.Write, "DeleteOneID": sqltables.Write,
	"Query": sqltables.Read, "Get": sqltables.Read, "GetX": sqltables.Read,
}

// dynamoInputs are the AWS SDK's DynamoDB request types with a TableName field.
var dynamoInputs = map[string]sqltables.Op{
	"PutItemInput": sqltables.Write, "UpdateItemInput": sqltables.Write, "DeleteItemInput": sqltables.Write,
	"GetItemInput": sqltables.Read, "QueryInput": sqltables.Read, "ScanInput": sqltables.Read,
	"Put": sqltables.Write, "Update": sqltables.Write, "Delete": sqltables.Write, "Get": sqltables.Read, "ConditionCheck": sqltables.Read,
}

type Extractor struct {
	Tr        *TypedRepo
	Tp        *typedPkg
	G         *CallGraph
	file      *ast.File
	imports   map[string]string
	fn        FnKey
	seen      map[token.Pos]bool
	MongoVars map[types.Object]string // variables and fields holding a mongo collection
	ModelUsed map[*ast.CallExpr]bool  // gorm Model(…) calls whose table an operation already took
	Local     map[types.Object]ast.Expr
	Out       []AccessSite
}

func (x *Extractor) fileImports(prefixes ...string) bool {
	for _, p := range x.imports {
		for _, pre := range prefixes {
			if p == pre || strings.HasPrefix(p, pre+"/") {
				return true
			}
		}
	}
	return false
}

func (x *Extractor) Run() {
	x.seen = map[token.Pos]bool{}
	// Mongo collections bound to variables and fields are collected first, so uses anywhere in the package resolve.
	for _, f := range x.Tp.files {
		x.file, x.imports = f, x.Tp.imports[f]
		if x.fileImports("go.mongodb.org/mongo-driver") {
			x.bindMongo(f)
		}
	}
	for _, f := range x.Tp.files {
		x.file, x.imports = f, x.Tp.imports[f]
		for _, decl := range f.Decls {
			switch d := decl.(type) {
			case *ast.FuncDecl:
				if d.Body == nil {
					continue
				}
				obj, _ := x.Tp.info.Defs[d.Name].(*types.Func)
				if obj == nil {
					continue
				}
				x.walk(obj, d.Body)
			case *ast.GenDecl:
				if d.Tok == token.VAR {
					x.walk(x.Tp, d)
				}
			}
		}
	}
}

func (x *Extractor) add(table, store string, op sqltables.Op, pos token.Pos) {
	if table == "" {
		return
	}
	p := x.Tr.fset.Position(pos)
	x.Out = append(x.Out, AccessSite{Table: table, Store: store, Op: op, File: p.Filename, Line: p.Line, Fn: x.fn, Pkg: x.Tp.Pkg})
}

func (x *Extractor) walk(fn FnKey, root ast.Node) {
	prev := x.fn
	x.fn = fn
	defer func() { x.fn = prev }()
	ast.Inspect(root, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			if n != root {
				x.walk(n, n.Body)
				return false
			}
		case *ast.GenDecl:
			if n.Tok == token.CONST {
				return false // a constant is counted where it is used, not where it is declared
			}
		case *ast.AssignStmt:
			x.assign(n)
		case *ast.CallExpr:
			x.callExpr(n)
		case *ast.CompositeLit:
			x.compositeLit(n)
		case *ast.BasicLit, *ast.BinaryExpr, *ast.Ident:
			// A constant string that reads as SQL in capitals is SQL wherever it stands.
			if s, ok := x.constString(n.(ast.Expr)); ok && !x.seen[n.Pos()] && sqltables.Statement(s) {
				x.seen[n.Pos()] = true
				x.sql(s, n.Pos())
				return false
			}
		}
		return true
	})
}

// assign remembers local variables set once from an expression, so `q := "SELECT …"; db.Query(q)` resolves.
func (x *Extractor) assign(a *ast.AssignStmt) {
	if len(a.Lhs) != len(a.Rhs) {
		return
	}
	for i, l := range a.Lhs {
		if id, ok := l.(*ast.Ident); ok {
			if obj := x.Tp.info.Defs[id]; obj != nil {
				x.Local[obj] = a.Rhs[i]
			} else if obj := x.Tp.info.Uses[id]; obj != nil {
				x.Local[obj] = a.Rhs[i] // the last assignment wins: good enough for query strings
			}
		}
	}
}

// constString returns the value of a constant string expression, following local variables
// and fmt.Sprintf with constant arguments.
func (x *Extractor) constString(e ast.Expr) (string, bool) {
	return x.constStringDepth(e, 0)
}

func (x *Extractor) constStringDepth(e ast.Expr, depth int) (string, bool) {
	if depth > 4 {
		return "", false
	}
	e = ast.Unparen(e)
	if tv, ok := x.Tp.info.Types[e]; ok && tv.Value != nil && tv.Value.Kind() == constant.String {
		return constant.StringVal(tv.Value), true
	}
	switch e := e.(type) {
	case *ast.Ident:
		if obj := x.Tp.info.Uses[e]; obj != nil {
			if rhs, ok := x.Local[obj]; ok {
				return x.constStringDepth(rhs, depth+1)
			}
		}
	case *ast.BinaryExpr:
		if e.Op == token.ADD {
			l, ok1 := x.constStringDepth(e.X, depth+1)
			r, ok2 := x.constStringDepth(e.Y, depth+1)
			if ok1 && ok2 {
				return l + r, true
			}
		}
	case *ast.CallExpr:
		if sel, ok := e.Fun.(*ast.SelectorExpr); ok && len(e.Args) > 0 {
			if id, ok := sel.X.(*ast.Ident); ok && x.imports[id.Name] == "fmt" && sel.Sel.Name == "Sprintf" {
				format, ok := x.constStringDepth(e.Args[0], depth+1)
				if !ok {
					return "", false
				}
				var args []any
				for _, a := range e.Args[1:] {
					if tv, ok := x.Tp.info.Types[a]; ok && tv.Value != nil {
						args = append(args, constantValue(tv.Value))
					} else if s, ok := x.constStringDepth(a, depth+1); ok {
						args = append(args, s)
					} else {
						return "", false
					}
				}
				return fmt.Sprintf(format, args...), true
			}
		}
	}
	return "", false
}

func constantValue(v constant.Value) any {
	switch v.Kind() {
	case constant.String:
		return constant.StringVal(v)
	case constant.Int:
		if i, ok := constant.Int64Val(v); ok {
			return i
		}
	case constant.Bool:
		return constant.BoolVal(v)
	case constant.Float:
		f, _ := constant.Float64Val(v)
		return f
	}
	return v.String()
}

func (x *Extractor) sql(s string, pos token.Pos) {
	for _, a := range sqltables.Parse(s) {
		x.add(a.Table, "sql", a.Op, pos)
	}
}

// calleeName returns the called function's or method's name and, for a package-qualified
// call, the import path of its package.
func (x *Extractor) calleeName(call *ast.CallExpr) (name, pkg string, recv ast.Expr) {
	switch f := ast.Unparen(call.Fun).(type) {
	case *ast.Ident:
		return f.Name, "", nil
	case *ast.SelectorExpr:
		if id, ok := f.X.(*ast.Ident); ok {
			if p, ok := x.imports[id.Name]; ok && x.Tp.info.Uses[id] != nil {
				if _, isPkg := x.Tp.info.Uses[id].(*types.PkgName); isPkg {
					return f.Sel.Name, p, nil
				}
			}
		}
		return f.Sel.Name, "", f.X
	}
	return "", "", nil
}

func (x *Extractor) callExpr(call *ast.CallExpr) {
	name, _, recv := x.calleeName(call)
	if name == "" {
		return
	}
	// SQL handed to database/sql, sqlx, pgx, gorm.Raw, or any helper with such a name: the first
	// string argument is the query, when it starts like one; the others are data.
	if sqlCalls[name] {
		for _, arg := range call.Args {
			s, ok := x.constString(arg)
			if !ok {
				continue
			}
			if !x.seen[arg.Pos()] && sqltables.Starts(s) {
				x.seen[arg.Pos()] = true
				x.sql(s, arg.Pos())
			}
			break
		}
	}
	// pgx CopyFrom(ctx, pgx.Identifier{"schema", "table"}, …)
	if name == "CopyFrom" && len(call.Args) >= 2 && x.fileImports("github.com/jackc/pgx") {
		if lit, ok := ast.Unparen(call.Args[1]).(*ast.CompositeLit); ok {
			var parts []string
			for _, el := range lit.Elts {
				if s, ok := x.constString(el); ok {
					parts = append(parts, s)
				}
			}
			if len(parts) > 0 {
				x.add(strings.Join(parts, "."), "sql", sqltables.Write, call.Pos())
			}
		}
	}
	for _, b := range builders {
		op, ok := b.calls[name]
		if !ok || !x.fileImports(b.imports...) || len(call.Args) == 0 {
			continue
		}
		if s, ok := x.constString(call.Args[0]); ok {
			for _, a := range sqltables.Parse("FROM " + s) {
				x.add(a.Table, "sql", op, call.Pos())
			}
		}
	}
	if op, ok := gormOps[name]; ok && recv != nil && (x.fileImports(gormImports...) || x.Tp.Pkg.ImportsAny(gormImports...)) {
		x.gorm(call, recv, op)
	}
	// A Model(&T{}) chain that ends in no operation still reads T's table: a subquery.
	if name == "Model" && recv != nil && len(call.Args) == 1 && !x.ModelUsed[call] && (x.fileImports(gormImports...) || x.Tp.Pkg.ImportsAny(gormImports...)) {
		if t := x.modelTable(call.Args[0]); t != "" {
			x.add(t, "sql", sqltables.Read, call.Pos())
		}
	}
	if op, ok := entOps[name]; ok && recv != nil {
		if table := x.entTable(recv); table != "" {
			x.add(table, "sql", op, call.Pos())
		}
	}
	if op, ok := mongoOps[name]; ok && recv != nil && x.fileImports("go.mongodb.org/mongo-driver") {
		if coll := x.mongoCollection(recv); coll != "" {
			x.add(coll, "mongo", op, call.Pos())
		}
	}
}

// gorm finds the table of a gorm call: .Table("t") or .Model(&T{}) earlier in the chain, else
// the type of the model argument: its TableName() or gorm's naming convention.
func (x *Extractor) gorm(call *ast.CallExpr, recv ast.Expr, op sqltables.Op) {
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
				if s, ok := x.constString(c.Args[0]); ok {
					for _, a := range sqltables.Parse("FROM " + s) {
						x.add(a.Table, "sql", op, call.Pos())
					}
					return
				}
			}
		case "Model":
			if len(c.Args) > 0 {
				if t := x.modelTable(c.Args[0]); t != "" {
					x.ModelUsed[c] = true
					x.add(t, "sql", op, call.Pos())
					return
				}
			}
		}
		e = sel.X
	}
	for _, arg := range call.Args {
		if t := x.modelTable(arg); t != "" {
			x.add(t, "sql", op, call.Pos())
			return
		}
	}
}

// modelTable names the table of a model expression: &User{}, users ([]User), &order.
func (x *Extractor) modelTable(e ast.Expr) string {
	named := x.G.repoNamed(x.Tp.info.Types[e].Type)
	if named == nil {
		return ""
	}
	if _, ok := named.Underlying().(*types.Struct); !ok {
		return ""
	}
	return x.tableName(named)
}

// tableName returns what a model type's TableName method returns, when it is a constant, else
// gorm's convention: the type's name in snake case, plural.
func (x *Extractor) tableName(named *types.Named) string {
	for i := 0; i < named.NumMethods(); i++ {
		m := named.Method(i)
		if m.Name() != "TableName" {
			continue
		}
		if decl := x.funcDecl(m); decl != nil && decl.Body != nil && len(decl.Body.List) == 1 {
			if ret, ok := decl.Body.List[0].(*ast.ReturnStmt); ok && len(ret.Results) == 1 {
				if tp := x.Tr.ByPath[m.Pkg().Path()]; tp != nil {
					if tv, ok := tp.info.Types[ret.Results[0]]; ok && tv.Value != nil && tv.Value.Kind() == constant.String {
						return constant.StringVal(tv.Value)
					}
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
		}
	}
	return plural(snake(named.Obj().Name()))
}

func (x *Extractor) funcDecl(fn *types.Func) *ast.FuncDecl {
	tp := x.Tr.ByPath[fn.Pkg().Path()]
	if tp == nil {
		return nil
	}
	for _, f := range tp.files {
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && tp.info.Defs[fd.Name] == fn {
				return fd
			}
		}
	}
	return nil
}

// snake turns OrderItem into order_item, HTTPLog into http_log.
func snake(s string) string {
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

// plural makes an English plural the way gorm's default namer does for common words.
func plural(s string) string {
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

// bindMongo records variables and fields assigned from Collection("name").
func (x *Extractor) bindMongo(f *ast.File) {
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			for i, rhs := range n.Rhs {
				if i < len(n.Lhs) {
					if name := x.collectionCall(rhs); name != "" {
						if obj := x.objectOf(n.Lhs[i]); obj != nil {
							x.MongoVars[obj] = name
						}
					}
				}
			}
		case *ast.ValueSpec:
			for i, v := range n.Values {
				if name := x.collectionCall(v); name != "" && i < len(n.Names) {
					if obj := x.Tp.info.Defs[n.Names[i]]; obj != nil {
						x.MongoVars[obj] = name
					}
				}
			}
		case *ast.KeyValueExpr:
			if name := x.collectionCall(n.Value); name != "" {
				if id, ok := n.Key.(*ast.Ident); ok {
					if obj := x.Tp.info.Uses[id]; obj != nil {
						x.MongoVars[obj] = name
					}
				}
			}
		}
		return true
	})
}

func (x *Extractor) objectOf(e ast.Expr) types.Object {
	switch e := ast.Unparen(e).(type) {
	case *ast.Ident:
		if obj := x.Tp.info.Defs[e]; obj != nil {
			return obj
		}
		return x.Tp.info.Uses[e]
	case *ast.SelectorExpr:
		return x.Tp.info.Uses[e.Sel]
	}
	return nil
}

// collectionCall returns the name in a ….Collection("name") call.
func (x *Extractor) collectionCall(e ast.Expr) string {
	call, ok := ast.Unparen(e).(*ast.CallExpr)
	if !ok || len(call.Args) == 0 {
		return ""
	}
	if sel, ok := call.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "Collection" {
		if s, ok := x.constString(call.Args[0]); ok {
			return s
		}
	}
	return ""
}

// mongoCollection names the collection a method is called on: a Collection("x") call, or a
// variable or field bound to one.
func (x *Extractor) mongoCollection(recv ast.Expr) string {
	if name := x.collectionCall(recv); name != "" {
		return name
	}
	if obj := x.objectOf(recv); obj != nil {
		return x.MongoVars[obj]
	}
	return ""
}

// compositeLit reads DynamoDB requests: dynamodb.PutItemInput{TableName: aws.String("orders")}.
func (x *Extractor) compositeLit(lit *ast.CompositeLit) {
	var typeName, pkgPath string
	switch t := lit.Type.(type) {
	case *ast.SelectorExpr:
		if id, ok := t.X.(*ast.Ident); ok {
			typeName, pkgPath = t.Sel.Name, x.imports[id.Name]
		}
	}
	if !strings.HasSuffix(pkgPath, "/service/dynamodb") && !strings.HasSuffix(pkgPath, "/service/dynamodb/types") {
		return
	}
	op, ok := dynamoInputs[typeName]
	if !ok {
		return
	}
	for _, el := range lit.Elts {
		kv, ok := el.(*ast.KeyValueExpr)
		if !ok {
			continue
		}
		if k, ok := kv.Key.(*ast.Ident); !ok || k.Name != "TableName" {
			continue
		}
		if name := x.nameValue(kv.Value); name != "" {
			x.add(name, "dynamodb", op, lit.Pos())
		}
	}
}

// nameValue reads a name (a DynamoDB table, a queue, a topic): aws.String("t"), &name, a constant,
// or os.Getenv("T") as $T.
func (x *Extractor) nameValue(e ast.Expr) string {
	e = ast.Unparen(e)
	if u, ok := e.(*ast.UnaryExpr); ok && u.Op == token.AND {
		e = u.X
	}
	if s, ok := x.constString(e); ok {
		return s
	}
	if call, ok := e.(*ast.CallExpr); ok && len(call.Args) == 1 {
		name, pkg, _ := x.calleeName(call)
		switch {
		case name == "Getenv" && pkg == "os":
			if s, ok := x.constString(call.Args[0]); ok {
				return "$" + s
			}
		case name == "String":
			return x.nameValue(call.Args[0])
		}
	}
	if id, ok := e.(*ast.Ident); ok {
		if obj := x.Tp.info.Uses[id]; obj != nil {
			if rhs, ok := x.Local[obj]; ok {
				return x.nameValue(rhs)
			}
		}
	}
	return ""
}

// entTable names the table behind an ent-generated client: recv is a *UserClient of a package
// that imports entgo.io/ent, and the generated user package holds `const Table = "users"`.
func (x *Extractor) entTable(recv ast.Expr) string {
	named := x.G.repoNamed(x.Tp.info.Types[recv].Type)
	if named == nil || !strings.HasSuffix(named.Obj().Name(), "Client") || named.Obj().Name() == "Client" {
		return ""
	}
	gen := x.Tr.ByPath[named.Obj().Pkg().Path()]
	if gen == nil || gen == x.Tp || !gen.Pkg.ImportsAny("entgo.io/ent") {
		return "" // not ent's, or the generated client's own plumbing
	}
	entity := strings.TrimSuffix(named.Obj().Name(), "Client")
	if sub := x.Tr.ByPath[gen.Pkg.Path+"/"+strings.ToLower(entity)]; sub != nil && sub.Types != nil {
		if c, ok := sub.Types.Scope().Lookup("Table").(*types.Const); ok && c.Val().Kind() == constant.String {
			return constant.StringVal(c.Val())
		}
	}
	return plural(snake(entity))
}

// importsEntClient reports whether a package imports a package that ent generated.
func ImportsEntClient(tr *TypedRepo, tp *typedPkg) bool {
	for _, imp := range tp.Pkg.Imports {
		if dep := tr.ByPath[imp.Path]; dep != nil && !imp.Test && dep.Pkg.ImportsAny("entgo.io/ent") {
			return true
		}
	}
	return false
}
