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

func TestGRPCPurpose(t *testing.T) {
	for service, want := range map[string]string{
		"google.golang.org/grpc/health/grpc_health_v1.Health":                   "operator",
		"grpc.health.v1.Health":                                                 "operator",
		"google.golang.org/grpc/reflection/grpc_reflection_v1.ServerReflection": "operator",
		"hipstershop.CartService":                                               "",
		"shop.health.v1.HealthRecords":                                          "",
	} {
		if got := grpcPurpose(service); got != want {
			t.Errorf("grpcPurpose(%q) = %q, want %q", service, got, want)
		}
	}
}

func TestOperatorPurpose(t *testing.T) {
	for url, want := range map[string]string{
		"http://sales:3010/debug/vars": "operator", "http://api:8080/metrics": "operator", "http://api/healthz": "operator", "http://payments:8080/actuator/health": "operator",
		"http://prometheus:9090/-/healthy": "operator", "http://api:8080/v1/orders": "", "http://api/healthcare/claims": "",
		"http://api/metricsviewer": "",
	} {
		if got := Purpose(url); got != want {
			t.Errorf("Purpose(%q) = %q, want %q", url, got, want)
		}
	}
}
