package recognize

import (
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/cleave-dev/cleave/analyze/typed"
)

func TestYAMLLookup(t *testing.T) {
	const doc = `
mysql:
  dsn: "root:pw@tcp(db:3306)/shop"
  Port: 3306
Server:
  address: ":8080"
kafkaTopics:
  productCreate:
    topicName: product_create
list: [a, b]
1: one
`
	var parsed any
	if err := yaml.Unmarshal([]byte(doc), &parsed); err != nil {
		t.Fatal(err)
	}
	f := func(name, tag string) typed.ConfigField { return typed.ConfigField{Name: name, Tag: tag} }
	cases := []struct {
		name     string
		fields   []typed.ConfigField
		tag      string
		jsonLike bool
		want     string
		ok       bool
	}{
		{"tagged", []typed.ConfigField{f("MySQL", `yaml:"mysql"`), f("DSN", `yaml:"dsn"`)}, "yaml", false, "root:pw@tcp(db:3306)/shop", true},
		{"go-yaml lowers an untagged name", []typed.ConfigField{f("MySQL", ""), f("DSN", "")}, "yaml", false, "root:pw@tcp(db:3306)/shop", true},
		{"go-yaml matches exactly", []typed.ConfigField{f("Server", ""), f("Address", "")}, "yaml", false, "", false},
		{"a number", []typed.ConfigField{f("MySQL", ""), f("Port", `yaml:"Port"`)}, "yaml", false, "3306", true},
		{"json tags, any case", []typed.ConfigField{f("Server", ""), f("Address", "")}, "json", true, ":8080", true},
		{"json tag names the key", []typed.ConfigField{f("Topics", `json:"kafkaTopics"`), f("Create", `json:"productCreate"`), f("Name", `json:"topicName"`)}, "json", true, "product_create", true},
		{"a key left out", []typed.ConfigField{f("MySQL", ""), f("Host", "")}, "yaml", false, "", false},
		{"a dash", []typed.ConfigField{f("MySQL", `yaml:"-"`), f("DSN", "")}, "yaml", false, "", false},
		{"not a scalar", []typed.ConfigField{f("List", "")}, "yaml", false, "", false},
		{"tag options", []typed.ConfigField{f("MySQL", `yaml:"mysql,omitempty"`), f("DSN", `yaml:"dsn,omitempty"`)}, "yaml", false, "root:pw@tcp(db:3306)/shop", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, ok := yamlLookup(parsed, c.fields, c.tag, c.jsonLike)
			if got != c.want || ok != c.ok {
				t.Errorf("yamlLookup = %q, %v; want %q, %v", got, ok, c.want, c.ok)
			}
		})
	}
	// A mapping with a key that is not a string decodes as map[any]any.
	var mixed any
	if err := yaml.Unmarshal([]byte("1: one\nname: orders\n"), &mixed); err != nil {
		t.Fatal(err)
	}
	if got, ok := yamlLookup(mixed, []typed.ConfigField{f("Name", "")}, "yaml", false); got != "orders" || !ok {
		t.Errorf("mixed keys: %q, %v; want orders", got, ok)
	}
}
