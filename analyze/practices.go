package analyze

import (
	"fmt"
	"path"
	"strings"

	"golang.org/x/mod/modfile"

	"github.com/cleave-dev/cleave/analyze/load"
	"github.com/cleave-dev/cleave/analyze/manifests"
	"github.com/cleave-dev/cleave/analyze/model"
	"github.com/cleave-dev/cleave/internal/safefs"
	"github.com/cleave-dev/cleave/rules"
)

// practices reads what the code shows of the guide's practices.
func practices(root string, t *load.Tree, res *model.Result, decls []manifests.Declared, cfg *rules.Config) []model.PracticeEvidence {
	var out []model.PracticeEvidence
	add := func(id string, ev []string) {
		if ev == nil {
			ev = []string{}
		}
		out = append(out, model.PracticeEvidence{ID: id, Found: len(ev) > 0, Evidence: ev})
	}

	add("api-first", limit(append([]string{}, t.ApiSpecs...), 5, "API contract files"))

	var pact []string
	for _, d := range t.ModDirs {
		data, err := safefs.ReadIn(root, path.Join(d, "go.mod"), safefs.GoMod)
		if err != nil {
			continue
		}
		if mf, err := modfile.ParseLax("go.mod", data, nil); err == nil {
			for _, r := range mf.Require {
				if strings.Contains(r.Mod.Path, "pact-foundation/pact-go") {
					pact = append(pact, fmt.Sprintf("%s requires %s", path.Join(d, "go.mod"), r.Mod.Path))
				}
			}
		}
	}
	pact = append(pact, limit(t.PactTests, 3, "contract test files")...)
	add("contract-testing", pact)

	var otel, mtls []string
	for _, p := range res.Packages {
		if model.InToolDir(p.Dir) {
			continue
		}
		if p.ImportsAny("go.opentelemetry.io/otel") && len(otel) < 3 {
			otel = append(otel, p.Dir+" imports go.opentelemetry.io/otel")
		}
		if p.MTLS && len(mtls) < 3 {
			mtls = append(mtls, p.Dir+" requires client certificates (mutual TLS)")
		}
	}
	add("observability", otel)
	for _, d := range decls {
		if d.ZeroTrust {
			mtls = append(mtls, d.By)
		}
	}
	add("zero-trust", mtls)

	var bounds []string
	if cfg != nil && len(cfg.Modules) > 0 {
		bounds = append(bounds, fmt.Sprintf("%s declares %d modules", path.Base(cfg.File), len(cfg.Modules)))
	}
	add("module-boundaries", bounds)
	return out
}

// limit keeps the first n items and says how many more there are.
func limit(items []string, n int, what string) []string {
	if len(items) <= n {
		return items
	}
	return append(items[:n:n], fmt.Sprintf("and %d more %s", len(items)-n, what))
}
