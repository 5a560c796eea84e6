package analyze

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// generateRepo writes a large, realistic single-module repository: modules under internal/,
// each with a root package (its API), sub-packages that import each other, the API of other
// modules and the standard library, and a composition root under cmd/ per ten modules.
func generateRepo(tb testing.TB, dir string, modules, pkgsPerModule, filesPerPkg int) {
	tb.Helper()
	write := func(rel, content string) {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	write("go.mod", "module example.com/big\n\ngo 1.22\n")
	stdlib := []string{"context", "fmt", "strings", "sort", "time", "errors", "encoding/json", "net/http", "sync", "io"}
	for m := 0; m < modules; m++ {
		mod := fmt.Sprintf("mod%02d", m)
		for p := 0; p < pkgsPerModule; p++ {
			pkgDir := "internal/" + mod
			pkgName := mod
			if p > 0 {
				pkgName = fmt.Sprintf("part%d", p)
				pkgDir += "/" + pkgName
			}
			for f := 0; f < filesPerPkg; f++ {
				var imps []string
				for i := 0; i < 3; i++ {
					imps = append(imps, stdlib[(m+p+f+i)%len(stdlib)])
				}
				if p == 0 { // the API uses its own parts
					imps = append(imps, fmt.Sprintf("example.com/big/internal/%s/part%d", mod, 1+f%(pkgsPerModule-1)))
				} else if p+1 < pkgsPerModule {
					imps = append(imps, fmt.Sprintf("example.com/big/internal/%s/part%d", mod, p+1))
				}
				if m > 0 && f == 0 { // lower modules' APIs: a layered, acyclic graph
					imps = append(imps, fmt.Sprintf("example.com/big/internal/mod%02d", (m*7+p)%m))
				}
				var b strings.Builder
				fmt.Fprintf(&b, "// Code for module %s, package %s, file %d.\npackage %s\n\nimport (\n", mod, pkgName, f, pkgName)
				for _, imp := range dedupeStrings(imps) {
					fmt.Fprintf(&b, "\t%q\n", imp)
				}
				b.WriteString(")\n\n")
				for _, imp := range dedupeStrings(imps) {
					fmt.Fprintf(&b, "var _ = %s.%s\n", filepath.Base(imp), exported(imp))
				}
				for fn := 0; fn < 12; fn++ {
					fmt.Fprintf(&b, `
// Func%d_%d does a piece of the module's work.
func Func%d_%d(items []string, limit int) (map[string]int, error) {
	counts := make(map[string]int, len(items))
	for i, it := range items {
		if i >= limit {
			break
		}
		counts[it]++
	}
	if len(counts) == 0 {
		return nil, nil
	}
	return counts, nil
}
`, f, fn, f, fn)
				}
				write(fmt.Sprintf("%s/file%d.go", pkgDir, f), b.String())
			}
		}
		if m%10 == 0 {
			write(fmt.Sprintf("cmd/svc%02d/main.go", m), fmt.Sprintf(
				"package main\n\nimport (\n\t\"net/http\"\n\n\t\"example.com/big/internal/%s\"\n)\n\nvar _ = %s.Func0_0\n\nfunc main() { _ = http.ListenAndServe(\":8080\", nil) }\n", mod, mod))
		}
	}
}

// exported names something each imported package has, so the generated code compiles.
func exported(imp string) string {
	if strings.HasPrefix(imp, "example.com/") {
		return "Func0_0"
	}
	return map[string]string{"context": "Background", "fmt": "Sprint", "strings": "Fields", "sort": "Strings",
		"time": "Now", "errors": "New", "encoding/json": "Marshal", "net/http": "Get", "sync": "NewCond", "io": "EOF"}[imp]
}

func dedupeStrings(s []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, x := range s {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

var bigRepo string

func bigRepoDir(b *testing.B) string {
	if bigRepo == "" {
		dir, err := os.MkdirTemp("", "cleave-bench-")
		if err != nil {
			b.Fatal(err)
		}
		generateRepo(b, dir, 60, 10, 4)
		bigRepo = dir
	}
	return bigRepo
}

func TestMain(m *testing.M) {
	code := m.Run()
	if bigRepo != "" {
		os.RemoveAll(bigRepo)
	}
	os.Exit(code)
}

// The generated repository compiles and analyses to the expected shape.
func TestGeneratedRepo(t *testing.T) {
	dir := t.TempDir()
	generateRepo(t, dir, 12, 4, 2)
	if out, err := exec.Command("go", "vet", "-C", dir, "./...").CombinedOutput(); err != nil {
		t.Fatalf("generated code does not vet: %v\n%s", err, out)
	}
	res, err := Run(context.Background(), Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Packages) != 12*4+2 || len(res.Findings) != 0 {
		t.Errorf("%d packages, %d findings; want 50 and none", len(res.Packages), len(res.Findings))
	}
}

// BenchmarkLint is `cleave lint` on a repository of 60 modules and 600 packages
// (2,400 files); compare it with BenchmarkGoList on the same tree.
func BenchmarkLint(b *testing.B) {
	dir := bigRepoDir(b)
	if _, err := Run(context.Background(), Options{Dir: dir}); err != nil { // warm the go command's caches
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		res, err := Run(context.Background(), Options{Dir: dir})
		if err != nil {
			b.Fatal(err)
		}
		if len(res.Packages) != 606 {
			b.Fatalf("%d packages", len(res.Packages))
		}
	}
}

// BenchmarkGoList is `go list -deps -json ./...` on the tree of BenchmarkLint.
func BenchmarkGoList(b *testing.B) {
	dir := bigRepoDir(b)
	golist := func() {
		cmd := exec.Command("go", "list", "-deps", "-json", "./...")
		cmd.Dir = dir
		var stderr strings.Builder
		cmd.Stdout, cmd.Stderr = io.Discard, &stderr
		if err := cmd.Run(); err != nil {
			b.Fatalf("%v\n%s", err, stderr.String())
		}
	}
	golist()
	b.ResetTimer()
	for b.Loop() {
		golist()
	}
}
