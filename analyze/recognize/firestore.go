package recognize

import (
	"go/ast"
	"go/types"

	"github.com/cleave-dev/cleave/analyze/sqltables"
	"github.com/cleave-dev/cleave/analyze/typed"
)

// Firestore is Google Cloud Firestore's client: collections named by Collection("x"), reached
// through document references, queries, snapshots' Ref, variables, and the repository's own
// functions that return one (a store's usersCollection()). Reads are a document's Get and a
// query's Documents; writes are Set, Create, Update and Delete on a document and Add on a
// collection; a transaction or batch does the same to the reference it is given. A call counts
// only when the collection's name is a constant it can be traced back to.
var Firestore = register(Recogniser{
	Name:    "firestore",
	Imports: []string{"cloud.google.com/go/firestore"},
	Store:   "firestore",
	// The project a client opens is the database it reaches (each project has one default).
	Connect: []typed.ConnectCall{{Pkg: "cloud.google.com/go/firestore", Name: "NewClient", Arg: 1},
		{Pkg: "cloud.google.com/go/firestore", Name: "NewClientWithDatabase", Arg: 1}},
	Bind: bindFirestore,
	Call: func(x *typed.Extractor, call *ast.CallExpr, c Callee) {
		op, ok := firestoreOps[c.Name]
		if !ok || c.Recv == nil {
			return
		}
		// docRef.Set(ctx, v) names the collection in its receiver; tx.Set(docRef, v) in its
		// first argument.
		coll := firestoreColl(x, c.Recv, 0)
		if coll == "" && len(call.Args) > 0 && c.Name != "Add" {
			coll = firestoreColl(x, call.Args[0], 0)
		}
		x.Add(coll, "firestore", op, call.Pos())
	},
})

var firestoreOps = map[string]sqltables.Op{
	"Get": sqltables.Read, "Documents": sqltables.Read,
	"Set": sqltables.Write, "Create": sqltables.Write, "Update": sqltables.Write, "Delete": sqltables.Write,
	"Add": sqltables.Write,
}

// firestoreRefining are the methods that keep the collection of their receiver: a document of
// it, or a query on it.
var firestoreRefining = map[string]bool{
	"Doc": true, "NewDoc": true, "Where": true, "WherePath": true, "WhereEntity": true, "OrderBy": true,
	"OrderByPath": true, "Limit": true, "LimitToLast": true, "Offset": true, "Select": true, "SelectPaths": true,
	"StartAt": true, "StartAfter": true, "EndAt": true, "EndBefore": true,
}

// bindFirestore records the variables assigned a collection, a document, a query or a snapshot
// of one (doc, err := ref.Get(ctx); doc, err := tx.Get(ref)).
func bindFirestore(x *typed.Extractor, f *ast.File) {
	ast.Inspect(f, func(n ast.Node) bool {
		as, ok := n.(*ast.AssignStmt)
		if !ok || len(as.Lhs) == 0 {
			return true
		}
		for i, rhs := range as.Rhs {
			lhs := as.Lhs[0]
			if len(as.Lhs) == len(as.Rhs) {
				lhs = as.Lhs[i]
			}
			coll := firestoreColl(x, rhs, 0)
			if call, ok := ast.Unparen(rhs).(*ast.CallExpr); ok && coll == "" {
				if sel, ok := call.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "Get" && len(call.Args) == 1 {
					coll = firestoreColl(x, call.Args[0], 0) // tx.Get(ref)
				}
			}
			if coll == "" {
				continue
			}
			if obj := x.ObjectOf(lhs); obj != nil {
				x.Bound[obj] = coll
			}
		}
		return true
	})
}

// firestoreColl names the collection an expression refers to, or "".
func firestoreColl(x *typed.Extractor, e ast.Expr, depth int) string {
	if depth > 8 {
		return ""
	}
	switch e := ast.Unparen(e).(type) {
	case *ast.CallExpr:
		if sel, ok := e.Fun.(*ast.SelectorExpr); ok {
			switch name := sel.Sel.Name; {
			case name == "Collection":
				if len(e.Args) == 1 {
					if s, ok := x.ConstString(e.Args[0]); ok {
						return s
					}
				}
				return ""
			case firestoreRefining[name]:
				return firestoreColl(x, sel.X, depth+1)
			case name == "Get" && len(e.Args) == 1: // a snapshot: ref.Get(ctx)
				return firestoreColl(x, sel.X, depth+1)
			}
		}
		return firestoreReturned(x, e, depth+1)
	case *ast.SelectorExpr:
		if e.Sel.Name == "Ref" || e.Sel.Name == "Query" { // a snapshot's reference; a collection's query
			if c := firestoreColl(x, e.X, depth+1); c != "" {
				return c
			}
		}
		if obj := x.ObjectOf(e); obj != nil {
			return x.Bound[obj]
		}
	case *ast.Ident:
		if obj := x.ObjectOf(e); obj != nil {
			return x.Bound[obj]
		}
	}
	return ""
}

// firestoreReturned names the collection a function of the package returns, when every return
// of it that returns something names the same one.
func firestoreReturned(x *typed.Extractor, call *ast.CallExpr, depth int) string {
	var id *ast.Ident
	switch f := call.Fun.(type) {
	case *ast.Ident:
		id = f
	case *ast.SelectorExpr:
		id = f.Sel
	default:
		return ""
	}
	fn, ok := x.Info().Uses[id].(*types.Func)
	if !ok || fn.Pkg() == nil || fn.Pkg() != x.Tp.Types {
		return ""
	}
	fd := x.FuncDecl(fn)
	if fd == nil || fd.Body == nil {
		return ""
	}
	found := ""
	ok = true
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false // a closure's returns are its own
		case *ast.ReturnStmt:
			if len(n.Results) == 0 {
				return true
			}
			c := firestoreColl(x, n.Results[0], depth+1)
			if c == "" || found != "" && c != found {
				ok = false
			}
			found = c
		}
		return true
	})
	if !ok {
		return ""
	}
	return found
}
