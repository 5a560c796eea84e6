package calls

import (
	"testing"
)

func TestHostOf(t *testing.T) {
	for in, want := range map[string]string{
		"http://orders:8080/x": "orders", "inventory:9090": "inventory", "https://api.stripe.com/v1": "api.stripe.com",
		"http://price-engine.shop.svc.cluster.local/p": "price-engine", "orders.internal:80": "orders",
	} {
		if got := hostOf(in); got != want {
			t.Errorf("hostOf(%q) = %q, want %q", in, got, want)
		}
	}
}
