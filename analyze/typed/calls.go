package typed

import (
	"fmt"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"maps"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"unicode"

	"github.com/cleave-dev/cleave/analyze/astutil"
	"github.com/cleave-dev/cleave/analyze/manifests"
	"github.com/cleave-dev/cleave/analyze/model"
)

// ClientCall reads a call to another service (an HTTP request, a gRPC client): its kind
// ("http", "grpc-client", "grpc-server"), protocol and target, or "" when the call is none.
type ClientCall func(x *Extractor, call *ast.CallExpr, name, pkg string, recv ast.Expr) (kind, protocol, target string)

// Transport is what a message transport's recogniser says: the composite literal types and the
// calls that publish or consume, and where each holds its topic.
type Transport struct {
	Imports  []string
	Protocol string
	// Lits: composite literal type name -> the field holding the topic, and whether it produces.
	Lits map[string]LitTopic
	// Calls: method or function name -> the index of the topic argument, and whether it produces.
	Calls map[string]CallTopic
}

// LitTopic is where a composite literal holds its topic: any of its fields (kafka-go's
// ReaderConfig has Topic and GroupTopics).
type LitTopic struct {
	Fields  []string
	Produce bool
}

// CallTopic is which argument of a call holds its topic (-1: none to read). Exchange, when
// HasExchange is set, is the argument naming an AMQP exchange: the topic is then the exchange
// and the routing key together (exchange:key), or the key alone on the default exchange "".
type CallTopic struct {
	Arg         int
	Produce     bool
	HasExchange bool
	Exchange    int
	// Recv: the call must be a method of a value declared with the transport's library
	// (asynq's ServeMux.Handle, not net/http's in the same file).
	Recv bool
	// Field, when set, is the field of the argument that holds the topic: the argument is a
	// config struct a configuration library fills (go-queue's kq.KqConf and its Topic).
	Field string
}

// declaredWith reports whether a method call's receiver is a value declared with one of the
// libraries (mux := asynq.NewServeMux(), a field of an asynq type).
func (x *Extractor) declaredWith(recv ast.Expr, imports []string) bool {
	if recv == nil {
		return false
	}
	libs := x.LibrariesOf(recv)
	if id, ok := ast.Unparen(recv).(*ast.Ident); ok {
		if rhs, ok := x.Local[x.Tp.info.Uses[id]]; ok { // mux := asynq.NewServeMux()
			libs = append(libs, referencedImports(rhs, x.imports)...)
		}
	}
	for _, lib := range libs {
		if model.PathMatches(lib, imports...) {
			return true
		}
	}
	return false
}

// BindFields remembers, package-wide, what struct fields are set from (Config{URL: os.Getenv(…)},
// c.base = …), so that a URL built from a field resolves.
func (x *Extractor) BindFields() {
	maps.Copy(x.Local, x.Tp.fieldValues())
}

// fieldValues is what BindFields binds: the value of each field set in a composite literal
// or assigned, the last in source order winning. It is read once per package, since every
// call site that resolves a value through its callers asks for its package's fields.
func (tp *typedPkg) fieldValues() map[types.Object]ast.Expr {
	tp.fieldsOnce.Do(func() {
		tp.fields, tp.fieldSets = map[types.Object]ast.Expr{}, map[types.Object][]ast.Expr{}
		set := func(field types.Object, v ast.Expr) {
			tp.fields[field] = v
			tp.fieldSets[field] = append(tp.fieldSets[field], v)
		}
		for _, f := range tp.files {
			ast.Inspect(f, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.CompositeLit:
					// Fields given in order (&Client{c, baseURL}): the i-th value is the i-th field's.
					if len(n.Elts) == 0 || slices.ContainsFunc(n.Elts, func(e ast.Expr) bool { _, kv := e.(*ast.KeyValueExpr); return kv }) {
						break
					}
					if t := tp.info.Types[n].Type; t == nil {
						break
					} else if st, ok := t.Underlying().(*types.Struct); ok && st.NumFields() == len(n.Elts) {
						for i, e := range n.Elts {
							set(st.Field(i), e)
						}
					}
				case *ast.KeyValueExpr:
					if id, ok := n.Key.(*ast.Ident); ok {
						if v, ok := tp.info.Uses[id].(*types.Var); ok && v.IsField() {
							set(v, n.Value)
						}
					}
				case *ast.AssignStmt:
					if len(n.Lhs) == len(n.Rhs) {
						for i, l := range n.Lhs {
							if sel, ok := l.(*ast.SelectorExpr); ok {
								if v, ok := tp.info.Uses[sel.Sel].(*types.Var); ok && v.IsField() {
									set(v, n.Rhs[i])
								}
							}
						}
					}
				}
				return true
			})
		}
	})
	return tp.fields
}

func (x *Extractor) Endpoints(fn FnKey, body *ast.BlockStmt) []Endpoint {
	var out []Endpoint
	var walk func(cur FnKey, root ast.Node)
	walk = func(cur FnKey, root ast.Node) {
		// add records an outbound site of the function being walked (a function literal is one of its own).
		add := func(kind, protocol, target string, pos token.Pos) {
			if target == "" {
				return
			}
			out = append(out, x.endpoint(cur, kind, protocol, target, pos))
		}
		ast.Inspect(root, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.FuncLit:
				if n != root {
					walk(n, n.Body)
					return false
				}
			case *ast.AssignStmt:
				x.assign(n)
			case *ast.CallExpr:
				name, pkg, recv := x.CalleeName(n)
				for _, read := range x.Clients {
					x.urlArg = nil
					if kind, protocol, target := read(x, n, name, pkg, recv); kind != "" {
						if kind == "http" && strings.HasPrefix(target, unknown) && x.urlArg != nil {
							// a helper's parameter that its callers set to different URLs
							if eps := x.urlEndpoints(protocol, x.urlArg); len(eps) > 0 {
								out = append(out, eps...)
								break
							}
						}
						add(kind, protocol, target, n.Pos())
						if kind == "grpc-client" && target != "" {
							out[len(out)-1].Via = x.clientInterface(n)
						}
						break
					}
				}
				for _, r := range x.Transports {
					ct, ok := r.Calls[name]
					if !ok || ct.Arg < 0 || ct.Arg >= len(n.Args) || !x.FileImports(r.Imports...) || ct.Recv && !x.declaredWith(recv, r.Imports) {
						continue
					}
					kind := "consume"
					if ct.Produce {
						kind = "produce"
					}
					if ct.Field != "" {
						for _, t := range x.FieldTopics(n.Args[ct.Arg], ct.Field) {
							add(kind, r.Protocol, t, n.Pos())
						}
						continue
					}
					if ct.HasExchange && ct.Exchange < len(n.Args) {
						out = append(out, x.exchangeEndpoints(cur, kind, r.Protocol, n.Args[ct.Exchange], n.Args[ct.Arg], n.Pos())...)
						continue
					}
					out = append(out, x.topicEndpoints(cur, kind, r.Protocol, n.Args[ct.Arg], n.Pos())...)
				}
			case *ast.CompositeLit:
				sel, ok := n.Type.(*ast.SelectorExpr)
				if !ok {
					return true
				}
				for _, r := range x.Transports {
					lt, ok := r.Lits[sel.Sel.Name]
					if !ok || !x.FileImports(r.Imports...) {
						continue
					}
					kind := "consume"
					if lt.Produce {
						kind = "produce"
					}
					for name, v := range astutil.KeyedFields(n) {
						if slices.Contains(lt.Fields, name) {
							out = append(out, x.topicEndpoints(cur, kind, r.Protocol, v, n.Pos())...)
						}
					}
				}
			}
			return true
		})
	}
	walk(fn, body)
	return out
}

// URLOf renders the URL a client call is given (URLText), and keeps the expression: where it
// is a parameter whose callers pass different URLs, each caller makes an endpoint of its own.
func (x *Extractor) URLOf(e ast.Expr) string {
	x.urlArg = e
	return x.URLText(e, 0)
}

// urlEndpoints are the HTTP endpoints of a call whose URL is a parameter of the function
// that makes it (a health checker's url, a request helper's): one at each call of that
// function whose URL is known, at the call and in the calling function, a few levels up;
// nil when the URL is no parameter, or no caller tells one.
func (x *Extractor) urlEndpoints(protocol string, e ast.Expr) []Endpoint {
	var out []Endpoint
	var up func(x *Extractor, e ast.Expr, depth int)
	up = func(x *Extractor, e ast.Expr, depth int) {
		if depth >= 3 {
			return
		}
		sites, idx := x.paramSites(e)
		for _, site := range sites {
			sx := x.callerSide(site)
			arg := site.call.Args[idx]
			if t := sx.URLText(arg, 0); !strings.HasPrefix(t, unknown) {
				out = append(out, sx.endpoint(site.caller, "http", protocol, t, site.call.Pos()))
				continue
			}
			up(sx, arg, depth+1)
		}
	}
	up(x, e, 0)
	return out
}

// clientInterface is the repository interface a client constructor returns (a generated
// XClient), nil for any other result.
func (x *Extractor) clientInterface(call *ast.CallExpr) *types.Named {
	if t := x.G.repoNamed(x.TypeOf(call)); t != nil && types.IsInterface(t) {
		return t.Origin()
	}
	return nil
}

// endpoint is an outbound site at pos, in fn of the extractor's package.
func (x *Extractor) endpoint(fn FnKey, kind, protocol, target string, pos token.Pos) Endpoint {
	p := x.Tr.fset.Position(pos)
	return Endpoint{Kind: kind, Protocol: protocol, Target: target, File: p.Filename, Line: p.Line, Fn: fn, Pkg: x.Tp.Pkg}
}

// topicEndpoints are the endpoints of a publish or subscribe whose topic is e, at pos in fn.
// When the topic is a parameter that the callers set to different topics (a messaging wrapper:
// bus.Publish(ctx, "order-placed", …) here, bus.Publish(ctx, "order-cancelled", …) there), each
// call of the wrapper is an endpoint of its own, at the call and in the calling function, a few
// wrappers up.
func (x *Extractor) topicEndpoints(fn FnKey, kind, protocol string, e ast.Expr, pos token.Pos) []Endpoint {
	var out []Endpoint
	at := func(x *Extractor, fn FnKey, pos token.Pos, topics []string) {
		for _, t := range topics {
			out = append(out, x.endpoint(fn, kind, protocol, t, pos))
		}
	}
	var up func(x *Extractor, fn FnKey, e ast.Expr, pos token.Pos, depth int)
	up = func(x *Extractor, fn FnKey, e ast.Expr, pos token.Pos, depth int) {
		if ts := x.topics(e); len(ts) > 0 {
			at(x, fn, pos, ts)
			return
		}
		if depth >= 3 {
			return
		}
		sites, idx := x.paramSites(e)
		for _, site := range sites {
			up(x.callerSide(site), site.caller, site.call.Args[idx], site.call.Pos(), depth+1)
		}
	}
	up(x, fn, e, pos, 0)
	return out
}

// paramSites returns the calls of the function that e is a parameter of, with the parameter's
// index, leaving out the callers in tests and tools (what they pass says nothing of where the
// program calls); nil when e is no parameter.
func (x *Extractor) paramSites(e ast.Expr) ([]callSite, int) {
	id, ok := ast.Unparen(e).(*ast.Ident)
	if !ok {
		return nil, 0
	}
	return x.sitesOf(x.ObjectOf(id))
}

// sitesOf is paramSites for a parameter's object.
func (x *Extractor) sitesOf(obj types.Object) ([]callSite, int) {
	wrapper, idx := x.declaringFunc(obj)
	if wrapper == nil {
		return nil, 0
	}
	var out []callSite
	for _, site := range x.G.callers[wrapper] {
		if idx < len(site.call.Args) && !site.tp.Pkg.TestSupport && !model.InToolDir(site.tp.Pkg.Dir) {
			out = append(out, site)
		}
	}
	return out, idx
}

// callerSide returns an extractor on the caller's side of a call site, with what the caller
// has set up bound (bindCallerLocals).
func (x *Extractor) callerSide(site callSite) *Extractor {
	sx := x.atSite(site)
	sx.bindCallerLocals(site)
	return sx
}

// bindCallerLocals binds what the caller's side of a call site has set up: the package's
// struct fields and the locals of the function declaration that holds the call (url :=
// fmt.Sprintf(…)), so that a call in a handler's closure sees what its function set up.
func (x *Extractor) bindCallerLocals(site callSite) {
	x.BindFields()
	x.bindLocals(site.tp.enclosingDecl(site.call.Pos()))
}

// bindLocals binds the local variables a function declaration sets (see assign); nothing for
// a nil declaration or one without a body.
func (x *Extractor) bindLocals(fd *ast.FuncDecl) {
	if fd == nil || fd.Body == nil {
		return
	}
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		if as, ok := n.(*ast.AssignStmt); ok {
			x.assign(as)
		}
		return true
	})
}

// topics reads topic names: a constant, aws.String(c), a []string{…} of them, several string
// arguments; an environment variable becomes $NAME.
func (x *Extractor) topics(e ast.Expr) []string {
	e = ast.Unparen(e)
	if lit, ok := e.(*ast.CompositeLit); ok {
		var out []string
		for _, el := range lit.Elts {
			out = append(out, x.topics(el)...)
		}
		return out
	}
	if t := x.NameValue(e); t != "" {
		return []string{manifests.TopicName(t)}
	}
	if call, ok := e.(*ast.CallExpr); ok {
		if lit, y := x.returnedLiteral(call); lit != nil { // s.consumerTopics(), which returns []string{…}
			return y.topics(lit)
		}
	}
	return nil
}

// returnedLiteral returns the composite literal a repository function or method returns,
// where its body is that one return statement, with an extractor on its package; nil when it
// is not.
func (x *Extractor) returnedLiteral(call *ast.CallExpr) (*ast.CompositeLit, *Extractor) {
	_, tp, fd := x.calleeDecl(call)
	if fd == nil {
		return nil, nil
	}
	lit, ok := ast.Unparen(soleReturn(fd)).(*ast.CompositeLit)
	if !ok {
		return nil, nil
	}
	return lit, x.on(tp, tp.imports[tp.fileAt(fd.Pos())])
}

// calleeDecl returns the repository function a call calls, with its package and declaration;
// nils when the callee is no function of the repository's own.
func (x *Extractor) calleeDecl(call *ast.CallExpr) (*types.Func, *typedPkg, *ast.FuncDecl) {
	fn, ok := x.ObjectOf(call.Fun).(*types.Func)
	if !ok || fn.Pkg() == nil {
		return nil, nil, nil
	}
	tp := x.Tr.ByPath[fn.Pkg().Path()]
	if tp == nil {
		return nil, nil, nil
	}
	fd := x.FuncDecl(fn)
	if fd == nil {
		return nil, nil, nil
	}
	return fn, tp, fd
}

// soleReturn returns the value a function returns where its body is one return statement of
// one value (a getter), nil otherwise.
func soleReturn(fd *ast.FuncDecl) ast.Expr {
	if fd.Body == nil || len(fd.Body.List) != 1 {
		return nil
	}
	ret, ok := fd.Body.List[0].(*ast.ReturnStmt)
	if !ok || len(ret.Results) != 1 {
		return nil
	}
	return ret.Results[0]
}

// URLText renders a URL expression as text: constants as they are, environment variables as
// ${NAME} or ${NAME:-default}, anything unknown as ${?}.
func (x *Extractor) URLText(e ast.Expr, depth int) string {
	if depth > 9 {
		return "${?}"
	}
	e = ast.Unparen(e)
	if s, ok := x.ConstString(e); ok {
		return s
	}
	switch e := e.(type) {
	case *ast.BinaryExpr:
		if e.Op == token.ADD {
			return x.URLText(e.X, depth+1) + x.URLText(e.Y, depth+1)
		}
	case *ast.UnaryExpr:
		if e.Op == token.AND {
			return x.URLText(e.X, depth+1)
		}
	case *ast.CompositeLit:
		if pkg, name := x.TypeFrom(e); pkg == "net/url" && name == "URL" {
			return x.urlLiteral(e, depth)
		}
	case *ast.CallExpr:
		if inner, ok := x.conversion(e); ok { // string(url), postgres.DBConnString(cfg.DSN)
			return x.URLText(inner, depth+1)
		}
		if t, ok := x.readValue(e); ok {
			return t
		}
		name, pkg, recv := x.CalleeName(e)
		switch {
		case name == "String" && len(e.Args) == 0 && recv != nil: // u.String() of a url.URL built here
			return x.URLText(recv, depth+1)
		case envRead(pkg, name) && len(e.Args) == 1:
			if v, ok := x.ConstString(e.Args[0]); ok {
				return "${" + v + "}"
			}
		case pkg == "fmt" && name == "Sprintf" && len(e.Args) > 0:
			format, ok := x.ConstString(e.Args[0])
			if !ok { // a format from a configuration file: dsn: "%s:%s@tcp(%s)/cart"
				if format = x.URLText(e.Args[0], depth+1); strings.Contains(format, "${?}") {
					return "${?}"
				}
			}
			var args []any
			for _, a := range e.Args[1:] {
				args = append(args, x.URLText(a, depth+1))
			}
			return fmt.Sprintf(format, args...)
		case strings.Contains(strings.ToLower(name), "env") && len(e.Args) >= 1:
			// A helper such as getenv("INVENTORY_URL", "http://inventory:8080").
			if v, ok := x.ConstString(e.Args[0]); ok {
				if len(e.Args) > 1 {
					if d, ok := x.ConstString(e.Args[1]); ok {
						return "${" + v + ":-" + d + "}"
					}
				}
				return "${" + v + "}"
			}
		case FlagPkg(pkg) && StringFlags[name].Returns() && len(e.Args) > StringFlags[name].Default:
			if d, ok := x.ConstString(e.Args[StringFlags[name].Default]); ok { // flag.String("orders-url", "http://orders:8080", …)
				return d
			}
		case (name == "JoinPath" || name == "String" || name == "Parse") && len(e.Args) > 0:
			return x.URLText(e.Args[0], depth+1)
		case (pkg == "path" || pkg == "path/filepath") && name == "Join" && len(e.Args) > 0 && !e.Ellipsis.IsValid():
			// a file's path: filepath.Join("conf", env, "conf.yaml")
			var parts []string
			for _, a := range e.Args {
				if t := x.URLText(a, depth+1); t != "" {
					parts = append(parts, strings.TrimSuffix(t, "/"))
				}
			}
			return strings.Join(parts, "/")
		case pkg == "net" && name == "JoinHostPort" && len(e.Args) == 2:
			// an address: net.JoinHostPort(cfg.Host, strconv.Itoa(cfg.Port))
			return x.URLText(e.Args[0], depth+1) + ":" + x.URLText(e.Args[1], depth+1)
		case pkg == "strings" && hostKeeping[name] && len(e.Args) > 0:
			// strings.TrimRight(endpoint, "/") leaves the host as it is
			return x.URLText(e.Args[0], depth+1)
		}
		if t, ok := x.returned(e, depth); ok { // config.JobServiceURL(), which returns os.Getenv(…)
			return t
		}
	case *ast.StarExpr: // *ordersURL, the value of a flag.String
		return x.URLText(e.X, depth+1)
	case *ast.Ident, *ast.SelectorExpr:
		obj := x.ObjectOf(e)
		if obj == nil {
			break
		}
		if rhs, ok := x.Local[obj]; ok {
			t := x.URLText(rhs, depth+1)
			if strings.HasPrefix(t, "${?}") {
				// The last value the package gives a field names nothing known (a
				// constructor nobody calls): another may.
				if u := x.fieldSet(obj, depth); u != "" {
					return u
				}
			}
			return t
		}
		if v, ok := obj.(*types.Var); ok && v.IsField() {
			if t := configValue(fieldTag(x.Tr, v), x.fieldPath(e)); t != "" {
				return t
			}
		}
		if d, ok := x.flagDefault(obj); ok {
			return d
		}
		if t, ok := x.readValue(e); ok {
			return t
		}
		if init, vx := x.VarInit(obj); init != nil { // var serverURL = app.Flag(…).Default(…).String()
			return vx.URLText(init, depth+1)
		}
		if t := x.loadedField(e, depth); t != "" { // c.DB.DataSource, where conf.MustLoad filled c
			return t
		}
		if t := x.paramField(e, depth); t != "" { // cfg.Host, where cfg is a Config the callers build
			return t
		}
		if rhs, y := x.localElsewhere(obj); rhs != nil { // a constructor's local
			return y.URLText(rhs, depth+1)
		}
		if t := x.fieldSet(obj, depth); t != "" { // &Client{endpoint: e} in a constructor
			return t
		}
		if t := x.fromCallers(obj, func(sx *Extractor, arg ast.Expr) string { return sx.URLText(arg, depth+1) }); t != "" && t != unknown {
			return t
		}
	}
	return "${?}"
}

// localElsewhere returns what a local variable of another function was set to (e :=
// strings.TrimRight(endpoint, "/") in the constructor that sets a client's endpoint field to
// e), with an extractor on that function's package; nil for a variable the current function
// binds, a parameter, or a package-level variable.
func (x *Extractor) localElsewhere(obj types.Object) (ast.Expr, *Extractor) {
	v, ok := obj.(*types.Var)
	if !ok || v.IsField() || v.Pkg() == nil || v.Parent() == v.Pkg().Scope() {
		return nil, nil
	}
	if _, bound := x.Local[obj]; bound {
		return nil, nil
	}
	tp := x.Tr.ByPath[v.Pkg().Path()]
	if tp == nil {
		return nil, nil
	}
	fd := tp.enclosingDecl(v.Pos())
	if fd == nil || fd.Body == nil || v.Pos() < fd.Body.Pos() { // a parameter
		return nil, nil
	}
	y := x
	if tp != x.Tp {
		y = x.on(tp, tp.imports[tp.fileAt(fd.Pos())])
	}
	y.bindLocals(fd)
	rhs, ok := y.Local[obj]
	if !ok {
		return nil, nil
	}
	return rhs, y
}

// fieldSet renders the first value the field's package gives a field, of those it sets it
// to, that renders as something known; "" when none does.
func (x *Extractor) fieldSet(obj types.Object, depth int) string {
	v, ok := obj.(*types.Var)
	if !ok || !v.IsField() || v.Pkg() == nil {
		return ""
	}
	out := ""
	x.eachFieldValue(v, false, func(y *Extractor, val ast.Expr) bool {
		if t := y.URLText(val, depth+1); !strings.HasPrefix(t, unknown) {
			out = t
		}
		return out != ""
	})
	return out
}

// eachFieldValue calls try with each value the field's package sets a field to, in source
// order, with an extractor on that package (with the locals of the function that sets it bound,
// where locals is set), until try reports true. A field already being followed (one set from
// itself: c.url = c.url + "/") is not followed again.
func (x *Extractor) eachFieldValue(field *types.Var, locals bool, try func(y *Extractor, val ast.Expr) bool) {
	tp := x.Tr.ByPath[field.Pkg().Path()]
	if tp == nil {
		return
	}
	if x.resolving == nil {
		x.resolving = map[types.Object]bool{}
	}
	if x.resolving[field] {
		return
	}
	x.resolving[field] = true
	defer delete(x.resolving, field)
	tp.fieldValues()
	for _, val := range tp.fieldSets[field] {
		y := x
		if tp != x.Tp || locals {
			y = x.on(tp, tp.imports[tp.fileAt(val.Pos())])
		}
		if locals {
			y.bindLocals(tp.enclosingDecl(val.Pos())) // the constructor's locals
		}
		if try(y, val) {
			return
		}
	}
}

// hostKeeping are the functions of package strings that leave a URL's host as it is.
var hostKeeping = map[string]bool{"TrimRight": true, "TrimSuffix": true, "TrimSpace": true, "ToLower": true}

// returned renders what a call of a repository function returns, where its body is one return
// statement of one value (func JobServiceURL() string { return os.Getenv("JOBSERVICE_URL") },
// func blobURL(endpoint, ref string) string { return fmt.Sprintf("%s/api/blob/%s", endpoint,
// ref) }), or a getter of an environment variable with a default: the text of that value in
// the function's package, its parameters what all their callers agree on.
func (x *Extractor) returned(call *ast.CallExpr, depth int) (string, bool) {
	fn, tp, fd := x.calleeDecl(call)
	if fd == nil || fd.Body == nil {
		return "", false
	}
	if sig, _ := fn.Type().(*types.Signature); sig == nil || sig.Results().Len() != 1 {
		return "", false
	}
	y := x.on(tp, tp.imports[tp.fileAt(fd.Pos())])
	if t, ok := y.envOrDefault(fd.Body.List); ok {
		return t, true
	}
	v := soleReturn(fd)
	if v == nil {
		return "", false
	}
	t := y.URLText(v, depth+1)
	return t, t != unknown
}

// envOrDefault reads a getter of an environment variable with a default, the body of a
// function such as GetEnv: v := os.Getenv("GO_ENV"); if v == "" (or len(v) == 0) { return
// "test" }; return v. It renders as ${GO_ENV:-test}.
func (x *Extractor) envOrDefault(body []ast.Stmt) (string, bool) {
	if len(body) != 3 {
		return "", false
	}
	as, ok := body[0].(*ast.AssignStmt)
	if !ok || len(as.Lhs) != 1 || len(as.Rhs) != 1 {
		return "", false
	}
	v, ok := as.Lhs[0].(*ast.Ident)
	call, isCall := ast.Unparen(as.Rhs[0]).(*ast.CallExpr)
	if !ok || !isCall || len(call.Args) != 1 {
		return "", false
	}
	name, pkg, _ := x.CalleeName(call)
	env, isConst := x.ConstString(call.Args[0])
	if pkg != "os" || name != "Getenv" || !isConst {
		return "", false
	}
	same := func(e ast.Expr) bool {
		id, ok := ast.Unparen(e).(*ast.Ident)
		return ok && id.Name == v.Name
	}
	ifs, ok := body[1].(*ast.IfStmt)
	if !ok || ifs.Init != nil || ifs.Else != nil || len(ifs.Body.List) != 1 {
		return "", false
	}
	cond, ok := ast.Unparen(ifs.Cond).(*ast.BinaryExpr)
	if !ok || cond.Op != token.EQL {
		return "", false
	}
	switch l := ast.Unparen(cond.X).(type) {
	case *ast.Ident: // v == ""
		if lit, ok := ast.Unparen(cond.Y).(*ast.BasicLit); !ok || !same(l) || lit.Value != `""` {
			return "", false
		}
	case *ast.CallExpr: // len(v) == 0
		fn, ok := l.Fun.(*ast.Ident)
		lit, isLit := ast.Unparen(cond.Y).(*ast.BasicLit)
		if !ok || fn.Name != "len" || len(l.Args) != 1 || !same(l.Args[0]) || !isLit || lit.Value != "0" {
			return "", false
		}
	default:
		return "", false
	}
	inner, ok := ifs.Body.List[0].(*ast.ReturnStmt)
	last, isRet := body[2].(*ast.ReturnStmt)
	if !ok || !isRet || len(inner.Results) != 1 || len(last.Results) != 1 || !same(last.Results[0]) {
		return "", false
	}
	def, ok := x.ConstString(inner.Results[0])
	if !ok {
		return "", false
	}
	return "${" + env + ":-" + def + "}", true
}

// returnedVar returns the variable a call of a repository function hands back: the one every
// return statement of the function returns first (return conf, return &c, nil), a
// package-level variable or a local of the function; nil otherwise.
func (x *Extractor) returnedVar(call *ast.CallExpr) types.Object {
	_, tp, fd := x.calleeDecl(call)
	if fd == nil || fd.Body == nil {
		return nil
	}
	var out types.Object
	ok := true
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.ReturnStmt:
			if len(n.Results) == 0 {
				ok = false
				return false
			}
			id, isID := astutil.Addressed(n.Results[0]).(*ast.Ident)
			if !isID {
				ok = false
				return false
			}
			obj := tp.info.Uses[id]
			if _, isNil := obj.(*types.Nil); isNil {
				return true // return nil, err: no value handed back
			}
			if obj == nil || out != nil && obj != out {
				ok = false
				return false
			}
			out = obj
		}
		return ok
	})
	if !ok {
		return nil
	}
	return out
}

// conversion reports whether a call is a type conversion (string(u), DSN(s)), and its operand.
func (x *Extractor) conversion(call *ast.CallExpr) (ast.Expr, bool) {
	if len(call.Args) != 1 {
		return nil, false
	}
	if tv, ok := x.Tp.info.Types[call.Fun]; ok && tv.IsType() {
		return call.Args[0], true
	}
	return nil, false
}

// urlLiteral renders a url.URL literal as its String method would: scheme://user@host/path.
// A password is never shown (url.UserPassword(u, p) is u:***); the query is left out.
func (x *Extractor) urlLiteral(lit *ast.CompositeLit, depth int) string {
	fields := maps.Collect(astutil.KeyedFields(lit))
	text := func(name string) string {
		if e, ok := fields[name]; ok {
			return x.URLText(e, depth+1)
		}
		return ""
	}
	out := text("Scheme")
	if out != "" {
		out += "://"
	}
	if u, ok := fields["User"].(*ast.CallExpr); ok {
		switch n, pkg, _ := x.CalleeName(u); {
		case pkg == "net/url" && n == "UserPassword" && len(u.Args) == 2:
			out += x.URLText(u.Args[0], depth+1) + ":***@"
		case pkg == "net/url" && n == "User" && len(u.Args) == 1:
			out += x.URLText(u.Args[0], depth+1) + "@"
		default:
			return unknown
		}
	}
	out += text("Host")
	if p := text("Path"); p != "" {
		if !strings.HasPrefix(p, "/") {
			p = "/" + p
		}
		out += p
	}
	return out
}

// ConfigField is one field of a chain read from a variable: its name and its struct tag.
type ConfigField struct{ Name, Tag string }

// FieldReader reads the value a configuration library gives a chain of fields of a variable
// (c.DB.DataSource: c, then DB and DataSource), where it fills the variable from a file.
type FieldReader func(x *Extractor, root types.Object, path []ConfigField) (string, bool)

// loadedField resolves a chain of fields read from a variable that a configuration library
// fills (see FieldReader): the variable itself, or, for a parameter, what its callers pass,
// a few levels up. more are fields read further, beyond e (a library that reads a config
// struct's Topic). The fields at the end of the chain may be those of an outside library's
// struct (kq.KqConf's Topic), which the type-checker does not know: they count by name.
func (x *Extractor) loadedField(e ast.Expr, depth int, more ...ConfigField) string {
	if len(x.Tr.Fields) == 0 || x.noFields {
		return ""
	}
	path := slices.Clone(more)
	outside := true // the fields so far are an outside struct's
	cur := ast.Unparen(e)
	var first *types.Var // the field selected from the root, nearest it
	for {
		sel, ok := cur.(*ast.SelectorExpr)
		if !ok {
			break
		}
		v, ok := x.ObjectOf(sel).(*types.Var)
		switch {
		case ok && v.IsField():
			outside = false
			first = v
			path = append([]ConfigField{{Name: v.Name(), Tag: fieldTag(x.Tr, v)}}, path...)
		case outside && x.ObjectOf(sel) == nil && invalidType(x.TypeOf(sel.X)):
			path = append([]ConfigField{{Name: sel.Sel.Name}}, path...)
		default:
			return ""
		}
		cur = ast.Unparen(sel.X)
	}
	if len(path) == 0 {
		return ""
	}
	var root types.Object
	switch cur := cur.(type) {
	case *ast.Ident:
		root = x.ObjectOf(cur)
	case *ast.CallExpr: // conf.GetConf().MySQL.DSN
		root = x.returnedVar(cur)
	}
	t := x.loadedFieldOf(root, path, depth)
	if t == unknown && first != nil {
		// h.cfg.Kafka.Topic, where a constructor sets the handler's cfg field from what it is
		// given: the rest of the chain is read from the values the field is set to.
		t = x.fieldHop(first, path[1:], depth)
	}
	if t == unknown {
		return ""
	}
	return t
}

// fieldHop resolves a chain of fields read beyond a repository struct's field from the values
// its package sets the field to, the first that tells something known; unknown when none does.
func (x *Extractor) fieldHop(field *types.Var, rest []ConfigField, depth int) string {
	if depth > 9 {
		return unknown
	}
	out := unknown
	x.eachFieldValue(field, true, func(y *Extractor, val ast.Expr) bool {
		if t := y.loadedField(val, depth+1, rest...); t != "" {
			out = t
		} else if id, ok := astutil.Addressed(val).(*ast.Ident); ok && len(rest) > 0 {
			out = y.loadedFieldOf(y.ObjectOf(id), rest, depth+1)
		}
		return out != unknown
	})
	return out
}

// invalidType reports whether a type is unknown: an outside package's, which the checker
// does not read.
func invalidType(t types.Type) bool {
	return t == nil || t == types.Typ[types.Invalid]
}

// FieldTopics reads the topics a config struct's field names, where a configuration
// library fills the struct from a file: kq.MustNewQueue(c.OrderPaidConf, …) reads its Topic.
func (x *Extractor) FieldTopics(e ast.Expr, field string) []string {
	if t := x.loadedField(e, 0, ConfigField{Name: field}); t != "" {
		return []string{manifests.TopicName(t)}
	}
	return nil
}

func (x *Extractor) loadedFieldOf(obj types.Object, path []ConfigField, depth int) string {
	if obj == nil || depth > 9 {
		return unknown
	}
	for _, read := range x.Tr.Fields {
		if t, ok := read(x, obj, path); ok {
			return t
		}
	}
	if call, ok := ast.Unparen(x.defined[obj]).(*ast.CallExpr); ok {
		// cfg, err := config.Load(): the variable Load fills and returns
		if v := x.returnedVar(call); v != nil && v != obj {
			return x.loadedFieldOf(v, path, depth+1)
		}
	}
	if fn, _ := x.declaringFunc(obj); fn == nil {
		return unknown
	}
	return x.fromCallers(obj, func(sx *Extractor, arg ast.Expr) string {
		// what the caller passes: a variable, or a field of one (s.cfg)
		if t := sx.loadedField(astutil.Addressed(arg), depth+1, path...); t != "" {
			return t
		}
		return unknown
	})
}

// paramField resolves cfg.Host where cfg is a parameter of a struct type: what the callers'
// literals give the field (sqldb.Open(sqldb.Config{Host: cfg.DB.Host, …})), read where they
// are written. A caller whose literal leaves the field out, or passes no literal, tells nothing.
func (x *Extractor) paramField(e ast.Expr, depth int) string {
	sel, ok := ast.Unparen(e).(*ast.SelectorExpr)
	if !ok {
		return ""
	}
	id, ok := ast.Unparen(sel.X).(*ast.Ident)
	if !ok {
		return ""
	}
	param := x.ObjectOf(id)
	if param == nil {
		return ""
	}
	t := x.fieldFromCallers(param, sel.Sel.Name, depth)
	if t == unknown {
		return ""
	}
	return t
}

// fieldFromCallers is what the callers of the function declaring param give its field: the
// field of the literal they pass, or, where they pass a parameter of their own (a helper that
// hands its Config on), what their callers give it, a few levels up.
func (x *Extractor) fieldFromCallers(param types.Object, field string, depth int) string {
	if depth > 5 {
		return unknown
	}
	return x.fromCallers(param, func(sx *Extractor, arg ast.Expr) string {
		arg = astutil.Addressed(arg)
		if aid, ok := arg.(*ast.Ident); ok {
			obj := sx.ObjectOf(aid)
			if rhs, ok := sx.Local[obj]; ok {
				arg = astutil.Addressed(rhs)
			} else if fn, _ := sx.declaringFunc(obj); fn != nil {
				return sx.fieldFromCallers(obj, field, depth+1)
			}
		}
		lit, ok := arg.(*ast.CompositeLit)
		if !ok {
			return unknown
		}
		for name, v := range astutil.KeyedFields(lit) {
			if name == field {
				return sx.URLText(v, depth+1)
			}
		}
		return unknown
	})
}

// defaultTag reads the default a configuration library gives a field: ardanlabs/conf's
// conf:"default:…", caarlos0/env's envDefault:"…", and default:"…" (kelseyhightower/envconfig,
// creasty/defaults).
var defaultTag = regexp.MustCompile(`(?:conf:"(?:[^"]*,)?default:([^",]+)|envDefault:"([^"]+)"|(?:^|\s)default:"([^"]+)")`)

// configValue renders what a struct tag says of a field's value: ${NAME} for an environment
// variable, ${NAME:-default} when it has a default too, the default alone else. path is the
// chain of fields the value was read through (cfg.Collect.From: Collect, From).
//
// Some libraries name the variable after the prefix the program gives them and the field's
// path, so the code alone cannot tell the full name; ${*_NAME} stands for NAME or any
// PREFIX_NAME, which the caller's environment settles:
//   - ardanlabs/conf (conf:"default:…"): PREFIX_COLLECT_FROM for Collect.From, CamelCase split
//     into words; conf:"env:NAME" names it;
//   - kelseyhightower/envconfig: envconfig:"NAME" is PREFIX_NAME, or NAME when that is unset.
func configValue(tag string, path []string) string {
	env := ""
	if m := envTag.FindStringSubmatch(tag); m != nil {
		env = m[1]
		if strings.Contains(tag, `envconfig:"`) && !strings.Contains(tag, ` env:"`) && !strings.HasPrefix(tag, `env:"`) {
			env = "*_" + env
		}
	}
	if conf, ok := reflect.StructTag(tag).Lookup("conf"); ok && env == "" {
		if m := confEnv.FindStringSubmatch(conf); m != nil {
			env = "*_" + m[1]
		} else if len(path) > 0 {
			env = "*_" + envWords(path)
		}
	}
	def := ""
	if m := defaultTag.FindStringSubmatch(tag); m != nil {
		def = m[1] + m[2] + m[3]
	}
	switch {
	case env != "" && def != "":
		return "${" + env + ":-" + def + "}"
	case env != "":
		return "${" + env + "}"
	}
	return def
}

var confEnv = regexp.MustCompile(`(?:^|,)env:([A-Za-z_][A-Za-z0-9_]*)`)

// envWords names a field path as ardanlabs/conf does: words of each CamelCase name in upper
// case, joined by '_' (Web.DebugHost: WEB_DEBUG_HOST; APIHost: API_HOST).
func envWords(path []string) string {
	var words []string
	for _, name := range path {
		rs := []rune(name)
		start := 0
		for i := 1; i < len(rs); i++ {
			lowerBefore := unicode.IsLower(rs[i-1]) || unicode.IsDigit(rs[i-1])
			acronymEnd := i+1 < len(rs) && unicode.IsUpper(rs[i-1]) && unicode.IsLower(rs[i+1])
			if unicode.IsUpper(rs[i]) && (lowerBefore || acronymEnd) {
				words = append(words, strings.ToUpper(string(rs[start:i])))
				start = i
			}
		}
		words = append(words, strings.ToUpper(string(rs[start:])))
	}
	return strings.Join(words, "_")
}

// fieldPath is the chain of struct fields a selector reads, outermost first: cfg.Collect.From
// gives Collect, From; the variable it starts at is not part of it.
func (x *Extractor) fieldPath(e ast.Expr) []string {
	var path []string
	for {
		sel, ok := ast.Unparen(e).(*ast.SelectorExpr)
		if !ok {
			break
		}
		v, ok := x.ObjectOf(sel).(*types.Var)
		if !ok || !v.IsField() {
			break
		}
		path = append([]string{sel.Sel.Name}, path...)
		e = sel.X
	}
	return path
}

// FlagPkg reports whether a package is the standard library's flag or spf13/pflag.
func FlagPkg(pkg string) bool { return pkg == "flag" || pkg == "github.com/spf13/pflag" }

// FlagArgs is where a string flag function takes the flag's name and its default.
type FlagArgs struct {
	Name, Default int
	// Binds: the function binds a variable it is given first (StringVar(&v, …)); else it
	// returns a pointer (String).
	Binds bool
}

// Returns reports a known function that returns a pointer to the flag's value.
func (a FlagArgs) Returns() bool { return a.Default > 0 && !a.Binds }

// StringFlags are the string flag functions of flag and pflag (the P forms take a shorthand
// after the name); methods of a FlagSet (cmd.Flags().StringVar) take the same arguments.
var StringFlags = map[string]FlagArgs{
	"String": {Name: 0, Default: 1}, "StringP": {Name: 0, Default: 2},
	"StringVar": {Name: 1, Default: 2, Binds: true}, "StringVarP": {Name: 1, Default: 3, Binds: true},
}

// flagDefault returns the default of the flag that binds v with StringVar(&v, …) in the
// package that declares v, when one does.
func (x *Extractor) flagDefault(v types.Object) (string, bool) {
	if v.Pkg() == nil {
		return "", false
	}
	tp := x.Tr.ByPath[v.Pkg().Path()]
	if tp == nil {
		return "", false
	}
	d, ok := tp.flagDefaults()[v]
	return d, ok
}

// flagDefaults maps the variables that flag.StringVar(&v, name, default, …) (or pflag's, or a
// FlagSet's) binds in the package to their constant default. It is read once per package, from
// the type information alone, whichever file a call is in.
func (tp *typedPkg) flagDefaults() map[types.Object]string {
	tp.flagsOnce.Do(func() {
		tp.flags = map[types.Object]string{}
		for _, f := range tp.files {
			ast.Inspect(f, func(n ast.Node) bool {
				call, ok := n.(*ast.CallExpr)
				if !ok {
					return true
				}
				sel, ok := call.Fun.(*ast.SelectorExpr)
				if !ok {
					return true
				}
				fa, ok := StringFlags[sel.Sel.Name]
				i := fa.Default
				if !ok || !fa.Binds || len(call.Args) <= i || !tp.flagCall(sel) {
					return true
				}
				addr, ok := call.Args[0].(*ast.UnaryExpr)
				if !ok || addr.Op != token.AND {
					return true
				}
				tv := tp.info.Types[call.Args[i]]
				if tv.Value == nil || tv.Value.Kind() != constant.String {
					return true
				}
				var obj types.Object
				switch e := ast.Unparen(addr.X).(type) {
				case *ast.Ident:
					obj = tp.info.Uses[e]
				case *ast.SelectorExpr:
					obj = tp.info.Uses[e.Sel]
				}
				if obj != nil {
					tp.flags[obj] = constant.StringVal(tv.Value)
				}
				return true
			})
		}
	})
	return tp.flags
}

// flagCall reports whether a selector is a function of flag or pflag, or a method of their
// FlagSet.
func (tp *typedPkg) flagCall(sel *ast.SelectorExpr) bool {
	if id, ok := sel.X.(*ast.Ident); ok {
		if pn, ok := tp.info.Uses[id].(*types.PkgName); ok {
			return FlagPkg(pn.Imported().Path())
		}
	}
	fn, ok := tp.info.Uses[sel.Sel].(*types.Func)
	return ok && fn.Pkg() != nil && FlagPkg(fn.Pkg().Path())
}

// fromCallers resolves a parameter of a repository function through its call sites, a few
// levels up: the URL a client constructor is given is the one its callers pass. When callers
// pass different values (a helper that calls whatever it is handed) it resolves to nothing:
// an edge to the first of them would be invented for the others.
func (x *Extractor) fromCallers(obj types.Object, resolve func(sx *Extractor, arg ast.Expr) string) string {
	found := ""
	sites, idx := x.sitesOf(obj)
	for _, site := range sites {
		t := resolve(x.callerSide(site), site.call.Args[idx])
		switch {
		case strings.HasPrefix(t, unknown):
			return "" // one caller passes what cannot be told: so may the others
		case found != "" && origin(t) != origin(found):
			return ""
		case found == "":
			found = t
		}
	}
	return found
}

// CallerArg is what one caller passes for a parameter, with an extractor on the caller's side.
type CallerArg struct {
	X   *Extractor
	Arg ast.Expr
}

// CallerArgs returns what each caller of the function declaring a parameter passes for it,
// tests and tools left out; nil when obj is no parameter of a function of the package read.
func (x *Extractor) CallerArgs(obj types.Object) []CallerArg {
	sites, idx := x.sitesOf(obj)
	var out []CallerArg
	for _, site := range sites {
		out = append(out, CallerArg{X: x.callerSide(site), Arg: site.call.Args[idx]})
	}
	return out
}

// unknown is what a value resolver renders for an expression it cannot tell.
const unknown = "${?}"

// origin is what a URL text says of where it goes: its scheme and host, or the placeholder it
// starts with (${AUTH_URL}/v1/authorize and ${AUTH_URL}/v1/authenticate go to one place).
func origin(t string) string {
	if strings.HasPrefix(t, "${") {
		if i := strings.IndexByte(t, '}'); i > 0 {
			return t[:i+1]
		}
	}
	if scheme, rest, ok := strings.Cut(t, "://"); ok {
		host, _, _ := strings.Cut(rest, "/")
		return scheme + "://" + host
	}
	host, _, _ := strings.Cut(t, "/")
	return host
}

// declaringFunc returns the function of the package that declares a parameter, and its index.
func (x *Extractor) declaringFunc(obj types.Object) (*types.Func, int) {
	if _, ok := obj.(*types.Var); !ok || obj.Pkg() != x.Tp.Types {
		return nil, 0
	}
	for _, f := range x.Tp.files {
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok {
				continue
			}
			idx := -1
			eachParam(fd, func(n *ast.Ident, i int) bool {
				if x.Tp.info.Defs[n] == obj {
					idx = i
				}
				return idx < 0
			})
			if idx >= 0 {
				fn, _ := x.Tp.info.Defs[fd.Name].(*types.Func)
				return fn, idx
			}
		}
	}
	return nil, 0
}

// Endpoint is one outbound site in the code, before it is matched to deployables.
type Endpoint struct {
	Kind     string // "http", "grpc-client", "grpc-server", "produce", "consume"
	Protocol string // http, grpc, kafka, nats, amqp, sqs, sns, eventbridge, pubsub
	Target   string // for http: resolved URL text with ${ENV} placeholders; for grpc: service; for async: topic
	File     string
	Line     int
	Fn       FnKey
	Pkg      *model.Package
	// Via is, for a client that a constructor returns as a repository interface (a generated
	// gRPC XClient), that interface: a program that never calls its methods makes no call.
	Via *types.Named
}
