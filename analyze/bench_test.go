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
	"time"

	"github.com/cleave-dev/cleave/analyze/model"
)

// generateRepo writes a large, realistic single-module repository: modules under internal/,
// each with a root package (its API), sub-packages that import each other, the API of other
// modules and the standard library, and a composition root under cmd/ per ten modules.
// With sqlEvery > 0, every sqlEvery-th package also has a database/sql store with queries on
// its module's tables and, for one of them, a join across two modules' tables.
func generateRepo(tb testing.TB, dir string, modules, pkgsPerModule, filesPerPkg, sqlEvery int) {
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
			if sqlEvery > 0 && (m*pkgsPerModule+p)%sqlEvery == 0 {
				other := fmt.Sprintf("mod%02d", (m+1)%modules)
				write(pkgDir+"/store.go", fmt.Sprintf(`package %[1]s

import (
	"context"
	"database/sql"
)

const itemsTable = "%[2]s_items"

// Store keeps the module's rows.
type Store struct{ db *sql.DB }

// NewStore wraps a handle.
func NewStore(db *sql.DB) *Store { return &Store{db: db} }

// Get reads one item.
func (s *Store) Get(ctx context.Context, id int64) (string, error) {
	var name string
	err := s.db.QueryRowContext(ctx, "SELECT name FROM "+itemsTable+" WHERE id = $1", id).Scan(&name)
	return name, err
}

// Put writes one item.
func (s *Store) Put(ctx context.Context, id int64, name string) error {
	_, err := s.db.ExecContext(ctx, `+"`"+`INSERT INTO %[2]s_items (id, name) VALUES ($1, $2)
		ON CONFLICT (id) DO UPDATE SET name = excluded.name`+"`"+`, id, name)
	return err
}

// Report joins with a neighbour's table.
func (s *Store) Report(ctx context.Context) (*sql.Rows, error) {
	return s.db.QueryContext(ctx, `+"`"+`
		WITH recent AS (SELECT id FROM %[2]s_items ORDER BY id DESC LIMIT 100)
		SELECT r.id, o.name FROM recent r JOIN %[3]s_items o ON o.id = r.id`+"`"+`)
}
`, pkgName, mod, other))
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
		generateRepo(b, dir, 60, 10, 4, 0)
		bigRepo = dir
	}
	return bigRepo
}

var bigSQLRepo string

func bigSQLRepoDir(b *testing.B) string {
	if bigSQLRepo == "" {
		dir, err := os.MkdirTemp("", "cleave-bench-sql-")
		if err != nil {
			b.Fatal(err)
		}
		generateRepo(b, dir, 60, 10, 4, 5)
		bigSQLRepo = dir
	}
	return bigSQLRepo
}

func TestMain(m *testing.M) {
	code := m.Run()
	for _, d := range []string{bigRepo, bigSQLRepo} {
		if d != "" {
			os.RemoveAll(d)
		}
	}
	os.Exit(code)
}

// The generated repository compiles and analyses to the expected shape.
func TestGeneratedRepo(t *testing.T) {
	dir := t.TempDir()
	generateRepo(t, dir, 12, 4, 2, 3)
	if out, err := exec.Command("go", "vet", "-C", dir, "./...").CombinedOutput(); err != nil {
		t.Fatalf("generated code does not vet: %v\n%s", err, out)
	}
	res, err := Run(context.Background(), Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Packages) != 12*4+2 {
		t.Errorf("%d packages, want 50", len(res.Packages))
	}
	// Every third package has a store; each store writes its module's table and reads a
	// neighbour's: twelve tables, each written by one module and read by another.
	if len(res.Tables) != 12 || len(res.Findings) != 12 {
		t.Fatalf("%d tables, %d findings; want 12 and 12", len(res.Tables), len(res.Findings))
	}
	for _, f := range res.Findings {
		if f.Rule != "db/shared-table" || f.Severity.String() != "warning" {
			t.Errorf("unexpected finding %s", f.Text())
		}
	}
}

// BenchmarkLint is `cleave lint` on a repository of 60 modules and 600 packages
// (2,400 files); compare it with BenchmarkGoList on the same tree.
func BenchmarkLint(b *testing.B) {
	benchRun(b, bigRepoDir(b), func(res *model.Result) bool { return len(res.Packages) == 606 })
}

// benchRun times Run on dir after one warm-up run, checking each result.
func benchRun(b *testing.B, dir string, ok func(*model.Result) bool) {
	if _, err := Run(context.Background(), Options{Dir: dir}); err != nil { // warm the go command's caches
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		res, err := Run(context.Background(), Options{Dir: dir})
		if err != nil {
			b.Fatal(err)
		}
		if !ok(res) {
			b.Fatalf("unexpected result: %d packages, %d tables", len(res.Packages), len(res.Tables))
		}
	}
}

// BenchmarkAnalyzeSQL is `cleave analyze` on the same repository with a database store in
// every fifth package (120 stores): type checking, call graph and table extraction included.
func BenchmarkAnalyzeSQL(b *testing.B) {
	benchRun(b, bigSQLRepoDir(b), func(res *model.Result) bool { return len(res.Tables) == 60 })
}

// BenchmarkGoList is `go list -deps -json ./...` on the tree of BenchmarkLint.
func BenchmarkGoList(b *testing.B) {
	benchGoList(b, bigRepoDir(b))
}

// BenchmarkGoListSQL is `go list -deps -json ./...` on the tree of BenchmarkAnalyzeSQL.
func BenchmarkGoListSQL(b *testing.B) {
	benchGoList(b, bigSQLRepoDir(b))
}

func benchGoList(b *testing.B, dir string) {
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

// BenchmarkScale runs the cleave binary and `go list -deps -json ./...` side by side on
// generated repositories of 30, 60 and 120 modules (ten packages each, seven files a package,
// a database store in every third package: about 13,700 lines a module), and reports each
// command's time as a ratio to go list's and its peak memory (the child's maximum resident
// set). analyze and lint run cold (--no-cache); warm is analyze with the cache after one
// function body changed that the typed pass cannot see (the listing and the typed facts come
// from the cache), warmseen after a query changed (the listing comes from the cache, the
// typed pass runs again). The commands run in turn in every iteration, so that a slower
// moment of the machine weighs on all of them alike.
//
//	go test ./analyze -run '^$' -bench Scale -benchtime 3x
func BenchmarkScale(b *testing.B) {
	bin := filepath.Join(b.TempDir(), "cleave")
	build := exec.Command("go", "build", "-o", bin, "./cmd/cleave")
	build.Dir = ".."
	if out, err := build.CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	for _, modules := range []int{30, 60, 120} {
		b.Run(fmt.Sprintf("modules=%d", modules), func(b *testing.B) {
			dir := b.TempDir()
			generateRepo(b, dir, modules, 10, 7, 3)
			cache := b.TempDir()
			edited := filepath.Join(dir, "internal", "mod00", "part1", "file0.go")
			src, err := os.ReadFile(edited)
			if err != nil {
				b.Fatal(err)
			}
			edits := 0
			editBody := func() { // a function body changes; the file's imports stay as they were
				edits++
				body := strings.Replace(string(src), "counts[it]++", fmt.Sprintf("counts[it] += %d", edits), 1)
				if err := os.WriteFile(edited, []byte(body), 0o644); err != nil {
					b.Fatal(err)
				}
			}
			// An edit the typed pass sees: a query of a store changes, so the cached facts
			// cannot serve and the pass runs again on the whole tree.
			store := filepath.Join(dir, "internal", "mod00", "store.go")
			storeSrc, err := os.ReadFile(store)
			if err != nil {
				b.Fatal(err)
			}
			editQuery := func() {
				edits++
				q := strings.Replace(string(storeSrc), "LIMIT 100", fmt.Sprintf("LIMIT %d", 100+edits), 1)
				if err := os.WriteFile(store, []byte(q), 0o644); err != nil {
					b.Fatal(err)
				}
			}
			commands := []struct {
				name string
				args []string
				prep func()
			}{
				{"golist", []string{"go", "list", "-deps", "-json", "./..."}, nil},
				{"analyze", []string{bin, "analyze", "--no-cache", "--format", "json", "."}, nil},
				{"lint", []string{bin, "lint", "--no-cache", "."}, nil},
				{"warm", []string{bin, "analyze", "--format", "json", "."}, editBody},
				{"warmseen", []string{bin, "analyze", "--format", "json", "."}, editQuery},
			}
			run := func(args []string) (time.Duration, int64) {
				cmd := exec.Command(args[0], args[1:]...)
				cmd.Dir = dir
				cmd.Env = append(os.Environ(), "CLEAVE_CACHE_DIR="+cache)
				var stderr strings.Builder
				cmd.Stdout, cmd.Stderr = io.Discard, &stderr
				start := time.Now()
				err := cmd.Run()
				took := time.Since(start)
				if _, exit := err.(*exec.ExitError); err != nil && !(exit && args[1] == "lint") {
					b.Fatalf("%s: %v\n%s", strings.Join(args, " "), err, stderr.String())
				}
				return took, maxRSS(cmd.ProcessState)
			}
			for _, c := range commands { // warm the go command's caches, the file cache and cleave's
				run(c.args)
			}
			total := map[string]time.Duration{}
			peak := map[string]int64{}
			b.ResetTimer()
			for b.Loop() {
				for _, c := range commands {
					if c.prep != nil {
						c.prep()
					}
					took, rss := run(c.args)
					total[c.name] += took
					peak[c.name] = max(peak[c.name], rss)
				}
			}
			b.ReportMetric(total["golist"].Seconds()/float64(b.N), "golist-s")
			for _, c := range commands[1:] {
				b.ReportMetric(float64(total[c.name])/float64(total["golist"]), c.name+"/golist")
				b.ReportMetric(float64(peak[c.name])/(1<<20), c.name+"-MB")
			}
			b.ReportMetric(float64(peak["golist"])/(1<<20), "golist-MB")
		})
	}
}
