package recognize

import "testing"

func TestNaming(t *testing.T) {
	for in, want := range map[string]string{"User": "users", "OrderItem": "order_items", "Category": "categories",
		"Address": "addresses", "Person": "people", "HTTPLog": "http_logs", "Day": "days", "Box": "boxes"} {
		if got := Plural(Snake(in)); got != want {
			t.Errorf("table of %s = %q, want %q", in, got, want)
		}
	}
}
