package recognize

import (
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/cleave-dev/cleave/analyze/typed"
)

func TestConfLookup(t *testing.T) {
	var doc any
	src := "DB:\n  DataSource: root@tcp(db)/app\nport: 8080\ncache:\n  host: a\nCache:\n  host: b\nName: x\n"
	if err := yaml.Unmarshal([]byte(src), &doc); err != nil {
		t.Fatal(err)
	}
	f := func(name, tag string) typed.ConfigField { return typed.ConfigField{Name: name, Tag: tag} }
	for _, c := range []struct {
		path []typed.ConfigField
		want string
		ok   bool
	}{
		{[]typed.ConfigField{f("DB", ""), f("DataSource", "")}, "root@tcp(db)/app", true},
		{[]typed.ConfigField{f("Db", ""), f("Datasource", "")}, "root@tcp(db)/app", true}, // without regard to case
		{[]typed.ConfigField{f("Port", "")}, "8080", true},
		{[]typed.ConfigField{f("Listen", `json:"port"`)}, "8080", true},              // the json tag's name
		{[]typed.ConfigField{f("CACHE", ""), f("Host", "")}, "", false},              // cache and Cache: ambiguous
		{[]typed.ConfigField{f("Mode", `json:",default=pro"`)}, "pro", true},         // a missing key's default
		{[]typed.ConfigField{f("DB", ""), f("Pass", `json:",optional"`)}, "", false}, // missing, no default
		{[]typed.ConfigField{f("Name", `json:"-"`)}, "", false},
		{[]typed.ConfigField{f("DB", "")}, "", false}, // a map, not a value
	} {
		if got, ok := confLookup(doc, c.path); got != c.want || ok != c.ok {
			t.Errorf("confLookup(%v) = %q, %v; want %q, %v", c.path, got, ok, c.want, c.ok)
		}
	}
}

// FuzzConfLookup: whatever a service's configuration file holds, reading a field of it costs
// nothing but a miss.
func FuzzConfLookup(f *testing.F) {
	f.Add([]byte("DB:\n  DataSource: x\n"), "DB", "DataSource")
	f.Add([]byte("a: &a [*a]\n"), "a", "b")
	f.Add([]byte("{\"Db\": {\"datasource\": 3}}"), "DB", "DataSource")
	f.Fuzz(func(t *testing.T, data []byte, outer, inner string) {
		var doc any
		if yaml.Unmarshal(data, &doc) != nil {
			return
		}
		confLookup(doc, []typed.ConfigField{{Name: outer}, {Name: inner, Tag: `json:",default=d"`}})
	})
}
