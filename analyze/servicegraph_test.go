package analyze

import (
	"context"
	"fmt"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/cleave-dev/cleave/analyze/model"
)

// The service graph of each fixture, edge by edge: no in-process call, external API or test
// call becomes an edge, and the architecture is named as a reader of the code would name it.
func TestServiceGraph(t *testing.T) {
	cases := []struct {
		fixture string
		calls   []string
		current string
		kinds   map[string]string
	}{
		{"distmono", []string{
			"gateway -> orders http sync",
			"inventory -> pricing http sync",
			"orders -> inventory grpc sync",
			"pricing -> inventory http sync",
		}, "distributed-monolith", map[string]string{"gateway": "service", "orders": "service", "inventory": "service", "pricing": "service"}},
		{"eventdriven", []string{
			"orders -> notifications kafka async",
			"orders -> shipping kafka async",
			"shipping -> notifications kafka async",
		}, "microservices", map[string]string{"orders": "service", "shipping": "worker", "notifications": "worker"}},
		{"serverless", []string{
			"createOrder -> processPayment eventbridge async",
			"processPayment -> sendNotification eventbridge async",
		}, "serverless", map[string]string{"createOrder": "function", "processPayment": "function", "sendNotification": "function"}},
		{"modmono", nil, "modular-monolith", map[string]string{"shop": "service", "seed": "tool"}},
		// A table named by the template (ORDERS_TABLE: !Ref OrdersTable), written by one function and
		// read by another, whose change stream feeds a third.
		{"ddbstream", []string{"put-order -> order-events dynamodb-stream async"}, "serverless",
			map[string]string{"put-order": "function", "get-order": "function", "order-events": "function"}},
		// Each service keeps its own copy of the stubs; the pricing URL comes from a config tag default
		// through a client constructor, and is resolved though two client methods build it.
		{"stubcopies", []string{"orders -> catalog grpc sync", "orders -> pricing http sync"}, "microservices",
			map[string]string{"catalog": "service", "orders": "service", "pricing": "service"}},
		// Routes registered on chi, the server run by ory/graceful: a service all the same.
		{"framework", nil, "monolith", map[string]string{"api": "service"}},
		// One binary, two roles deployed on their own: a service and a worker.
		{"multirole", nil, "microservices", map[string]string{"platform": "service", "ctl": "service"}},
		// Listeners by purpose, manifests of every kind, code over manifest absence.
		{"shipping", nil, "hybrid", map[string]string{"agent": "worker", "api": "service", "login": "cli", "notify": "function",
			"devseed": "tool", "regen": "tool"}},
		{"sharedb", nil, "distributed-monolith", map[string]string{"billing": "worker", "reports": "cli"}},
		{"tangled", nil, "monolith", nil},
		// The cache serves the service it calls: which way its calls go cannot be told, so it
		// has none (no invented cycle); the gateway may reach either server.
		// go-kit's transport names the proto service: the pricer CLI calls it too.
		{"gatewayshop", []string{"gateway -> cache grpc sync", "gateway -> catalog grpc sync", "pricer -> cache grpc sync", "pricer -> catalog grpc sync"}, "distributed-monolith",
			map[string]string{"gateway": "service", "catalog": "service", "cache": "service", "restocker": "worker", "pricer": "cli"}},
		// An admin CLI that imports the server's package for its types is no service.
		{"adminimport", nil, "distributed-monolith", map[string]string{"admin": "cli", "server": "service", "gateway": "service", "rotate": "cli"}},
	}
	for _, c := range cases {
		t.Run(c.fixture, func(t *testing.T) {
			t.Parallel()
			res, err := Run(context.Background(), Options{Dir: filepath.Join("..", "testdata", "fixtures", c.fixture)})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, call := range res.Calls {
				mode := "async"
				if call.Sync {
					mode = "sync"
				}
				got = append(got, fmt.Sprintf("%s -> %s %s %s", call.From, call.To, call.Protocol, mode))
			}
			if !reflect.DeepEqual(got, c.calls) {
				t.Errorf("calls\n got %q\nwant %q", got, c.calls)
			}
			if res.Architecture.Current != c.current {
				t.Errorf("architecture %q, want %q (%v)", res.Architecture.Current, c.current, res.Architecture.Evidence)
			}
			kinds := map[string]model.Deployable{}
			for _, d := range res.Deployables {
				kinds[d.Name] = d
			}
			for name, want := range c.kinds {
				d, ok := kinds[name]
				switch {
				case !ok:
					t.Errorf("deployable %s is missing", name)
				case d.Kind != want:
					t.Errorf("%s is a %s, want %s (%v)", name, d.Kind, want, d.Evidence)
				}
			}
		})
	}
}
