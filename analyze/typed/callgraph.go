package typed

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"sort"
	"sync"

	"github.com/cleave-dev/cleave/analyze/astutil"
)

// A function of the call graph: a *types.Func, an *ast.FuncLit, a *typedPkg standing for the
// package's initialisation (its var initialisers and init functions), or a *types.Var that a
// declaration initialises without calling anything (see valueNode).
type FnKey any

// fnInfo is what one function does that matters for reachability.
type fnInfo struct {
	tp         *typedPkg
	calls      []FnKey  // functions it calls or takes as a value
	ifaceCalls []string // methods it calls through an interface declared outside the repository
	// repoCalls are the methods it calls through an interface of the repository's: only the
	// types that have all of that interface's methods can answer them.
	repoCalls  []repoIfaceCall
	ifaces     []*types.Named // the repository interfaces whose methods it calls
	constructs []*types.Named // repository types it creates a value of
	escapes    []*types.Named // repository types it hands to code outside the repository
	// escapeResults are repository functions whose results it hands to code outside the
	// repository (http.ListenAndServe(addr, api.NewServer(cfg))): what they construct escapes.
	escapeResults []FnKey
	// returns are the repository functions whose results it returns as they are
	// (return newServer(cfg), nil), and returned the repository types of what it returns
	// otherwise (return &server{}, return s).
	returns  []FnKey
	returned []*types.Named
	// valueEscapes are the repository functions it hands to code outside the repository as
	// values, to be called back (a factory's create function): what they return escapes.
	valueEscapes []FnKey
	// choices are the functions it calls in the arms of a switch that picks one of several
	// packages' (a storage backend chosen by configuration): which runs depends on how the
	// program is configured (see chooses).
	choices map[FnKey]bool
	// handed are repository types it hands to a repository package checked without bodies,
	// with the interface methods that package can call on them.
	handed []handedType
}

// repoIfaceCall is a call of a method of a repository interface.
type repoIfaceCall struct {
	iface *types.Interface
	name  string
}

type handedType struct {
	t     *types.Named
	names map[string]bool
}

// callSite is a static call of a repository function, kept for tracing arguments back one level.
type callSite struct {
	caller FnKey
	tp     *typedPkg
	call   *ast.CallExpr
}

type CallGraph struct {
	tr         *TypedRepo
	fns        map[FnKey]*fnInfo
	callers    map[*types.Func][]callSite
	methodSets map[*types.Named][]*types.Func
	ifaceNames map[*types.Package]map[string]bool
	// answers memoises whether a type has every method of an interface (canAnswer).
	answers  map[answerKey]bool
	typeFact map[*types.Named]typeFact
	// memoMu guards the memos (methodSets, ifaceNames, answers, typeFact), which the
	// readers of packages fill on every core once the graph is built.
	memoMu sync.Mutex
}

type answerKey struct {
	t     *types.Named
	iface *types.Interface
}

// buildCallGraph walks every function of the typed repository once.
func buildCallGraph(tr *TypedRepo) *CallGraph {
	g := &CallGraph{tr: tr, fns: map[FnKey]*fnInfo{}, callers: map[*types.Func][]callSite{},
		methodSets: map[*types.Named][]*types.Func{}, ifaceNames: map[*types.Package]map[string]bool{},
		answers: map[answerKey]bool{}, typeFact: map[*types.Named]typeFact{}}
	for _, tp := range tr.Pkgs {
		g.fns[tp] = &fnInfo{tp: tp}
		if !tp.Bodies {
			continue // reaches no database code: calls into it are treated as calls outside the repository
		}
		for _, f := range tp.files {
			for _, decl := range f.Decls {
				switch d := decl.(type) {
				case *ast.FuncDecl:
					if d.Body == nil {
						continue
					}
					obj, _ := tp.info.Defs[d.Name].(*types.Func)
					if obj == nil {
						continue
					}
					var key FnKey = obj
					if d.Recv == nil && d.Name.Name == "init" {
						g.fns[tp].calls = append(g.fns[tp].calls, obj)
					}
					g.fns[key] = &fnInfo{tp: tp}
					g.walk(tp, key, d.Body)
				case *ast.GenDecl:
					for _, spec := range d.Specs {
						switch v := valueNode(tp, spec); {
						case interfaceCheck(tp, spec):
						case v != nil:
							g.fns[v] = &fnInfo{tp: tp}
							g.walk(tp, v, spec)
						default:
							g.walk(tp, tp, spec)
						}
					}
				}
			}
		}
	}
	return g
}

// interfaceCheck reports whether a declaration only asks the compiler that a type implement
// an interface: var _ I = (*T)(nil), var _ I = T{} or &T{}. The value is thrown away at once,
// so the program builds no T that anything could call.
func interfaceCheck(tp *typedPkg, spec ast.Spec) bool {
	vs, ok := spec.(*ast.ValueSpec)
	if !ok || len(vs.Values) == 0 || slices.ContainsFunc(vs.Names, func(n *ast.Ident) bool { return n.Name != "_" }) {
		return false
	}
	for _, v := range vs.Values {
		switch v := astutil.Addressed(v).(type) {
		case *ast.CallExpr: // a conversion of nil
			tv, ok := tp.info.Types[ast.Unparen(v.Fun)]
			if !ok || !tv.IsType() || len(v.Args) != 1 || !tp.info.Types[v.Args[0]].IsNil() {
				return false
			}
		case *ast.CompositeLit:
			if len(v.Elts) > 0 {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// valueNode returns the variable a package-level declaration initialises without calling
// anything (a table of handlers, a gRPC service description): its functions run only where
// code that runs names the variable, so it is a node of the graph of its own rather than part
// of the package's initialisation. nil for any other declaration.
func valueNode(tp *typedPkg, spec ast.Spec) *types.Var {
	vs, ok := spec.(*ast.ValueSpec)
	if !ok || len(vs.Names) != 1 || len(vs.Values) != 1 || vs.Names[0].Name == "_" {
		return nil
	}
	v, _ := tp.info.Defs[vs.Names[0]].(*types.Var)
	if v == nil {
		return nil
	}
	calls := false
	ast.Inspect(vs.Values[0], func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false // its calls run when it is called
		case *ast.CallExpr:
			if tv, ok := tp.info.Types[ast.Unparen(n.Fun)]; !ok || !tv.IsType() {
				calls = true // a call runs at initialisation
			}
		}
		return !calls
	})
	if calls {
		return nil
	}
	return v
}

// isRepo reports whether an object belongs to a package of the repository.
func (g *CallGraph) isRepo(obj types.Object) bool {
	return obj != nil && obj.Pkg() != nil && g.tr.ByPath[obj.Pkg().Path()] != nil && g.tr.ByPath[obj.Pkg().Path()].Types == obj.Pkg()
}

// repoNamed returns the repository named type behind t (through pointers, slices, arrays, maps' values).
func (g *CallGraph) repoNamed(t types.Type) *types.Named {
	for i := 0; i < 4 && t != nil; i++ {
		switch u := t.(type) {
		case *types.Named:
			if g.isRepo(u.Obj()) {
				return u
			}
			return nil
		case *types.Alias:
			t = types.Unalias(u)
		case *types.Pointer:
			t = u.Elem()
		case *types.Slice:
			t = u.Elem()
		case *types.Array:
			t = u.Elem()
		case *types.Map:
			t = u.Elem()
		default:
			return nil
		}
	}
	return nil
}

func (g *CallGraph) walk(tp *typedPkg, key FnKey, root ast.Node) {
	info := g.fns[key]
	ast.Inspect(root, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			if n == root {
				return true
			}
			g.fns[n] = &fnInfo{tp: tp}
			info.calls = append(info.calls, n)
			g.walk(tp, n, n.Body)
			return false
		case *ast.Ident:
			obj := tp.info.Uses[n]
			if v, ok := obj.(*types.Var); ok && !v.IsField() && v.Pkg() != nil && v.Parent() == v.Pkg().Scope() && g.isRepo(v) {
				info.calls = append(info.calls, v) // a variable of its own in the graph, if valueNode made one
				return true
			}
			fn, ok := obj.(*types.Func)
			if !ok || !g.isRepo(fn) {
				return true
			}
			if sig, _ := fn.Type().(*types.Signature); sig != nil && sig.Recv() != nil && types.IsInterface(sig.Recv().Type()) {
				if it, ok := sig.Recv().Type().Underlying().(*types.Interface); ok {
					info.repoCalls = append(info.repoCalls, repoIfaceCall{it, fn.Name()})
				} else {
					info.ifaceCalls = append(info.ifaceCalls, fn.Name())
				}
				if t, ok := types.Unalias(sig.Recv().Type()).(*types.Named); ok {
					info.ifaces = append(info.ifaces, t.Origin())
				}
				return true
			}
			info.calls = append(info.calls, fn.Origin())
		case *ast.SelectorExpr:
			// A method called through an interface declared outside the repository (io.Closer, …)
			// has no object; its name still selects the methods of the types built here.
			if sel := tp.info.Selections[n]; sel != nil && !g.isRepo(sel.Obj()) && types.IsInterface(sel.Recv()) {
				info.ifaceCalls = append(info.ifaceCalls, n.Sel.Name)
			}
		case *ast.CompositeLit:
			if t := g.repoNamed(tp.info.Types[n].Type); t != nil {
				info.constructs = append(info.constructs, t)
			}
		case *ast.SwitchStmt:
			g.chooses(tp, info, n.Body)
		case *ast.TypeSwitchStmt:
			g.chooses(tp, info, n.Body)
		case *ast.ReturnStmt:
			for _, r := range n.Results {
				if t := g.repoNamed(tp.info.Types[r].Type); t != nil && !types.IsInterface(t) {
					info.returned = append(info.returned, t)
				} else if c, ok := ast.Unparen(r).(*ast.CallExpr); ok {
					if fn := g.calleeFunc(tp, c); fn != nil {
						info.returns = append(info.returns, fn)
					}
				}
			}
		case *ast.CallExpr:
			g.call(tp, key, info, n)
		}
		return true
	})
}

func (g *CallGraph) call(tp *typedPkg, key FnKey, info *fnInfo, call *ast.CallExpr) {
	fun := ast.Unparen(call.Fun)
	if tv, ok := tp.info.Types[fun]; ok && tv.IsType() { // a conversion T(x)
		if t := g.repoNamed(tv.Type); t != nil {
			info.constructs = append(info.constructs, t)
		}
		return
	}
	var id *ast.Ident
	switch f := fun.(type) {
	case *ast.Ident:
		id = f
	case *ast.SelectorExpr:
		id = f.Sel
	case *ast.IndexExpr: // a generic function instantiated explicitly
		if i, ok := f.X.(*ast.Ident); ok {
			id = i
		} else if s, ok := f.X.(*ast.SelectorExpr); ok {
			id = s.Sel
		}
	}
	if id != nil && id.Name == "new" && len(call.Args) == 1 {
		if _, ok := tp.info.Uses[id].(*types.Builtin); ok {
			if t := g.repoNamed(tp.info.Types[call.Args[0]].Type); t != nil {
				info.constructs = append(info.constructs, t)
			}
			return
		}
	}
	var obj types.Object
	if id != nil {
		obj = tp.info.Uses[id]
	}
	if fn, ok := obj.(*types.Func); ok && g.isRepo(fn) {
		g.halfSeen(tp, info, fn, call)
		if g.tr.ByPath[fn.Pkg().Path()].Bodies {
			g.callers[fn.Origin()] = append(g.callers[fn.Origin()], callSite{caller: key, tp: tp, call: call})
			return
		}
		// A package checked without bodies reaches no database code itself, but may call back,
		// through the interfaces it knows, the values it is handed.
		names := g.interfaceMethods(fn.Pkg())
		for _, arg := range call.Args {
			if t := g.repoNamed(tp.info.Types[arg].Type); t != nil {
				if it, ok := t.Underlying().(*types.Interface); ok {
					// A value handed as a repository interface: the package may call those of
					// its methods that the interfaces it knows have, on whatever the program
					// built that has them.
					for i := range it.NumMethods() {
						if m := it.Method(i).Name(); names[m] {
							info.ifaceCalls = append(info.ifaceCalls, m)
						}
					}
					continue
				}
				info.handed = append(info.handed, handedType{t, names})
				// A struct handed over (gqlgen's Config{Resolvers: r}) hands the values of its
				// fields too: the package may call the methods of the repository interfaces
				// they are declared with, and of those their methods return.
				info.ifaceCalls = append(info.ifaceCalls, g.fieldInterfaceMethods(t)...)
			}
		}
		return
	}
	if _, ok := obj.(*types.Builtin); ok {
		return
	}
	// A call outside the repository: what it is handed may be called back (handlers, sort.Interface, …).
	for _, arg := range call.Args {
		g.handOut(tp, info, arg, 0)
	}
}

// handOut records what an argument of a call outside the repository hands over: a value of a
// repository type, the results of a repository function, a function to be called back, and
// the values a literal holds (restapi.Config{UserAPI: newUserAPI()}, of a type cleave may not
// know).
func (g *CallGraph) handOut(tp *typedPkg, info *fnInfo, arg ast.Expr, depth int) {
	if t := g.repoNamed(tp.info.Types[arg].Type); t != nil {
		info.escapes = append(info.escapes, t)
		return
	}
	switch a := ast.Unparen(arg).(type) {
	case *ast.UnaryExpr:
		if a.Op == token.AND && depth < 3 {
			g.handOut(tp, info, a.X, depth+1)
		}
	case *ast.CompositeLit:
		if depth < 3 {
			for _, el := range a.Elts {
				if kv, ok := el.(*ast.KeyValueExpr); ok {
					el = kv.Value
				}
				g.handOut(tp, info, el, depth+1)
			}
		}
	case *ast.CallExpr:
		// The result of a repository function, declared with an outside type (an
		// http.Handler, gqlgen's ExecutableSchema): the types that function builds.
		if fn := g.calleeFunc(tp, a); fn != nil {
			info.escapeResults = append(info.escapeResults, fn)
		}
	case *ast.FuncLit:
		// A function handed over to be called back (a factory's create function): what
		// it builds and returns is the outside code's to call.
		info.valueEscapes = append(info.valueEscapes, a)
	case *ast.Ident, *ast.SelectorExpr:
		if fn, ok := tp.info.Uses[identOf(a)].(*types.Func); ok && g.isRepo(fn) {
			if sig, _ := fn.Type().(*types.Signature); sig != nil && sig.Recv() == nil {
				info.valueEscapes = append(info.valueEscapes, fn.Origin())
			}
		}
	}
}

// halfSeen treats as handed to outside code the arguments a repository function takes as an
// interface of the repository's that embeds one from outside (a collector that is also a
// prometheus.Collector): the methods that part asks for are called where cleave cannot see,
// on values of types it does not know.
func (g *CallGraph) halfSeen(tp *typedPkg, info *fnInfo, fn *types.Func, call *ast.CallExpr) {
	sig, _ := fn.Type().(*types.Signature)
	if sig == nil || sig.Params().Len() == 0 {
		return
	}
	for i, arg := range call.Args {
		j := min(i, sig.Params().Len()-1)
		pt := sig.Params().At(j).Type()
		if sig.Variadic() && j == sig.Params().Len()-1 && !call.Ellipsis.IsValid() {
			if sl, ok := pt.(*types.Slice); ok {
				pt = sl.Elem()
			}
		}
		if !g.partlyOutside(pt) {
			continue
		}
		if t := g.repoNamed(tp.info.Types[arg].Type); t != nil && !types.IsInterface(t) {
			info.escapes = append(info.escapes, t)
		} else if inner, ok := ast.Unparen(arg).(*ast.CallExpr); ok {
			if f := g.calleeFunc(tp, inner); f != nil {
				info.escapeResults = append(info.escapeResults, f)
			}
		}
	}
}

// partlyOutside reports whether a type is an interface of the repository's that embeds an
// interface cleave does not know (one of an outside package).
func (g *CallGraph) partlyOutside(t types.Type) bool {
	named, ok := types.Unalias(t).(*types.Named)
	if !ok || !g.isRepo(named.Obj()) {
		return false
	}
	it, ok := named.Underlying().(*types.Interface)
	if !ok {
		return false
	}
	for i := range it.NumEmbeddeds() {
		if it.EmbeddedType(i) == types.Typ[types.Invalid] {
			return true
		}
	}
	return false
}

// calleeFunc returns the repository function a call calls by name (f(…), pkg.F(…)), or nil.
func (g *CallGraph) calleeFunc(tp *typedPkg, call *ast.CallExpr) *types.Func {
	id := identOf(ast.Unparen(call.Fun))
	if id == nil {
		return nil
	}
	if fn, ok := tp.info.Uses[id].(*types.Func); ok && g.isRepo(fn) {
		return fn.Origin()
	}
	return nil
}

// fieldInterfaceMethods returns the names of the methods of the repository interfaces a
// struct's fields are declared with, and, following what those methods return, of the
// repository interfaces they return, sorted.
func (g *CallGraph) fieldInterfaceMethods(t *types.Named) []string {
	st, ok := t.Underlying().(*types.Struct)
	if !ok {
		return nil
	}
	seen := map[*types.Named]bool{}
	names := map[string]bool{}
	var visit func(it *types.Named)
	visit = func(it *types.Named) {
		iface, ok := it.Underlying().(*types.Interface)
		if !ok || seen[it] || !g.isRepo(it.Obj()) {
			return
		}
		seen[it] = true
		for i := 0; i < iface.NumMethods(); i++ {
			m := iface.Method(i)
			names[m.Name()] = true
			res := m.Type().(*types.Signature).Results()
			for j := 0; j < res.Len(); j++ {
				if r, ok := types.Unalias(res.At(j).Type()).(*types.Named); ok {
					visit(r)
				}
			}
		}
	}
	for i := 0; i < st.NumFields(); i++ {
		ft := types.Unalias(st.Field(i).Type())
		if p, ok := ft.(*types.Pointer); ok {
			ft = types.Unalias(p.Elem())
		}
		if n, ok := ft.(*types.Named); ok {
			visit(n)
		}
	}
	out := make([]string, 0, len(names))
	for n := range names {
		out = append(out, n)
	}
	slices.Sort(out)
	return out
}

// interfaceMethods returns the names of the methods of every interface declared in a
// repository package or in the repository packages it imports, directly or not.
func (g *CallGraph) interfaceMethods(pkg *types.Package) map[string]bool {
	g.memoMu.Lock()
	defer g.memoMu.Unlock()
	return g.interfaceMethodsLocked(pkg)
}

func (g *CallGraph) interfaceMethodsLocked(pkg *types.Package) map[string]bool {
	if names, ok := g.ifaceNames[pkg]; ok {
		return names
	}
	names := map[string]bool{}
	g.ifaceNames[pkg] = names // cut import cycles
	scope := pkg.Scope()
	for _, n := range scope.Names() {
		if tn, ok := scope.Lookup(n).(*types.TypeName); ok {
			if it, ok := tn.Type().Underlying().(*types.Interface); ok {
				for i := 0; i < it.NumMethods(); i++ {
					names[it.Method(i).Name()] = true
				}
			}
		}
	}
	for _, imp := range pkg.Imports() {
		if tp := g.tr.ByPath[imp.Path()]; tp != nil && tp.Types == imp {
			for n := range g.interfaceMethodsLocked(imp) {
				names[n] = true
			}
		}
	}
	return names
}

// methods returns the methods of *T, promoted ones included.
func (g *CallGraph) methods(t *types.Named) []*types.Func {
	g.memoMu.Lock()
	defer g.memoMu.Unlock()
	return g.methodsLocked(t)
}

func (g *CallGraph) methodsLocked(t *types.Named) []*types.Func {
	if ms, ok := g.methodSets[t]; ok {
		return ms
	}
	var out []*types.Func
	mset := types.NewMethodSet(types.NewPointer(t))
	for i := 0; i < mset.Len(); i++ {
		if fn, ok := mset.At(i).Obj().(*types.Func); ok && g.isRepo(fn) {
			out = append(out, fn.Origin())
		}
	}
	g.methodSets[t] = out
	return out
}

// reach returns every function a program can run: from its main function and the
// initialisation of every package it links, following static calls, function values, and
// interface calls to the methods of the types the program constructs (rapid type analysis).
func (g *CallGraph) reach(mainPkg *typedPkg, linked []*typedPkg) map[FnKey]bool {
	return g.reachOver(mainRoots(mainPkg, linked), false)
}

// mainRoots are where a program starts: its main function and the initialisation of every
// package it links.
func mainRoots(mainPkg *typedPkg, linked []*typedPkg) []FnKey {
	var roots []FnKey
	if mainPkg.Types != nil {
		if m, ok := mainPkg.Types.Scope().Lookup("main").(*types.Func); ok {
			roots = append(roots, m)
		}
	}
	for _, tp := range linked {
		roots = append(roots, tp)
	}
	return roots
}

// reachDefinite is reach without the choices of switches over alternatives.
func (g *CallGraph) reachDefinite(mainPkg *typedPkg, linked []*typedPkg) map[FnKey]bool {
	return g.reachOver(mainRoots(mainPkg, linked), true)
}

// hasChoices reports whether some function picks among alternatives (chooses).
func (g *CallGraph) hasChoices() bool {
	for _, fi := range g.fns {
		if len(fi.choices) > 0 {
			return true
		}
	}
	return false
}

// pkgFuncs returns the functions declared in a package, and the package itself (its
// initialisation): the roots of a component, which runs that package's code.
func (g *CallGraph) pkgFuncs(tp *typedPkg) []FnKey {
	roots := []FnKey{tp}
	for k, fi := range g.fns {
		if fi.tp == tp {
			roots = append(roots, k)
		}
	}
	return roots
}

// reachFrom returns every function reachable from the roots, as reach does.
func (g *CallGraph) reachFrom(roots []FnKey) map[FnKey]bool { return g.reachOver(roots, false) }

// reachOver is reachFrom; with definite set, it leaves out the choices of switches (chooses):
// what the program runs whatever its configuration picks.
func (g *CallGraph) reachOver(roots []FnKey, definite bool) map[FnKey]bool {
	reached := map[FnKey]bool{}
	var work []FnKey
	add := func(k FnKey) {
		if k != nil && !reached[k] && g.fns[k] != nil {
			reached[k] = true
			work = append(work, k)
		}
	}
	for _, k := range roots {
		add(k)
	}
	constructed := map[*types.Named]bool{}
	escaped := map[*types.Named]bool{}
	ifaceNames := map[string]bool{}
	repoCalls := map[string][]*types.Interface{} // method name -> the repository interfaces it was called through
	for len(work) > 0 {
		k := work[len(work)-1]
		work = work[:len(work)-1]
		fi := g.fns[k]
		for _, c := range fi.calls {
			if !definite || !fi.choices[c] {
				add(c)
			}
		}
		for _, name := range fi.ifaceCalls {
			if ifaceNames[name] {
				continue
			}
			ifaceNames[name] = true
			for t := range constructed {
				for _, m := range g.methods(t) {
					if m.Name() == name {
						add(m)
					}
				}
			}
		}
		for _, c := range fi.repoCalls {
			if slices.ContainsFunc(repoCalls[c.name], func(it *types.Interface) bool { return it == c.iface }) {
				continue
			}
			repoCalls[c.name] = append(repoCalls[c.name], c.iface)
			for t := range constructed {
				if g.typeFacts(t).sigs[c.name] == nil || !g.canAnswer(t, c.iface) {
					continue // most types have no method of the name: spare the question
				}
				for _, m := range g.methods(t) {
					if m.Name() == c.name {
						add(m)
					}
				}
			}
		}
		for _, t := range fi.constructs {
			if constructed[t] {
				continue
			}
			constructed[t] = true
			for _, m := range g.methods(t) {
				if ifaceNames[m.Name()] || escaped[t] && m.Exported() ||
					slices.ContainsFunc(repoCalls[m.Name()], func(it *types.Interface) bool { return g.canAnswer(t, it) }) {
					add(m)
				}
			}
		}
		for _, h := range fi.handed {
			for _, m := range g.methods(h.t) {
				if h.names[m.Name()] {
					add(m)
				}
			}
		}
		escapes := fi.escapes
		for _, f := range fi.escapeResults {
			if ri := g.fns[f]; ri != nil {
				escapes = append(slices.Clip(escapes), ri.constructs...)
				escapes = append(escapes, g.hands(f, 3)...)
			}
		}
		for _, f := range fi.valueEscapes {
			escapes = append(slices.Clip(escapes), g.hands(f, 3)...)
		}
		for len(escapes) > 0 {
			t := escapes[len(escapes)-1]
			escapes = escapes[:len(escapes)-1]
			if escaped[t] {
				continue
			}
			escaped[t] = true
			for _, m := range g.methods(t) {
				if m.Exported() {
					add(m)
				}
			}
			// Outside code handed a struct may reach the values its exported fields hold
			// (go-flags and kong run the commands of an options struct's fields by reflection).
			escapes = append(slices.Clip(escapes), g.fieldTypes(t)...)
		}
	}
	return reached
}

// fieldTypes returns the repository types of a struct's exported and embedded fields,
// through pointers, slices, arrays and maps' values.
func (g *CallGraph) fieldTypes(t *types.Named) []*types.Named {
	st, ok := t.Underlying().(*types.Struct)
	if !ok {
		return nil
	}
	var out []*types.Named
	for i := range st.NumFields() {
		f := st.Field(i)
		if !f.Exported() && !f.Embedded() {
			continue
		}
		if n := g.repoNamed(f.Type()); n != nil && !types.IsInterface(n) {
			out = append(out, n)
		}
	}
	return out
}

// chooses records the alternatives a switch picks among: where three or more of its arms each
// build their result with a function of another package of the repository's
// (factory, err = cassandra.NewFactory(cfg); return memory.NewStore()), those functions are
// choices, one of which a configured program runs.
func (g *CallGraph) chooses(tp *typedPkg, info *fnInfo, body *ast.BlockStmt) {
	byPkg := map[*types.Package]*types.Func{}
	for _, st := range body.List {
		cc, ok := st.(*ast.CaseClause)
		if !ok {
			continue
		}
		for _, s := range cc.Body {
			var results []ast.Expr
			switch s := s.(type) {
			case *ast.AssignStmt:
				results = s.Rhs
			case *ast.ReturnStmt:
				results = s.Results
			}
			for _, r := range results {
				if c, ok := ast.Unparen(r).(*ast.CallExpr); ok {
					if fn := g.calleeFunc(tp, c); fn != nil && fn.Pkg() != tp.Types {
						if _, seen := byPkg[fn.Pkg()]; !seen {
							byPkg[fn.Pkg()] = fn
						}
					}
				}
			}
		}
	}
	if len(byPkg) < 3 {
		return
	}
	if info.choices == nil {
		info.choices = map[FnKey]bool{}
	}
	for _, fn := range byPkg {
		info.choices[fn] = true
	}
}

// hands returns the repository types of what a function returns, following the functions
// whose results it returns, depth calls down.
func (g *CallGraph) hands(f FnKey, depth int) []*types.Named {
	fi := g.fns[f]
	if fi == nil {
		return nil
	}
	out := fi.returned
	if depth > 0 {
		for _, r := range fi.returns {
			out = append(slices.Clip(out), g.hands(r, depth-1)...)
		}
	}
	return out
}

// identOf is the identifier an expression names an object by: x, or pkg.X's X.
func identOf(e ast.Expr) *ast.Ident {
	switch e := e.(type) {
	case *ast.Ident:
		return e
	case *ast.SelectorExpr:
		return e.Sel
	}
	return nil
}

// canAnswer reports whether values of t can stand behind an interface: t has a method of every
// name the interface has, of the same shape (sameShape: signatures hold the types of outside
// packages cleave does not know, so where either side names one, the place matches). A type
// that embeds an unknown type may have methods cleave cannot see, and counts as having them
// all.
func (g *CallGraph) canAnswer(t *types.Named, it *types.Interface) bool {
	g.memoMu.Lock()
	defer g.memoMu.Unlock()
	k := answerKey{t, it}
	if v, ok := g.answers[k]; ok {
		return v
	}
	ok := g.typeFactsLocked(t).embedsOutside || g.fitsLocked(t, it)
	g.answers[k] = ok
	return ok
}

// typeFact is what canAnswer asks of a type, worked out once.
type typeFact struct {
	sigs          map[string]*types.Signature // its methods' signatures, by name
	embedsOutside bool
}

func (g *CallGraph) typeFacts(t *types.Named) typeFact {
	g.memoMu.Lock()
	defer g.memoMu.Unlock()
	return g.typeFactsLocked(t)
}

func (g *CallGraph) typeFactsLocked(t *types.Named) typeFact {
	if f, ok := g.typeFact[t]; ok {
		return f
	}
	f := typeFact{sigs: map[string]*types.Signature{}, embedsOutside: embedsOutside(t, map[*types.Named]bool{})}
	for _, m := range g.methodsLocked(t) {
		f.sigs[m.Name()], _ = m.Type().(*types.Signature)
	}
	g.typeFact[t] = f
	return f
}

// fits reports whether t has every method of an interface, of the same shape.
func (g *CallGraph) fits(t *types.Named, it *types.Interface) bool {
	g.memoMu.Lock()
	defer g.memoMu.Unlock()
	return g.fitsLocked(t, it)
}

func (g *CallGraph) fitsLocked(t *types.Named, it *types.Interface) bool {
	have := g.typeFactsLocked(t).sigs
	for i := range it.NumMethods() {
		want, _ := it.Method(i).Type().(*types.Signature)
		if got := have[it.Method(i).Name()]; got == nil || want == nil || !sameShape(got, want) {
			return false
		}
	}
	return true
}

// sameShape reports whether a method's signature can be an interface method's: as many
// parameters and results, variadic alike, and identical types wherever both are known.
func sameShape(a, b *types.Signature) bool {
	if a.Variadic() != b.Variadic() || a.Params().Len() != b.Params().Len() || a.Results().Len() != b.Results().Len() {
		return false
	}
	for _, pair := range [][2]*types.Tuple{{a.Params(), b.Params()}, {a.Results(), b.Results()}} {
		for i := range pair[0].Len() {
			x, y := pair[0].At(i).Type(), pair[1].At(i).Type()
			if !unknownIn(x) && !unknownIn(y) && !types.Identical(x, y) {
				return false
			}
		}
	}
	return true
}

// unknownIn reports whether a type is, or is made of, a type cleave does not know (one of an
// outside package, invalid here).
func unknownIn(t types.Type) bool {
	switch t := types.Unalias(t).(type) {
	case *types.Basic:
		return t.Kind() == types.Invalid
	case *types.Pointer:
		return unknownIn(t.Elem())
	case *types.Slice:
		return unknownIn(t.Elem())
	case *types.Array:
		return unknownIn(t.Elem())
	case *types.Chan:
		return unknownIn(t.Elem())
	case *types.Map:
		return unknownIn(t.Key()) || unknownIn(t.Elem())
	case *types.Signature:
		for _, tu := range []*types.Tuple{t.Params(), t.Results()} {
			for i := range tu.Len() {
				if unknownIn(tu.At(i).Type()) {
					return true
				}
			}
		}
	case *types.Named:
		for i := range t.TypeArgs().Len() {
			if unknownIn(t.TypeArgs().At(i)) {
				return true
			}
		}
	case *types.TypeParam:
		return true
	}
	return false
}

// embedsOutside reports whether a struct type embeds a field whose type cleave does not know
// (one of an outside package, invalid here), or an interface.
func embedsOutside(t *types.Named, seen map[*types.Named]bool) bool {
	st, ok := t.Underlying().(*types.Struct)
	if !ok || seen[t] {
		return false
	}
	seen[t] = true
	for i := range st.NumFields() {
		f := st.Field(i)
		if !f.Embedded() {
			continue
		}
		ft := f.Type()
		if p, ok := ft.(*types.Pointer); ok {
			ft = p.Elem()
		}
		if ft == types.Typ[types.Invalid] || types.IsInterface(ft) {
			return true
		}
		if n, ok := types.Unalias(ft).(*types.Named); ok && embedsOutside(n, seen) {
			return true
		}
	}
	return false
}

// linkedPackages returns the typed packages a main package links: itself and every repository
// package it imports, directly or not.
func (tr *TypedRepo) linkedPackages(mainPkg *typedPkg) []*typedPkg {
	seen := map[*typedPkg]bool{mainPkg: true}
	queue := []*typedPkg{mainPkg}
	for len(queue) > 0 {
		tp := queue[0]
		queue = queue[1:]
		for _, imp := range tp.Pkg.Imports {
			if dep := tr.ByPath[imp.Path]; dep != nil && !seen[dep] && !imp.Test {
				seen[dep] = true
				queue = append(queue, dep)
			}
		}
	}
	out := make([]*typedPkg, 0, len(seen))
	for tp := range seen {
		out = append(out, tp)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Pkg.Dir < out[j].Pkg.Dir })
	return out
}
