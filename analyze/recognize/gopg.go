package recognize

import (
	"go/ast"
	"go/types"
	"reflect"
	"strings"

	"github.com/cleave-dev/cleave/analyze/sqltables"
	"github.com/cleave-dev/cleave/analyze/typed"
)

var gopgImports = []string{"github.com/go-pg/pg"}

// gopgOps are the methods that end a go-pg query begun with Model(&T{}) (or Model(&ts)), and
// what they do to T's table. CreateTable and DropTable are migrations and count for nothing.
var gopgOps = map[string]sqltables.Op{
	"Select": sqltables.Read, "SelectAndCount": sqltables.Read, "SelectAndCountEstimate": sqltables.Read,
	"Count": sqltables.Read, "CountEstimate": sqltables.Read, "Exists": sqltables.Read, "First": sqltables.Read,
	"Last": sqltables.Read, "ForEach": sqltables.Read,
	"Insert": sqltables.Write, "Update": sqltables.Write, "UpdateNotZero": sqltables.Write, "Delete": sqltables.Write,
	"ForceDelete": sqltables.Write, "SelectOrInsert": sqltables.Write,
}

// gopgORM names a model's table as go-pg does: the name its tableName field's pg tag gives
// (tableName struct{} `pg:"users,alias:u"`), else the type's name in snake case, plural. A
// repository that installs its own inflector (orm.SetTableNameInflector) keeps only the
// tagged names: what the inflector returns is code cleave does not run.
var gopgORM = &orm{imports: gopgImports, ops: gopgOps,
	tagged: gopgTableTag,
	naming: func(x *typed.Extractor, n string) string {
		if gopgInflects(x.Tr) {
			return ""
		}
		return Plural(Snake(n))
	}}

// GoPG is go-pg (v9, v10): Model(&T{}) chains, and pg.ParseURL for its connection.
var GoPG = register(Recogniser{
	Name:    "go-pg",
	Imports: gopgImports,
	Store:   "sql",
	Connect: []typed.ConnectCall{{Pkg: "github.com/go-pg/pg", Name: "ParseURL", Arg: 0}},
})

// gopgTableTag reads the table a model's tableName field names in its pg tag, or "".
func gopgTableTag(named *types.Named) string {
	st, ok := named.Underlying().(*types.Struct)
	if !ok {
		return ""
	}
	for i := 0; i < st.NumFields(); i++ {
		if st.Field(i).Name() != "tableName" {
			continue
		}
		tag, _ := reflect.StructTag(st.Tag(i)).Lookup("pg")
		first, _, _ := strings.Cut(tag, ",")
		if first = strings.Trim(strings.TrimSpace(first), `"`); first != "" && !strings.Contains(first, ":") {
			return first
		}
	}
	return ""
}

// gopgInflects reports whether the repository sets go-pg's table name inflector.
func gopgInflects(tr *typed.TypedRepo) bool {
	if v, ok := tr.Memo.Load("gopg-inflector"); ok {
		return v.(bool)
	}
	found := false
	tr.EachFile(func(f *ast.File, imports map[string]string) {
		for name, path := range imports {
			if !strings.HasPrefix(path, "github.com/go-pg/pg") || found {
				continue
			}
			ast.Inspect(f, func(n ast.Node) bool {
				if sel, ok := n.(*ast.SelectorExpr); ok && sel.Sel.Name == "SetTableNameInflector" {
					if id, ok := sel.X.(*ast.Ident); ok && id.Name == name {
						found = true
					}
				}
				return !found
			})
		}
	})
	tr.Memo.Store("gopg-inflector", found)
	return found
}
