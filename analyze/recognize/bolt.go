package recognize

import (
	"go/ast"

	"github.com/cleave-dev/cleave/analyze/model"
	"github.com/cleave-dev/cleave/analyze/sqltables"
	"github.com/cleave-dev/cleave/analyze/typed"
)

var boltImports = []string{"go.etcd.io/bbolt", "github.com/boltdb/bolt"}

// boltTxOps are the methods of a bolt transaction that name a top-level bucket, and what they
// do to it. A bucket named at run time (a user's, a post's) is no table, and neither is a
// bucket inside another.
var boltTxOps = map[string]sqltables.Op{
	"Bucket": sqltables.Read, "CreateBucket": sqltables.Write, "CreateBucketIfNotExists": sqltables.Write,
	"DeleteBucket": sqltables.Write,
}

// boltWrites are the methods of a bucket that change it.
var boltWrites = map[string]bool{"Put": true, "Delete": true, "NextSequence": true, "SetSequence": true,
	"CreateBucket": true, "CreateBucketIfNotExists": true, "DeleteBucket": true}

// Bolt is bbolt (and boltdb/bolt, its ancestor): top-level buckets with a constant name, on a
// variable declared as a bolt transaction (store bolt). A bucket is read where the transaction
// names it, and written where a Put or Delete is called on it, directly or through the
// variable it was bound to.
var Bolt = register(Recogniser{
	Name:    "bbolt",
	Imports: boltImports,
	Store:   "bolt",
	Call: func(x *typed.Extractor, call *ast.CallExpr, c Callee) {
		if c.Recv == nil {
			return
		}
		if op, ok := boltTxOps[c.Name]; ok {
			if name, ok := boltBucket(x, call, c); ok {
				x.Add(name, "bolt", op, call.Pos())
				return
			}
		}
		if !boltWrites[c.Name] {
			return
		}
		// b.Put(k, v), where b := tx.Bucket([]byte("posts")), or tx.Bucket(…).Put(k, v)
		e := c.Recv
		if id, ok := ast.Unparen(e).(*ast.Ident); ok {
			if rhs, ok := x.Defined(id); ok {
				e = rhs
			}
		}
		inner, ok := ast.Unparen(e).(*ast.CallExpr)
		if !ok {
			return
		}
		sel, ok := inner.Fun.(*ast.SelectorExpr)
		if !ok || sel.Sel.Name != "Bucket" {
			return
		}
		if name, ok := boltBucket(x, inner, Callee{Name: "Bucket", Recv: sel.X}); ok {
			x.Add(name, "bolt", sqltables.Write, call.Pos())
		}
	},
})

// boltBucket returns the constant name a transaction's bucket call gives: Bucket([]byte("x")),
// Bucket(bucketName) with a []byte constant's conversion; false unless the receiver is a
// variable declared as a bolt *Tx.
func boltBucket(x *typed.Extractor, call *ast.CallExpr, c Callee) (string, bool) {
	if len(call.Args) != 1 {
		return "", false
	}
	path, name, ok := x.DeclaredOutsideType(c.Recv)
	if !ok || name != "Tx" || !model.PathMatches(path, boltImports...) {
		return "", false
	}
	arg := ast.Unparen(call.Args[0])
	if conv, ok := arg.(*ast.CallExpr); ok && len(conv.Args) == 1 {
		if at, ok := conv.Fun.(*ast.ArrayType); ok && at.Len == nil {
			if id, ok := at.Elt.(*ast.Ident); ok && id.Name == "byte" {
				arg = conv.Args[0]
			}
		}
	}
	s, ok := x.ConstString(arg)
	return s, ok && s != ""
}
