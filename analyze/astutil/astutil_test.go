package astutil

import (
	"go/parser"
	"go/token"
	"go/types"
	"maps"
	"testing"
)

func TestImportNamesUsed(t *testing.T) {
	for _, c := range []struct {
		name, src string
		want      map[string]string
	}{
		{"the qualifier the code uses", `package p
import "github.com/hashicorp-demoapp/hashicups-client-go"
func f() { c, _ := hashicups.NewClient(nil, nil, nil); c.Do() }`,
			map[string]string{"hashicups": "github.com/hashicorp-demoapp/hashicups-client-go"}},
		{"the guess when the code uses it", `package p
import "github.com/hashicorp/go-hclog"
func f() { hclog.New(nil) }`,
			map[string]string{"hclog": "github.com/hashicorp/go-hclog"}},
		{"a dotted last element", `package p
import "github.com/nats-io/nats.go"
func f() { nats.Connect("") }`,
			map[string]string{"nats": "github.com/nats-io/nats.go"}},
		{"an alias stays", `package p
import inv "example.com/inventory-client"
func f() { inv.NewClient("") }`,
			map[string]string{"inv": "example.com/inventory-client"}},
		{"a local variable is no qualifier: client does not begin the path", `package p
import "example.com/shop/orders-client"
func f(client *T) { client.Do() }`,
			map[string]string{"orders_client": "example.com/shop/orders-client"}},
		{"two candidates: the guess stays", `package p
import "example.com/shopping-cart-api"
func f() { shop.A(); shopping.B() }`,
			map[string]string{"shopping_cart_api": "example.com/shopping-cart-api"}},
		{"a name another import has", `package p
import (
	"example.com/inventory-client"
	"example.com/inv"
)
func f() { inv.A() }`,
			map[string]string{"inventory_client": "example.com/inventory-client", "inv": "example.com/inv"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			f, err := parser.ParseFile(token.NewFileSet(), "p.go", c.src, parser.SkipObjectResolution)
			if err != nil {
				t.Fatal(err)
			}
			if got := ImportNamesUsed(f); !maps.Equal(got, c.want) {
				t.Errorf("got %v, want %v", got, c.want)
			}
		})
	}
}

func TestTypeName(t *testing.T) {
	for src, want := range map[string]string{"T": "T", "*T": "T", "pkg.T": "T", "T[int]": "T", "*(T[K, V])": "T", "[]T": ""} {
		e, err := parser.ParseExpr(src)
		if err != nil {
			t.Fatal(err)
		}
		if got := TypeName(e); got != want {
			t.Errorf("TypeName(%s) = %q, want %q", src, got, want)
		}
	}
}

func TestAddressed(t *testing.T) {
	for src, want := range map[string]string{"&x": "x", "(&(x))": "x", "&cfg.DB": "cfg.DB", "x": "x", "(x)": "x", "*p": "*p", "&T{}": "T{}"} {
		e, err := parser.ParseExpr(src)
		if err != nil {
			t.Fatal(err)
		}
		if got := types.ExprString(Addressed(e)); got != want {
			t.Errorf("Addressed(%s) = %s, want %s", src, got, want)
		}
	}
}
