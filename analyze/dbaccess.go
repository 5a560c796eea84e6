package analyze

import (
	"fmt"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"strconv"
	"strings"
	"unicode"

	"github.com/cleave-dev/cleave/analyze/sqltables"
)

// dbLibraries are the import paths that make a package worth reading for database access.
var dbLibraries = []string{
	"database/sql", "github.com/jmoiron/sqlx", "github.com/jackc/pgx", "github.com/lib/pq",
	"gorm.io/gorm", "github.com/jinzhu/gorm", "github.com/uptrace/bun", "github.com/Masterminds/squirrel",
	"github.com/doug-martin/goqu", "go.mongodb.org/mongo-driver", "github.com/aws/aws-sdk-go-v2/service/dynamodb",
	"github.com/aws/aws-sdk-go/service/dynamodb", "entgo.io/ent", "github.com/go-sql-driver/mysql",
	"github.com/gobuffalo/pop", "github.com/ory/pop",
}

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
type accessSite struct {
	table, store string
	op           sqltables.Op
	file         string
	line         int
	fn           fnKey
	pkg          *Package
	// fixed is set for accesses outside Go code (sqlc's .sql files): module and deployables are
	// given, not derived from the package and the call graph.
	fixed       bool
	module      string
	deployables []string
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

// findAccesses reads every typed package that uses a database library for the tables it touches.
func findAccesses(tr *typedRepo, g *callGraph) []accessSite {
	var out []accessSite
	for _, tp := range tr.pkgs {
		// SQL is found where its text is written or a database library is called.
		if tp.types == nil || !tp.bodies || !tp.pkg.SQLText && !tp.pkg.importsAny(dbLibraries...) && !importsEntClient(tr, tp) {
			continue
		}
		x := &extractor{tr: tr, tp: tp, g: g, mongoVars: map[types.Object]string{}, local: map[types.Object]ast.Expr{}, modelUsed: map[*ast.CallExpr]bool{}}
		x.run()
		out = append(out, x.out...)
	}
	return out
}

type extractor struct {
	tr        *typedRepo
	tp        *typedPkg
	g         *callGraph
	file      *ast.File
	imports   map[string]string
	fn        fnKey
	seen      map[token.Pos]bool
	mongoVars map[types.Object]string // variables and fields holding a mongo collection
	modelUsed map[*ast.CallExpr]bool  // gorm Model(…) calls whose table an operation already took
	local     map[types.Object]ast.Expr
	out       []accessSite
}

func (x *extractor) fileImports(prefixes ...string) bool {
	for _, p := range x.imports {
		for _, pre := range prefixes {
			if p == pre || strings.HasPrefix(p, pre+"/") {
				return true
			}
		}
	}
	return false
}

func (x *extractor) run() {
	x.seen = map[token.Pos]bool{}
	// Mongo collections bound to variables and fields are collected first, so uses anywhere in the package resolve.
	for _, f := range x.tp.files {
		x.file, x.imports = f, x.tp.imports[f]
		if x.fileImports("go.mongodb.org/mongo-driver") {
			x.bindMongo(f)
		}
	}
	for _, f := range x.tp.files {
		x.file, x.imports = f, x.tp.imports[f]
		for _, decl := range f.Decls {
			switch d := decl.(type) {
			case *ast.FuncDecl:
				if d.Body == nil {
					continue
				}
				obj, _ := x.tp.info.Defs[d.Name].(*types.Func)
				if obj == nil {
					continue
				}
				x.walk(obj, d.Body)
			case *ast.GenDecl:
				if d.Tok == token.VAR {
					x.walk(x.tp, d)
				}
			}
		}
	}
}

func (x *extractor) add(table, store string, op sqltables.Op, pos token.Pos) {
	if table == "" {
		return
	}
	p := x.tr.fset.Position(pos)
	x.out = append(x.out, accessSite{table: table, store: store, op: op, file: p.Filename, line: p.Line, fn: x.fn, pkg: x.tp.pkg})
}

func (x *extractor) walk(fn fnKey, root ast.Node) {
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
func (x *extractor) assign(a *ast.AssignStmt) {
	if len(a.Lhs) != len(a.Rhs) {
		return
	}
	for i, l := range a.Lhs {
		if id, ok := l.(*ast.Ident); ok {
			if obj := x.tp.info.Defs[id]; obj != nil {
				x.local[obj] = a.Rhs[i]
			} else if obj := x.tp.info.Uses[id]; obj != nil {
				x.local[obj] = a.Rhs[i] // the last assignment wins: good enough for query strings
			}
		}
	}
}

// constString returns the value of a constant string expression, following local variables
// and fmt.Sprintf with constant arguments.
func (x *extractor) constString(e ast.Expr) (string, bool) {
	return x.constStringDepth(e, 0)
}

func (x *extractor) constStringDepth(e ast.Expr, depth int) (string, bool) {
	if depth > 4 {
		return "", false
	}
	e = ast.Unparen(e)
	if tv, ok := x.tp.info.Types[e]; ok && tv.Value != nil && tv.Value.Kind() == constant.String {
		return constant.StringVal(tv.Value), true
	}
	switch e := e.(type) {
	case *ast.Ident:
		if obj := x.tp.info.Uses[e]; obj != nil {
			if rhs, ok := x.local[obj]; ok {
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
					if tv, ok := x.tp.info.Types[a]; ok && tv.Value != nil {
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

func (x *extractor) sql(s string, pos token.Pos) {
	for _, a := range sqltables.Parse(s) {
		x.add(a.Table, "sql", a.Op, pos)
	}
}

// calleeName returns the called function's or method's name and, for a package-qualified
// call, the import path of its package.
func (x *extractor) calleeName(call *ast.CallExpr) (name, pkg string, recv ast.Expr) {
	switch f := ast.Unparen(call.Fun).(type) {
	case *ast.Ident:
		return f.Name, "", nil
	case *ast.SelectorExpr:
		if id, ok := f.X.(*ast.Ident); ok {
			if p, ok := x.imports[id.Name]; ok && x.tp.info.Uses[id] != nil {
				if _, isPkg := x.tp.info.Uses[id].(*types.PkgName); isPkg {
					return f.Sel.Name, p, nil
				}
			}
		}
		return f.Sel.Name, "", f.X
	}
	return "", "", nil
}

func (x *extractor) callExpr(call *ast.CallExpr) {
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
	if op, ok := gormOps[name]; ok && recv != nil && (x.fileImports(gormImports...) || x.tp.pkg.importsAny(gormImports...)) {
		x.gorm(call, recv, op)
	}
	// A Model(&T{}) chain that ends in no operation still reads T's table: a subquery.
	if name == "Model" && recv != nil && len(call.Args) == 1 && !x.modelUsed[call] && (x.fileImports(gormImports...) || x.tp.pkg.importsAny(gormImports...)) {
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
func (x *extractor) gorm(call *ast.CallExpr, recv ast.Expr, op sqltables.Op) {
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
					x.modelUsed[c] = true
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
func (x *extractor) modelTable(e ast.Expr) string {
	named := x.g.repoNamed(x.tp.info.Types[e].Type)
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
func (x *extractor) tableName(named *types.Named) string {
	for i := 0; i < named.NumMethods(); i++ {
		m := named.Method(i)
		if m.Name() != "TableName" {
			continue
		}
		if decl := x.funcDecl(m); decl != nil && decl.Body != nil && len(decl.Body.List) == 1 {
			if ret, ok := decl.Body.List[0].(*ast.ReturnStmt); ok && len(ret.Results) == 1 {
				if tp := x.tr.byPath[m.Pkg().Path()]; tp != nil {
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

func (x *extractor) funcDecl(fn *types.Func) *ast.FuncDecl {
	tp := x.tr.byPath[fn.Pkg().Path()]
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
func (x *extractor) bindMongo(f *ast.File) {
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			for i, rhs := range n.Rhs {
				if i < len(n.Lhs) {
					if name := x.collectionCall(rhs); name != "" {
						if obj := x.objectOf(n.Lhs[i]); obj != nil {
							x.mongoVars[obj] = name
						}
					}
				}
			}
		case *ast.ValueSpec:
			for i, v := range n.Values {
				if name := x.collectionCall(v); name != "" && i < len(n.Names) {
					if obj := x.tp.info.Defs[n.Names[i]]; obj != nil {
						x.mongoVars[obj] = name
					}
				}
			}
		case *ast.KeyValueExpr:
			if name := x.collectionCall(n.Value); name != "" {
				if id, ok := n.Key.(*ast.Ident); ok {
					if obj := x.tp.info.Uses[id]; obj != nil {
						x.mongoVars[obj] = name
					}
				}
			}
		}
		return true
	})
}

func (x *extractor) objectOf(e ast.Expr) types.Object {
	switch e := ast.Unparen(e).(type) {
	case *ast.Ident:
		if obj := x.tp.info.Defs[e]; obj != nil {
			return obj
		}
		return x.tp.info.Uses[e]
	case *ast.SelectorExpr:
		return x.tp.info.Uses[e.Sel]
	}
	return nil
}

// collectionCall returns the name in a ….Collection("name") call.
func (x *extractor) collectionCall(e ast.Expr) string {
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
func (x *extractor) mongoCollection(recv ast.Expr) string {
	if name := x.collectionCall(recv); name != "" {
		return name
	}
	if obj := x.objectOf(recv); obj != nil {
		return x.mongoVars[obj]
	}
	return ""
}

// compositeLit reads DynamoDB requests: dynamodb.PutItemInput{TableName: aws.String("orders")}.
func (x *extractor) compositeLit(lit *ast.CompositeLit) {
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
func (x *extractor) nameValue(e ast.Expr) string {
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
		if obj := x.tp.info.Uses[id]; obj != nil {
			if rhs, ok := x.local[obj]; ok {
				return x.nameValue(rhs)
			}
		}
	}
	return ""
}

// entTable names the table behind an ent-generated client: recv is a *UserClient of a package
// that imports entgo.io/ent, and the generated user package holds `const Table = "users"`.
func (x *extractor) entTable(recv ast.Expr) string {
	named := x.g.repoNamed(x.tp.info.Types[recv].Type)
	if named == nil || !strings.HasSuffix(named.Obj().Name(), "Client") || named.Obj().Name() == "Client" {
		return ""
	}
	gen := x.tr.byPath[named.Obj().Pkg().Path()]
	if gen == nil || gen == x.tp || !gen.pkg.importsAny("entgo.io/ent") {
		return "" // not ent's, or the generated client's own plumbing
	}
	entity := strings.TrimSuffix(named.Obj().Name(), "Client")
	if sub := x.tr.byPath[gen.pkg.Path+"/"+strings.ToLower(entity)]; sub != nil && sub.types != nil {
		if c, ok := sub.types.Scope().Lookup("Table").(*types.Const); ok && c.Val().Kind() == constant.String {
			return constant.StringVal(c.Val())
		}
	}
	return plural(snake(entity))
}

// importsEntClient reports whether a package imports a package that ent generated.
func importsEntClient(tr *typedRepo, tp *typedPkg) bool {
	for _, imp := range tp.pkg.Imports {
		if dep := tr.byPath[imp.Path]; dep != nil && !imp.Test && dep.pkg.importsAny("entgo.io/ent") {
			return true
		}
	}
	return false
}
