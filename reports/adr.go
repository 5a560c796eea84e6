package reports

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/cleave-dev/cleave/rules"
)

// optionFacts are the guide's comparison of the architectures (section "Comparing Architectural
// Approaches", and its serverless sections), in cleave's words: good and bad points.
var optionFacts = map[string][2][]string{
	"monolith": {
		{"one deployment unit: simple to build, release, debug and monitor", "low operational overhead", "suits a team of any size at the start"},
		{"scales only as a whole", "one technology stack", "without enforced module boundaries it tangles as it grows"},
	},
	"modular-monolith": {
		{"simple deployment and operations, like a monolith", "clear module boundaries keep the domain understandable", "modules with clean boundaries can be extracted later, when the need is real"},
		{"scales as a whole", "one technology stack", "boundaries hold only while they are enforced (cleave lint)"},
	},
	"microservices": {
		{"independent deployment and scaling of each service", "autonomous teams, and several technologies where genuinely needed", "explicit bounded contexts"},
		{"high operational overhead: delivery pipelines, tracing, on-call per service", "network latency, partial failure and data consistency across services", "costly to undo when boundaries turn out wrong"},
	},
	"serverless": {
		{"pay per execution; idle costs nothing", "the platform scales from zero to thousands of instances", "no servers to manage; fits event-driven and background work"},
		{"run-time limits (AWS Lambda: 15 minutes) and cold starts", "long-running and streaming work does not fit", "harder to test and observe locally"},
	},
}

// confirmation names, per architecture, the checks of `cleave lint` that keep it true.
var confirmation = map[string][][2]string{
	"monolith": {
		{rules.ModuleCycle, "no cycles between the packages' modules, so the monolith can still be cut later"},
	},
	"modular-monolith": {
		{rules.ForbiddenDependency, "modules import only what `dependsOn` in .cleave.yaml allows"},
		{rules.PrivateImport, "modules use each other only through their public packages"},
		{rules.ModuleCycle, "no cycles between modules, so any of them can be extracted"},
		{rules.ForeignTable, "each table is written only by the module `tables` in .cleave.yaml names as its owner"},
	},
	"microservices": {
		{rules.SharedTable, "no table is used by two deployables"},
		{rules.SharedDSN, "no two deployables connect through one database setting"},
		{rules.SyncChain, "no request waits on a chain of three or more services"},
		{rules.CallCycle, "no services call each other in a cycle"},
	},
	"serverless": {
		{rules.SharedTable, "no table is shared between deployables (the functions of one stack aside)"},
		{rules.SyncChain, "functions do not wait on chains of synchronous calls"},
	},
}

// ADR writes an Architecture Decision Record in the MADR 4 layout from the report.
func ADR(w io.Writer, r *Report, date string) error {
	var b bytes.Buffer
	res, as := r.Analysis, r.Assessment
	rec := as.Recommendation
	// MADR 4: the metadata is YAML front matter.
	fmt.Fprintf(&b, "---\nstatus: proposed\ndate: %s\ndecision-makers: the team (edit: name who decides)\n---\n\n", date)
	fmt.Fprintf(&b, "<!-- Written by `cleave report --format adr`; edit it to record the team's decision. -->\n\n")
	fmt.Fprintf(&b, "# Adopt a %s architecture for %s\n\n", rec.Architecture, r.Title)

	b.WriteString("## Context and Problem Statement\n\n")
	fmt.Fprintf(&b, "Which architecture should %s have? Today the code is a **%s**: %s.", r.Title, res.Architecture.Current, strings.Join(res.Architecture.Evidence, "; "))
	if len(as.Warnings) > 0 {
		var titles []string
		for _, wn := range as.Warnings {
			titles = append(titles, strings.ToLower(wn.Title[:1])+wn.Title[1:])
		}
		fmt.Fprintf(&b, " Warning signs are present: %s.", strings.Join(titles, "; "))
	}
	b.WriteString("\n\n## Decision Drivers\n\n")
	for _, t := range as.TopReasons(6) {
		fmt.Fprintf(&b, "* %s (guide: %s)\n", t.Reason, t.Source)
	}
	for _, wn := range as.Warnings {
		fmt.Fprintf(&b, "* %s: %s\n", wn.Title, wn.Detail)
	}
	if !r.Assessed {
		b.WriteString("* Only the code was read; answers about the team and the product (`cleave assess`) would sharpen this record\n")
	}

	b.WriteString("\n## Considered Options\n\n")
	for _, a := range as.ScoreOrder() {
		fmt.Fprintf(&b, "* %s\n", a)
	}

	b.WriteString("\n## Decision Outcome\n\n")
	fmt.Fprintf(&b, "Chosen option: \"%s\", because it scores highest on the decision rules (%d; confidence %s)", rec.Architecture, rec.Scores[rec.Architecture], pct(rec.Confidence))
	if reasons := as.TopReasons(3); len(reasons) > 0 {
		var why []string
		for _, t := range reasons {
			why = append(why, strings.TrimSuffix(t.Reason, "."))
		}
		fmt.Fprintf(&b, ": %s", strings.Join(why, "; "))
	}
	b.WriteString(".")
	if rec.Complement != nil {
		fmt.Fprintf(&b, " Beside it, %s: %s", *rec.Complement, rec.ComplementBecause)
	}
	b.WriteString("\n\n### Consequences\n\n")
	facts := optionFacts[rec.Architecture]
	for _, g := range facts[0] {
		fmt.Fprintf(&b, "* Good, because %s\n", g)
	}
	for _, bad := range facts[1] {
		fmt.Fprintf(&b, "* Bad, because %s\n", bad)
	}
	for _, wn := range as.Warnings {
		fmt.Fprintf(&b, "* To do: %s\n", wn.Mitigation)
	}
	if len(as.TippingPoints) > 0 {
		b.WriteString("\nRevisit this decision if any of these change:\n\n")
		for _, tp := range as.TippingPoints {
			fmt.Fprintf(&b, "* %s from %s to %s would point to %s\n", tp.Question, tp.From, tp.To, tp.Recommendation)
		}
	}

	b.WriteString("\n### Confirmation\n\n")
	b.WriteString("`cleave lint` in CI keeps the decision true: it fails the build when the code drifts from it.\n\n")
	for _, c := range confirmation[rec.Architecture] {
		fmt.Fprintf(&b, "* `%s`: %s\n", c[0], c[1])
	}

	b.WriteString("\n## Pros and Cons of the Options\n\n")
	for _, a := range as.ScoreOrder() {
		fmt.Fprintf(&b, "### %s\n\nScore %d.\n\n", a, rec.Scores[a])
		for _, g := range optionFacts[a][0] {
			fmt.Fprintf(&b, "* Good, because %s\n", g)
		}
		for _, bad := range optionFacts[a][1] {
			fmt.Fprintf(&b, "* Bad, because %s\n", bad)
		}
		b.WriteString("\n")
	}
	_, err := w.Write(bytes.TrimRight(b.Bytes(), "\n"))
	if err == nil {
		_, err = w.Write([]byte("\n"))
	}
	return err
}
