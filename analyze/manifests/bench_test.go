package manifests

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// BenchmarkDeployManifests reads one Kubernetes file of n Deployments and n Services whose
// selectors each match one Deployment. The time per document must stay flat as n grows: the
// Service matching was quadratic (20,000 documents took 15 s).
func BenchmarkDeployManifests(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run(fmt.Sprintf("docs=%d", 2*n), func(b *testing.B) {
			root := b.TempDir()
			var sb strings.Builder
			names := map[string]string{}
			for i := range n {
				fmt.Fprintf(&sb, "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api-%d\nspec:\n  template:\n    metadata:\n      labels:\n        app: api-%d\n        tier: web\n    spec:\n      containers:\n        - name: api\n          image: example.com/api-%d:1\n---\n", i, i, i)
				fmt.Fprintf(&sb, "apiVersion: v1\nkind: Service\nmetadata:\n  name: api-%d\nspec:\n  selector:\n    tier: web\n    app: api-%d\n---\n", i, i)
				names[fmt.Sprintf("cmd/api-%d", i)] = fmt.Sprintf("api-%d", i)
			}
			if err := os.WriteFile(filepath.Join(root, "all.yaml"), []byte(sb.String()), 0o644); err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			for b.Loop() {
				decls, _ := ReadDeployManifests(root, []string{"all.yaml"}, nil, nil, names)
				if len(decls) < n {
					b.Fatalf("%d declarations for %d deployments", len(decls), n)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(2*n), "ns/doc")
		})
	}
}

// BenchmarkReadQueries splits a sqlc file of n lines under one query: linear in n (it was
// quadratic, 79 CPU-s for 5 MB).
func BenchmarkReadQueries(b *testing.B) {
	for _, n := range []int{10000, 100000} {
		b.Run(fmt.Sprintf("lines=%d", n), func(b *testing.B) {
			root := b.TempDir()
			body := "-- name: All :many\n" + strings.Repeat("SELECT id, name FROM invoices WHERE id = $1 UNION\n", n) + "SELECT 1;\n"
			if err := os.WriteFile(filepath.Join(root, "q.sql"), []byte(body), 0o644); err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				if qs := ReadQueries(root, "q.sql"); len(qs) != 1 {
					b.Fatalf("%d queries", len(qs))
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/line")
		})
	}
}
