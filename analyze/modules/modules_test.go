package modules

import (
	"reflect"
	"testing"
)

func TestInferBase(t *testing.T) {
	cases := []struct{ dir, modDir, want string }{
		{"internal/orders", ".", "internal/orders"},
		{"internal/orders/store", ".", "internal/orders"},
		{"internal/app/orders/store", ".", "internal/app/orders"}, // containers in a row
		{"pkg/money", ".", "pkg/money"},
		{"web/api/v1", ".", "web"}, // outside containers: the first segment
		{"internal", ".", "internal"},
		{".", ".", ""}, // the root package belongs to no module
		{"services/orders/internal/store", "services/orders", "services/orders"},
		{"services/orders", "services/orders", "services/orders"},
		{"backend/internal/users/db", "backend", "backend/internal/users"},
		{"backend", "backend", "backend"},
		{"libs/platform/log", "libs/platform", "libs/platform/log"},
		{"services/orders/db", "services", "services/orders"},
		{"internal/x", "..", "internal/x"}, // analysing a sub-directory of a module
	}
	for _, c := range cases {
		if got := InferBase(c.dir, c.modDir); got != c.want {
			t.Errorf("InferBase(%q, %q) = %q, want %q", c.dir, c.modDir, got, c.want)
		}
	}
}

func TestUniqueNames(t *testing.T) {
	skip := func(s string) bool { return s == "cmd" || Containers[s] }
	got := UniqueNames([]string{"cmd/api", "services/orders/cmd/api", "services/billing/cmd/api", "cmd/worker", "a/x", "b/x"}, skip)
	want := map[string]string{
		"cmd/api":                  "cmd-api",
		"services/orders/cmd/api":  "orders-api",
		"services/billing/cmd/api": "billing-api",
		"cmd/worker":               "worker",
		"a/x":                      "a-x",
		"b/x":                      "b-x",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("uniqueNames = %v, want %v", got, want)
	}
}

// TestUniqueNamesValid: every name is one .cleave.yaml accepts, so init's draft lints.
func TestUniqueNamesValid(t *testing.T) {
	got := UniqueNames([]string{"internal/-dash", "internal/~tilde", "pkg/_", "a/.x", "b/.x", "v1.2/api_v2"}, func(string) bool { return false })
	want := map[string]string{
		"internal/-dash":  "dash",
		"internal/~tilde": "tilde",
		"pkg/_":           "module",
		"a/.x":            "a-x",
		"b/.x":            "b-x",
		"v1.2/api_v2":     "api_v2",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("UniqueNames = %v, want %v", got, want)
	}
}

func TestTestDir(t *testing.T) {
	for _, c := range []struct {
		dir  string
		want bool
	}{
		{"server/integrationtests", true},
		{"e2e", true},
		{"test/e2e_tests", true},
		{"api-tests", true},
		{"util/testutil", true},
		{"internal/apitest", true},
		{"contests", false}, // a word that ends so
		{"abtests", false},  // a feature, not tests
		{"latests", false},
		{"internal/tests", true},
		{"internal/store", false},
		{"api/latest", false}, // a superlative, not a test
		{"api/latest/handlers", false},
		{"src/testing/pkg/scan", true}, // below a directory of test support
		{"internal/mocks/store", true},
		{"pkg/mockstore", true},
		{"pkg/fakes", true},
		{"tools/loadtest", true},
		{"pkg/contest/rank", false},
		{"common/persistence/persistence-tests", true}, // any name's tests, after a separator
		{"store/store_test", true},
		{"pkg/ab-testing", false},
	} {
		if got := TestNamed(c.dir); got != c.want {
			t.Errorf("TestNamed(%q) = %v, want %v", c.dir, got, c.want)
		}
	}
}
