package typed

import (
	"go/ast"
	"go/types"
	"net/url"
	"reflect"
	"regexp"
	"strconv"
	"strings"
)

// ConnectCall is a function that opens a database connection, and which argument holds the DSN.
type ConnectCall struct {
	Pkg  string // import path, or a prefix of it ("github.com/jackc/pgx" matches v4 and v5)
	Name string
	Arg  int
}

type ConnSite struct {
	Setting string
	File    string
	Line    int
	Fn      FnKey // the function whose reachability decides the deployables
}

func (x *Extractor) Connections(fn *types.Func, fd *ast.FuncDecl) []ConnSite {
	var out []ConnSite
	params := map[types.Object]int{}
	i := 0
	for _, field := range fd.Type.Params.List {
		for _, n := range field.Names {
			if obj := x.Tp.info.Defs[n]; obj != nil {
				params[obj] = i
			}
			i++
		}
		if len(field.Names) == 0 {
			i++
		}
	}
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			x.assign(n)
		case *ast.CallExpr:
			name, pkg, recv := x.CalleeName(n)
			arg := -1
			for _, c := range x.Connects {
				if c.Name == name && pkg != "" && strings.HasPrefix(pkg, c.Pkg) {
					arg = c.Arg
					break
				}
			}
			if arg < 0 && name == "ApplyURI" && recv != nil && x.FileImports("go.mongodb.org/mongo-driver") {
				arg = 0
			}
			if arg < 0 && name == "Open" && pkg != "" && x.entGenerated(pkg) { // ent.Open(driver, dsn)
				arg = 1
			}
			if arg < 0 || arg >= len(n.Args) {
				return true
			}
			pos := x.Tr.fset.Position(n.Pos())
			if s := x.setting(n.Args[arg]); s != "" {
				out = append(out, ConnSite{Setting: s, File: pos.Filename, Line: pos.Line, Fn: fn})
				return true
			}
			// One level of helper: the DSN is a parameter, or os.Getenv of a parameter; read it at each call site.
			idx, viaEnv := x.paramOf(n.Args[arg], params)
			if idx < 0 {
				return true
			}
			for _, site := range x.G.callers[fn] {
				if idx >= len(site.call.Args) {
					continue
				}
				sx := x.atSite(site)
				var s string
				if viaEnv {
					if v, ok := sx.ConstString(site.call.Args[idx]); ok {
						s = "env:" + v
					}
				} else {
					s = sx.setting(site.call.Args[idx])
				}
				if s != "" {
					p := x.Tr.fset.Position(site.call.Pos())
					out = append(out, ConnSite{Setting: s, File: p.Filename, Line: p.Line, Fn: site.caller})
				}
			}
		}
		return true
	})
	return out
}

// entGenerated reports whether an import path is a package that ent generated (it imports entgo.io/ent).
func (x *Extractor) entGenerated(path string) bool {
	tp := x.Tr.ByPath[path]
	return tp != nil && tp.Pkg.ImportsAny("entgo.io/ent")
}

// EachFunc calls fn for every function with a body in the extractor's package, with the
// file's imports set.
func (x *Extractor) EachFunc(fn func(obj *types.Func, fd *ast.FuncDecl)) {
	for _, f := range x.Tp.files {
		x.imports = x.Tp.imports[f]
		for _, decl := range f.Decls {
			fd, ok := decl.(*ast.FuncDecl)
			if !ok || fd.Body == nil {
				continue
			}
			if obj, _ := x.Tp.info.Defs[fd.Name].(*types.Func); obj != nil {
				fn(obj, fd)
			}
		}
	}
}

// importsOfCall finds the import names of the file holding a call site.
func importsOfCall(site callSite) map[string]string {
	return site.tp.imports[site.tp.fileAt(site.call.Pos())]
}

// paramOf reports whether e is a parameter of the function (index), or os.Getenv of one (viaEnv).
func (x *Extractor) paramOf(e ast.Expr, params map[types.Object]int) (int, bool) {
	e = ast.Unparen(e)
	if id, ok := e.(*ast.Ident); ok {
		if i, ok := params[x.Tp.info.Uses[id]]; ok {
			return i, false
		}
	}
	if call, ok := e.(*ast.CallExpr); ok && len(call.Args) == 1 {
		if name, pkg, _ := x.CalleeName(call); envRead(pkg, name) {
			if id, ok := ast.Unparen(call.Args[0]).(*ast.Ident); ok {
				if i, ok := params[x.Tp.info.Uses[id]]; ok {
					return i, true
				}
			}
		}
	}
	return -1, false
}

var envTag = regexp.MustCompile(`(?:^|\s)(?:env|envconfig):"([^",]+)`)

// setting names the connection setting an expression reads: an environment variable (os.Getenv,
// a variable set from it, a struct field tagged env:"…"), or a DSN literal.
func (x *Extractor) setting(e ast.Expr) string {
	e = ast.Unparen(e)
	if s, ok := x.ConstString(e); ok {
		return "dsn:" + RedactDSN(s)
	}
	switch e := e.(type) {
	case *ast.CallExpr:
		name, pkg, _ := x.CalleeName(e)
		if envRead(pkg, name) && len(e.Args) == 1 {
			if s, ok := x.ConstString(e.Args[0]); ok {
				return "env:" + s
			}
		}
		// A driver's Open(dsn) inside gorm.Open(postgres.Open(dsn)) is found on its own.
	case *ast.Ident:
		if obj := x.Tp.info.Uses[e]; obj != nil {
			if rhs, ok := x.Local[obj]; ok {
				return x.setting(rhs)
			}
		}
	case *ast.SelectorExpr:
		if v, ok := x.Tp.info.Uses[e.Sel].(*types.Var); ok && v.IsField() {
			if tag := fieldTag(x.Tr, v); tag != "" {
				if m := envTag.FindStringSubmatch(tag); m != nil {
					return "env:" + m[1]
				}
			}
		}
	}
	return ""
}

// fieldTag returns the struct tag of a field of a repository type.
func fieldTag(tr *TypedRepo, field *types.Var) string {
	if field.Pkg() == nil {
		return ""
	}
	tp := tr.ByPath[field.Pkg().Path()]
	if tp == nil {
		return ""
	}
	decl, _ := tp.declaring(field.Pos())
	if fl, ok := decl.(*ast.Field); ok && fl.Tag != nil {
		t, _ := strconv.Unquote(fl.Tag.Value)
		return string(reflect.StructTag(t))
	}
	return ""
}

var kvPassword = regexp.MustCompile(`(?i)(password|pwd)=([^ ;]*)`)

// RedactDSN hides the password in a DSN: postgres://u:secret@h/db becomes postgres://u:***@h/db.
func RedactDSN(s string) string {
	if u, err := url.Parse(s); err == nil && u.User != nil {
		if _, has := u.User.Password(); has {
			u.User = url.UserPassword(u.User.Username(), "***")
			return strings.Replace(u.String(), "%2A%2A%2A", "***", 1)
		}
		return s
	}
	if i := strings.Index(s, "@tcp("); i > 0 { // mysql: user:pass@tcp(host)/db
		if j := strings.IndexByte(s[:i], ':'); j >= 0 {
			return s[:j+1] + "***" + s[i:]
		}
	}
	return kvPassword.ReplaceAllString(s, "$1=***")
}
