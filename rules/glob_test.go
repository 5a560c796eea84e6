package rules

import (
	"strings"
	"testing"
)

func TestGlobUnder(t *testing.T) {
	for _, c := range []struct {
		glob, rel, want string
		ok              bool
	}{
		{"services/orders/internal/billing", "services/orders", "internal/billing", true},
		{"services/*/internal", "services/orders", "internal", true},
		{"services/orders", "services/orders", ".", true},
		{"services", "services/orders", ".", true},
		{"services/payments/internal", "services/orders", "", false},
		{"**/internal", "services/orders", "**/internal", true},
		{"services/**/store", "services/orders", "**/store", true},
		{"internal/x", ".", "internal/x", true},
		{"internal/x", "", "internal/x", true},
	} {
		g, err := ParseGlob(c.glob)
		if err != nil {
			t.Fatal(err)
		}
		u, ok := g.Under(c.rel)
		if ok != c.ok || ok && u.String() != c.want {
			t.Errorf("%q under %q = %q, %v; want %q, %v", c.glob, c.rel, u.String(), ok, c.want, c.ok)
		}
		if ok && c.want != "." && !u.Contains(c.want) && !strings.HasPrefix(c.want, "**") {
			t.Errorf("%q under %q does not contain its own directory", c.glob, c.rel)
		}
	}
}
