package recognize

import (
	"strings"

	"github.com/cleave-dev/cleave/analyze/sqltables"
	"github.com/cleave-dev/cleave/analyze/typed"
)

var beegoImports = []string{"github.com/beego/beego/v2/client/orm", "github.com/astaxie/beego/orm"}

// beegoOps are the methods of beego's Ormer that read or write the table of their model
// argument, and those of a QuerySeter (begun with QueryTable) that read or write its table.
var beegoOps = map[string]sqltables.Op{
	// Ormer, on a model: o.Insert(&user)
	"Read": sqltables.Read, "ReadWithCtx": sqltables.Read, "ReadForUpdate": sqltables.Read,
	"ReadForUpdateWithCtx": sqltables.Read, "LoadRelated": sqltables.Read, "LoadRelatedWithCtx": sqltables.Read,
	"ReadOrCreate": sqltables.Write, "ReadOrCreateWithCtx": sqltables.Write,
	"Insert": sqltables.Write, "InsertWithCtx": sqltables.Write, "InsertOrUpdate": sqltables.Write,
	"InsertOrUpdateWithCtx": sqltables.Write, "InsertMulti": sqltables.Write, "InsertMultiWithCtx": sqltables.Write,
	"Update": sqltables.Write, "UpdateWithCtx": sqltables.Write, "Delete": sqltables.Write, "DeleteWithCtx": sqltables.Write,
	// QuerySeter: o.QueryTable("user").Filter(…).All(&users)
	"All": sqltables.Read, "AllWithCtx": sqltables.Read, "One": sqltables.Read, "OneWithCtx": sqltables.Read,
	"Count": sqltables.Read, "CountWithCtx": sqltables.Read, "Exist": sqltables.Read, "ExistWithCtx": sqltables.Read,
	"Values": sqltables.Read, "ValuesWithCtx": sqltables.Read, "ValuesList": sqltables.Read,
	"ValuesListWithCtx": sqltables.Read, "ValuesFlat": sqltables.Read, "ValuesFlatWithCtx": sqltables.Read,
	"PrepareInsert": sqltables.Write, "PrepareInsertWithCtx": sqltables.Write,
}

// beegoORM names a model's table as beego does: what its TableName method returns, else the
// type's name in beego's snake case, singular (OrderItem: order_item; HTTPLog: h_t_t_p_log, or
// http_log under the acronym strategy). A prefix or suffix the repository registers its models
// with applies to both; one cleave cannot read, or a name strategy it does not know, leaves
// the names unknown.
var beegoORM = &orm{imports: beegoImports, ops: beegoOps,
	naming: func(x *typed.Extractor, n string) string {
		s := beegoNaming(x)
		if s.unknown {
			return ""
		}
		if s.acronym {
			return s.prefix + BeegoSnakeAcronym(n) + s.suffix
		}
		return s.prefix + BeegoSnake(n) + s.suffix
	},
	rename: func(x *typed.Extractor, table string) string {
		s := beegoNaming(x)
		if s.unknown {
			return ""
		}
		return s.prefix + table + s.suffix
	}}

// Beego is beego's ORM: Ormer calls on models, QueryTable chains, and RegisterDataBase for
// its connection.
var Beego = register(Recogniser{
	Name:    "beego-orm",
	Imports: beegoImports,
	Store:   "sql",
	Connect: []typed.ConnectCall{
		{Pkg: "github.com/beego/beego/v2/client/orm", Name: "RegisterDataBase", Arg: 2},
		{Pkg: "github.com/astaxie/beego/orm", Name: "RegisterDataBase", Arg: 2},
	},
})

// beegoStrategy is how the repository has beego name its tables.
type beegoStrategy struct {
	prefix, suffix string
	acronym        bool
	unknown        bool
}

// beegoNaming reads, once per repository, the prefix and suffix its RegisterModelWithPrefix and
// RegisterModelWithSuffix calls give and the strategy SetNameStrategy sets. Two that disagree,
// or one whose argument is not a constant, leave the names unknown.
func beegoNaming(x *typed.Extractor) beegoStrategy {
	tr := x.Tr
	if v, ok := tr.Memo.Load("beego-naming"); ok {
		return v.(beegoStrategy)
	}
	var s beegoStrategy
	seen := map[string]string{}
	set := func(what, v string, ok bool) {
		if prev, was := seen[what]; !ok || was && prev != v {
			s.unknown = true
		}
		seen[what] = v
	}
	for _, c := range tr.LibraryCalls(x.G, beegoImports...) {
		if c.Recv != nil || len(c.Call.Args) == 0 {
			continue
		}
		switch c.Name {
		case "RegisterModelWithPrefix":
			v, ok := c.X.ConstString(c.Call.Args[0])
			set("prefix", v, ok)
			s.prefix = v
		case "RegisterModelWithSuffix":
			v, ok := c.X.ConstString(c.Call.Args[0])
			set("suffix", v, ok)
			s.suffix = v
		case "SetNameStrategy":
			v, ok := c.X.ConstString(c.Call.Args[0])
			set("strategy", v, ok && (v == "snakeString" || v == "snakeStringWithAcronym"))
			s.acronym = v == "snakeStringWithAcronym"
		}
	}
	tr.Memo.Store("beego-naming", s)
	return s
}

// BeegoSnake is beego's default name of a model's table: an underscore before each capital
// that follows any letter but an underscore, all in lower case (UserProfile: user_profile,
// HTTPLog: h_t_t_p_log).
func BeegoSnake(s string) string {
	var b strings.Builder
	begun := false
	for i := 0; i < len(s); i++ {
		d := s[i]
		if i > 0 && d >= 'A' && d <= 'Z' && begun {
			b.WriteByte('_')
		}
		if d != '_' {
			begun = true
		}
		b.WriteByte(d)
	}
	return strings.ToLower(b.String())
}

// BeegoSnakeAcronym is the name under beego's snakeStringWithAcronym strategy: an underscore
// before a capital that follows or precedes a lower-case letter (HTTPLog: http_log).
func BeegoSnakeAcronym(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		d := s[i]
		before := i > 0 && s[i-1] >= 'a' && s[i-1] <= 'z'
		after := i+1 < len(s) && s[i+1] >= 'a' && s[i+1] <= 'z'
		if i > 0 && d >= 'A' && d <= 'Z' && (before || after) {
			b.WriteByte('_')
		}
		b.WriteByte(d)
	}
	return strings.ToLower(b.String())
}
