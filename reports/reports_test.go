package reports

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/cleave-dev/cleave/analyze/model"
	"github.com/cleave-dev/cleave/rules"
)

// sample is a small result of the shape the analysis returns: two services sharing a table and
// calling each other, one private import.
func sample() *model.Result {
	private := &rules.Finding{Rule: rules.PrivateImport, Severity: rules.Error, File: "internal/billing/pay.go", Line: 8, Column: 2,
		Message: "internal/billing imports internal/orders/store, a private package of module orders", Modules: []string{"billing", "orders"},
		Fingerprint: "fp-private"}
	shared := &rules.Finding{Rule: rules.SharedTable, Severity: rules.Warning, File: "internal/orders/store/db.go", Line: 20, Column: 1,
		Message: "table orders is written by module orders and read by billing", Modules: []string{"billing", "orders"},
		Tables: []string{"orders"}, Fingerprint: "fp-shared"}
	for _, f := range []*rules.Finding{private, shared} {
		f.Normalize()
	}
	return &model.Result{
		SchemaVersion: 1,
		Tool:          model.Tool{Name: "cleave", Version: "test"},
		GoModules:     []model.GoModule{{Path: "example.com/shop", Dir: "."}},
		Deployables: []model.Deployable{
			{Name: "billing", Dir: "cmd/billing", Kind: model.KindService, Module: "billing", Evidence: []string{"cmd/billing/main.go:9 calls http.ListenAndServe"}},
			{Name: "orders", Dir: "cmd/orders", Kind: model.KindService, Module: "orders", Evidence: []string{"cmd/orders/main.go:9 calls http.ListenAndServe"}},
		},
		Modules: []model.Module{
			{Name: "billing", Dirs: []string{"internal/billing"}, Public: []string{}, Packages: 2, DependsOn: []string{"orders"}, DependedOnBy: []string{}, FanOut: 1},
			{Name: "orders", Dirs: []string{"internal/orders"}, Public: []string{}, Packages: 2, DependsOn: []string{}, DependedOnBy: []string{"billing"}, FanIn: 1},
		},
		Dependencies: []model.Dependency{{From: "billing", To: "orders", Imports: []model.ImportEdge{
			{Package: "internal/billing", Imports: "internal/orders/store", File: "internal/billing/pay.go", Line: 8, Column: 2}}}},
		Tables: []model.Table{{Name: "orders", Store: "sql", Accesses: []model.TableAccess{
			{Module: "billing", Deployables: []string{"billing"}, Op: "read", File: "internal/billing/pay.go", Line: 30},
			{Module: "orders", Deployables: []string{"orders"}, Op: "write", File: "internal/orders/store/db.go", Line: 20}}}},
		Calls:        []model.Call{{From: "billing", To: "orders", Protocol: "http", Sync: true, File: "internal/billing/pay.go", Line: 40, Via: "host orders"}},
		Findings:     []*rules.Finding{private, shared},
		Architecture: model.Architecture{Current: "distributed-monolith", Evidence: []string{"2 deployables share 1 table"}},
		Practices:    []model.PracticeEvidence{},
		Warnings:     []model.Warning{},
	}
}

func sampleReport(t *testing.T) *Report {
	t.Helper()
	as := rules.DefaultPack().Assess(map[string]rules.Answer{"team_size": {Value: 8, Source: "answer"}, "shared_database": {Value: "yes", Source: "code"}})
	res := sample().WithRecommendation(as.Recommendation)
	return &Report{SchemaVersion: 1, Analysis: res, Assessment: as, Title: "example.com/shop", Readiness: []model.ModuleReadiness{}}
}

func render(t *testing.T, f func(b *bytes.Buffer) error) string {
	t.Helper()
	var b bytes.Buffer
	if err := f(&b); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func wantAll(t *testing.T, printer, out string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(out, w) {
			t.Errorf("%s: output lacks %q:\n%s", printer, w, out)
		}
	}
}

func TestLintText(t *testing.T) {
	out := render(t, func(b *bytes.Buffer) error { return Lint(b, sample().Findings, Style{}) })
	want := "internal/billing/pay.go:8:2: error: internal/billing imports internal/orders/store, a private package of module orders (boundary/private-import)\n" +
		"internal/orders/store/db.go:20:1: warning: table orders is written by module orders and read by billing (db/shared-table)\n"
	if out != want {
		t.Errorf("got\n%s\nwant\n%s", out, want)
	}
}

func TestGitHub(t *testing.T) {
	fs := sample().Findings
	baselined := *fs[1]
	baselined.Baselined = true
	out := render(t, func(b *bytes.Buffer) error { return GitHub(b, []*rules.Finding{fs[0], &baselined}) })
	want := "::error file=internal/billing/pay.go,line=8,col=2,title=cleave boundary/private-import::internal/billing imports internal/orders/store, a private package of module orders\n"
	if out != want {
		t.Errorf("got %q, want %q (a baselined finding is no annotation)", out, want)
	}
}

func TestSARIF(t *testing.T) {
	out := render(t, func(b *bytes.Buffer) error { return SARIF(b, "test", sample().Findings, rules.All()) })
	var doc struct {
		Version string `json:"version"`
		Runs    []struct {
			Tool struct {
				Driver struct {
					Rules []struct {
						ID string `json:"id"`
					} `json:"rules"`
				} `json:"driver"`
			} `json:"tool"`
			Results []struct {
				RuleID string `json:"ruleId"`
				Level  string `json:"level"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Version != "2.1.0" || len(doc.Runs) != 1 || len(doc.Runs[0].Results) != 2 || len(doc.Runs[0].Tool.Driver.Rules) != len(rules.All()) {
		t.Fatalf("unexpected SARIF: %s", out)
	}
	if r := doc.Runs[0].Results[0]; r.RuleID != rules.PrivateImport || r.Level != "error" {
		t.Errorf("first result %+v", r)
	}
}

func TestLintMarkdown(t *testing.T) {
	out := render(t, func(b *bytes.Buffer) error {
		return LintMarkdown(b, sample().Findings, []rules.BaselineEntry{{Fingerprint: "gone", Rule: rules.ModuleCycle, File: "x.go"}})
	})
	wantAll(t, "LintMarkdown", out, "2 findings (1 error, 1 warning). 1 entry in the baseline no longer matches: remove it",
		"### boundary/private-import", "### db/shared-table", "`internal/billing/pay.go:8`", "### Stale baseline entries", "| boundary/module-cycle | `x.go` |")
}

func TestJSONIsStable(t *testing.T) {
	a := render(t, func(b *bytes.Buffer) error { return JSON(b, sample()) })
	b := render(t, func(b *bytes.Buffer) error { return JSON(b, sample()) })
	if a != b || !strings.HasSuffix(a, "}\n") {
		t.Fatal("JSON is not byte-identical, or not newline-terminated")
	}
	wantAll(t, "JSON", a, `"schemaVersion": 1`, `"current": "distributed-monolith"`, `"fingerprint": "fp-private"`)
}

func TestAnalysisText(t *testing.T) {
	out := render(t, func(b *bytes.Buffer) error { return AnalysisText(b, sample(), Style{}) })
	wantAll(t, "AnalysisText", out, "Deployables (2)", "billing", "orders *", "distributed-monolith", "boundary/private-import")
}

func TestArchitectureMarkdown(t *testing.T) {
	out := render(t, func(b *bytes.Buffer) error { return ArchitectureMarkdown(b, sampleReport(t)) })
	wantAll(t, "ArchitectureMarkdown", out, "# Architecture of example.com/shop", "## Verdict", "## Warning signs", "## Modules",
		"```mermaid", "## Deployables and calls", "## Data", "## Practices", "## Findings", "[internal/billing/pay.go:8](internal/billing/pay.go#L8)",
		"## How the verdict was reached")
}

func TestADR(t *testing.T) {
	out := render(t, func(b *bytes.Buffer) error { return ADR(b, sampleReport(t), "2026-12-01") })
	wantAll(t, "ADR", out, "2026-12-01", "## Context and Problem Statement", "## Decision Outcome", "## Pros and Cons of the Options")
}

func TestAssessment(t *testing.T) {
	as := sampleReport(t).Assessment
	text := render(t, func(b *bytes.Buffer) error { return AssessmentText(b, as, Style{}) })
	md := render(t, func(b *bytes.Buffer) error { return AssessmentMarkdown(b, as) })
	wantAll(t, "AssessmentText", text, "Recommendation: "+as.Recommendation.Architecture)
	wantAll(t, "AssessmentMarkdown", md, "# Architecture assessment", "**Recommendation: "+as.Recommendation.Architecture+"**")
}

func TestGraphs(t *testing.T) {
	res := sample()
	modules, _ := ModuleGraph(res)
	services, _ := ServiceGraph(res)
	tables, _ := TableGraph(res)
	wantAll(t, "ModuleGraph", modules, "flowchart", "m_billing", "m_orders")
	wantAll(t, "ServiceGraph", services, "d_billing", "d_orders", "|http|")
	wantAll(t, "TableGraph", tables, "orders")
}

func TestPlural(t *testing.T) {
	for n, want := range map[int]string{0: "0 entries", 1: "1 entry", 2: "2 entries"} {
		if got := Plural(n, "entry"); got != want {
			t.Errorf("Plural(%d, entry) = %q, want %q", n, got, want)
		}
	}
	if got := Plural(3, "finding"); got != "3 findings" {
		t.Errorf("got %q", got)
	}
	if got := Plural(2, "key"); got != "2 keys" {
		t.Errorf("got %q", got)
	}
}

// TestGitHubAnnotationCap: ten annotations of each level, then one notice for the rest.
func TestGitHubAnnotationCap(t *testing.T) {
	var fs []*rules.Finding
	for i := range 25 {
		sev := rules.Error
		if i%5 == 0 {
			sev = rules.Warning
		}
		fs = append(fs, &rules.Finding{Rule: rules.PrivateImport, Severity: sev, File: fmt.Sprintf("f%02d.go", i), Line: 1, Message: "m"})
	}
	var b strings.Builder
	if err := GitHub(&b, fs); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if n := strings.Count(out, "::error "); n != 10 {
		t.Errorf("%d error annotations, want 10", n)
	}
	if n := strings.Count(out, "::warning "); n != 5 {
		t.Errorf("%d warning annotations, want all 5", n)
	}
	if !strings.Contains(out, "::notice title=cleave::10 findings more not annotated") {
		t.Errorf("no notice for the rest:\n%s", out)
	}
}

func TestTruncateSummary(t *testing.T) {
	md := []byte("## cleave lint\n\n" + strings.Repeat("| error | `a.go:1` | a finding |\n", 2000))
	out := truncateSummary(md, 4096)
	if len(out) > 4096 || !strings.Contains(string(out), "*Truncated: ") || !bytes.HasSuffix(bytes.TrimRight(out, "\n"), []byte("lists everything.*")) {
		t.Errorf("truncated to %d bytes:\n%s", len(out), out[len(out)-200:])
	}
	if got := truncateSummary([]byte("small\n"), 4096); string(got) != "small\n" {
		t.Errorf("a small summary changed: %q", got)
	}
}
