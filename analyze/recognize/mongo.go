package recognize

import (
	"go/ast"

	"github.com/cleave-dev/cleave/analyze/sqltables"
	"github.com/cleave-dev/cleave/analyze/typed"
)

// mongoOps are the collection methods of mongo-driver.
var mongoOps = map[string]sqltables.Op{
	"InsertOne": sqltables.Write, "InsertMany": sqltables.Write, "UpdateOne": sqltables.Write, "UpdateMany": sqltables.Write,
	"UpdateByID": sqltables.Write, "ReplaceOne": sqltables.Write, "DeleteOne": sqltables.Write, "DeleteMany": sqltables.Write,
	"FindOneAndUpdate": sqltables.Write, "FindOneAndReplace": sqltables.Write, "FindOneAndDelete": sqltables.Write,
	"BulkWrite": sqltables.Write, "Drop": sqltables.Write, "Find": sqltables.Read, "FindOne": sqltables.Read,
	"Aggregate": sqltables.Read, "CountDocuments": sqltables.Read, "EstimatedDocumentCount": sqltables.Read,
	"Distinct": sqltables.Read, "Watch": sqltables.Read,
}

// Mongo is the MongoDB Go driver: collections named by Collection("x"), also when bound to a
// variable or a field first.
var Mongo = register(Recogniser{
	Name:    "mongo",
	Imports: []string{"go.mongodb.org/mongo-driver"},
	Store:   "mongo",
	Bind:    bindCollections,
	Connect: []typed.ConnectCall{{Pkg: "go.mongodb.org/mongo-driver", Name: "ApplyURI", Arg: 0, Method: true}},
	Call: func(x *typed.Extractor, call *ast.CallExpr, c Callee) {
		if op, ok := mongoOps[c.Name]; ok && c.Recv != nil {
			if coll := mongoCollection(x, c.Recv); coll != "" {
				x.Add(coll, "mongo", op, call.Pos())
			}
		}
	},
})

// bindCollections records variables and fields assigned from Collection("name").
func bindCollections(x *typed.Extractor, f *ast.File) {
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			for i, rhs := range n.Rhs {
				if name := collectionCall(x, rhs); name != "" && i < len(n.Lhs) {
					if obj := x.ObjectOf(n.Lhs[i]); obj != nil {
						x.Bound[obj] = name
					}
				}
			}
		case *ast.ValueSpec:
			for i, v := range n.Values {
				if name := collectionCall(x, v); name != "" && i < len(n.Names) {
					if obj := x.Info().Defs[n.Names[i]]; obj != nil {
						x.Bound[obj] = name
					}
				}
			}
		case *ast.KeyValueExpr:
			if name := collectionCall(x, n.Value); name != "" {
				if id, ok := n.Key.(*ast.Ident); ok {
					if obj := x.Info().Uses[id]; obj != nil {
						x.Bound[obj] = name
					}
				}
			}
		}
		return true
	})
}

// collectionCall returns the name in a ….Collection("name") call.
func collectionCall(x *typed.Extractor, e ast.Expr) string {
	call, ok := ast.Unparen(e).(*ast.CallExpr)
	if !ok || len(call.Args) == 0 {
		return ""
	}
	if sel, ok := call.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "Collection" {
		if s, ok := x.ConstString(call.Args[0]); ok {
			return s
		}
	}
	return ""
}

// mongoCollection names the collection a method is called on: a Collection("x") call, or a
// variable or field bound to one.
func mongoCollection(x *typed.Extractor, recv ast.Expr) string {
	if name := collectionCall(x, recv); name != "" {
		return name
	}
	if obj := x.ObjectOf(recv); obj != nil {
		return x.Bound[obj]
	}
	return ""
}
