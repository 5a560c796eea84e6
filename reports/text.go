package reports

import (
	"bytes"
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/cleave-dev/cleave/analyze/model"
)

// AnalysisText writes the human summary of an analysis: deployables, modules, findings, warnings.
func AnalysisText(w io.Writer, res *model.Result, s Style) error {
	var b bytes.Buffer
	mods := make([]string, len(res.GoModules))
	for i, gm := range res.GoModules {
		mods[i] = gm.Path
	}
	what := model.ListShort(mods, 3)
	if len(res.Repositories) > 0 {
		what = "the system of " + Plural(len(res.Repositories), "repository")
		if res.System != "" {
			what = "system " + res.System + " · " + Plural(len(res.Repositories), "repository")
		}
	}
	fmt.Fprintf(&b, "%s %s\n", s.Bold("cleave analyze"), s.Faint(fmt.Sprintf("%s · %s · %s",
		what, Plural(len(res.Packages), "package"), Plural(len(res.GoModules), "Go module"))))
	if len(res.Repositories) > 0 {
		b.WriteString("\n" + s.Bold(fmt.Sprintf("Repositories (%d)", len(res.Repositories))) + "\n")
		tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
		for _, r := range res.Repositories {
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", r.Name, r.Role, r.Path,
				s.Faint(Plural(r.Deployables, "deployable")+", "+Plural(r.Findings, "finding")))
		}
		tw.Flush()
	}

	b.WriteString("\n" + s.Bold(fmt.Sprintf("Deployables (%d)", len(res.Deployables))) + "\n")
	if len(res.Deployables) == 0 {
		b.WriteString("  none: no main package\n")
	}
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	counts := map[string]int{}
	for _, d := range res.Deployables {
		if d.IsBundle() {
			counts["bundle"]++
		} else {
			counts[d.Kind]++
		}
		why := ""
		if len(d.Evidence) > 0 {
			why = d.Evidence[len(d.Evidence)-1]
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", d.Name, d.Kind, d.Dir, s.Faint(why))
		for _, c := range d.Components {
			pkgs := strings.Join(c.Packages, ", ")
			if len(c.Tables) > 0 {
				pkgs += " (tables " + strings.Join(c.Tables, ", ") + ")"
			}
			fmt.Fprintf(tw, "    %s %s\t%s\t%s\t%s\n", d.Name, c.Name, c.Kind, pkgs, s.Faint(c.Evidence[0]))
		}
	}
	tw.Flush()
	if len(res.Deployables) > 0 {
		var parts []string
		for _, k := range []string{model.KindService, model.KindWorker, model.KindFunction, model.KindCLI, model.KindTool, "bundle"} {
			if counts[k] > 0 {
				parts = append(parts, Plural(counts[k], k))
			}
		}
		b.WriteString(s.Faint("  "+strings.Join(parts, ", ")) + "\n")
	}

	b.WriteString("\n" + s.Bold(fmt.Sprintf("Modules (%d)", len(res.Modules))) + "\n")
	if len(res.Modules) == 0 {
		b.WriteString("  none\n")
	} else {
		var t bytes.Buffer
		tw = tabwriter.NewWriter(&t, 0, 0, 2, ' ', 0)
		fmt.Fprintf(tw, "  module\tpkgs\tin\tout\tdepends on\n")
		for _, m := range res.Modules {
			name := m.Name
			if m.Open {
				name += " (open)"
			}
			fmt.Fprintf(tw, "  %s\t%d\t%d\t%d\t%s\n", name, m.Packages, m.FanIn, m.FanOut, model.ListShort(m.DependsOn, 6))
		}
		tw.Flush()
		header, rows, _ := strings.Cut(t.String(), "\n")
		b.WriteString(s.Faint(header) + "\n" + rows)
		if cut := cycleCut(res); cut != "" {
			b.WriteString("  " + cut + "\n")
		}
	}

	writeTables(&b, res, s)
	writeCalls(&b, res, s)

	if res.Architecture.Current != "" {
		b.WriteString("\n" + s.Bold("Architecture today: "+res.Architecture.Current) + "\n")
		for _, e := range res.Architecture.Evidence {
			b.WriteString("  - " + e + "\n")
		}
		if r := res.Recommendation; r.Architecture != "" {
			b.WriteString(s.Faint(fmt.Sprintf("  From the code alone the decision rules point to %s (confidence %s); 'cleave assess --repo' adds what only people can answer.",
				r.Architecture, pct(r.Confidence))) + "\n")
		}
	}

	b.WriteString("\n" + s.Bold("Findings") + s.Faint(": "+Summary(res.Findings)) + "\n")
	for _, f := range res.Findings {
		b.WriteString("  " + s.FindingLine(f) + "\n")
	}
	if len(res.Warnings) > 0 {
		b.WriteString("\n" + s.Bold(fmt.Sprintf("Warnings (%d)", len(res.Warnings))) + s.Faint(": parts of the code cleave could not read, or read in a way of its own; the rest stands") + "\n")
		for _, w := range res.Warnings {
			fmt.Fprintf(&b, "  %s: %s\n", w.Subject, w.Message)
		}
	}
	_, err := w.Write(b.Bytes())
	return err
}

// writeTables renders table ownership: a matrix of tables by modules (R, W, RW), with shared
// tables marked, and the connection settings of the deployables.
func writeTables(b *bytes.Buffer, res *model.Result, s Style) {
	if len(res.Tables) == 0 {
		return
	}
	cols := map[string]bool{}
	for _, t := range res.Tables {
		for _, a := range t.Accesses {
			cols[moduleLabel(a.Module)] = true
		}
	}
	var mods []string
	for m := range cols {
		mods = append(mods, m)
	}
	sort.Strings(mods)
	b.WriteString("\n" + s.Bold(fmt.Sprintf("Tables (%d)", len(res.Tables))) + s.Faint(": who reads (R) and writes (W) each; * marks a table used by several modules") + "\n")
	var t bytes.Buffer
	tw := tabwriter.NewWriter(&t, 0, 0, 2, ' ', 0)
	if len(mods) <= 10 {
		fmt.Fprintf(tw, "  table\tstore\t%s\n", strings.Join(mods, "\t"))
		for _, tb := range res.Tables {
			ops := tableOps(tb)
			row := make([]string, len(mods))
			for i, m := range mods {
				row[i] = ops[m]
				if row[i] == "" {
					row[i] = "."
				}
			}
			fmt.Fprintf(tw, "  %s%s\t%s\t%s\n", tb.Name, sharedMark(ops), tb.Store, strings.Join(row, "\t"))
		}
	} else {
		fmt.Fprintf(tw, "  table\tstore\tmodules\n")
		for _, tb := range res.Tables {
			ops := tableOps(tb)
			var parts []string
			for _, m := range mods {
				if ops[m] != "" {
					parts = append(parts, m+" "+ops[m])
				}
			}
			fmt.Fprintf(tw, "  %s%s\t%s\t%s\n", tb.Name, sharedMark(ops), tb.Store, strings.Join(parts, ", "))
		}
	}
	tw.Flush()
	header, rows, _ := strings.Cut(t.String(), "\n")
	b.WriteString(s.Faint(header) + "\n" + rows)
	if len(res.Connections) > 0 {
		b.WriteString("\n" + s.Bold(fmt.Sprintf("Connections (%d)", len(res.Connections))) + "\n")
		tw = tabwriter.NewWriter(b, 0, 0, 2, ' ', 0)
		for _, c := range res.Connections {
			fmt.Fprintf(tw, "  %s\t%s\t%s\n", model.ListShort(c.Deployables, 4), c.Setting, s.Faint(fmt.Sprintf("%s:%d", c.File, c.Line)))
		}
		tw.Flush()
	}
}

func moduleLabel(m string) string {
	if m == "" {
		return "(none)"
	}
	return m
}

// tableOps returns, per module, R, W or RW.
func tableOps(tb model.Table) map[string]string {
	r, w := map[string]bool{}, map[string]bool{}
	for _, a := range tb.Accesses {
		m := moduleLabel(a.Module)
		if a.Op == "write" {
			w[m] = true
		} else {
			r[m] = true
		}
	}
	out := map[string]string{}
	for m := range r {
		out[m] = "R"
	}
	for m := range w {
		out[m] += "W"
	}
	return out
}

func sharedMark(ops map[string]string) string {
	if len(ops) > 1 {
		return " *"
	}
	return ""
}

// writeCalls renders the service graph: who calls whom, synchronously or not, and the chains.
func writeCalls(b *bytes.Buffer, res *model.Result, s Style) {
	writeComponentCalls(b, res, s)
	if len(res.Calls) == 0 {
		return
	}
	sync := 0
	for _, c := range res.Calls {
		if c.Sync {
			sync++
		}
	}
	b.WriteString("\n" + s.Bold(fmt.Sprintf("Service graph (%s", Plural(len(res.Calls), "call"))) +
		s.Bold(fmt.Sprintf(": %d synchronous, %d asynchronous)", sync, len(res.Calls)-sync)) + "\n")
	tw := tabwriter.NewWriter(b, 0, 0, 2, ' ', 0)
	for _, c := range res.Calls {
		arrow, mode := "→", "sync"
		if !c.Sync {
			arrow, mode = "⇢", "async"
		}
		if c.Purpose == model.PurposeOperator {
			mode += " (operator endpoint: in no chain)"
		}
		if c.External {
			mode += " (to a service not written in Go)"
		}
		fmt.Fprintf(tw, "  %s %s %s\t%s %s\t%s\n", c.From, arrow, c.To, c.Protocol, mode, s.Faint(fmt.Sprintf("%s:%d  %s", c.File, c.Line, c.Via)))
	}
	tw.Flush()
	var called []string
	for _, x := range res.ExternalServices {
		for _, c := range res.Calls {
			if c.External && c.To == x.Name {
				called = append(called, x.Name)
				break
			}
		}
	}
	if len(called) > 0 {
		fmt.Fprintf(b, "  %s\n", s.Faint("deployed here, not built from Go: "+strings.Join(called, ", ")))
	}
	for _, f := range res.Findings {
		if f.Rule == "calls/sync-chain" || f.Rule == "calls/cycle" {
			sep, what := " → ", "chain"
			chain := strings.Join(f.Deployables, sep)
			if f.Rule == "calls/cycle" {
				chain, what = chain+sep+f.Deployables[0], "cycle"
			}
			fmt.Fprintf(b, "  %s %s: %s\n", what, s.Severity(f.Severity), chain)
		}
	}
}

// writeComponentCalls lists the calls between the components of each multi-role binary.
func writeComponentCalls(b *bytes.Buffer, res *model.Result, s Style) {
	for _, d := range res.Deployables {
		n := 0
		for _, c := range d.Components {
			n += len(c.Calls)
		}
		if n == 0 {
			continue
		}
		b.WriteString("\n" + s.Bold(fmt.Sprintf("Calls between the components of %s (%s; one binary, run once per role)", d.Name, Plural(n, "call"))) + "\n")
		tw := tabwriter.NewWriter(b, 0, 0, 2, ' ', 0)
		for _, c := range d.Components {
			for _, cc := range c.Calls {
				fmt.Fprintf(tw, "  %s → %s\t%s\t%s\n", c.Name, cc.To, cc.Protocol, s.Faint(fmt.Sprintf("%s:%d  %s", cc.File, cc.Line, cc.Via)))
			}
		}
		tw.Flush()
	}
}

// cycleCut says where to break the module cycles: "to leave the modules acyclic, cut 2
// dependencies: billing → orders (internal/billing/invoice/invoice.go:4), …".
func cycleCut(res *model.Result) string {
	if len(res.CycleCut) == 0 {
		return ""
	}
	var parts []string
	for _, d := range res.CycleCut {
		first := d.Imports[0]
		parts = append(parts, fmt.Sprintf("%s → %s (%s:%d%s)", d.From, d.To, first.File, first.Line, more(len(d.Imports)-1)))
	}
	return fmt.Sprintf("To leave the modules acyclic, cut %s: %s", Plural(len(res.CycleCut), "dependency"), strings.Join(parts, ", "))
}

func more(n int) string {
	if n == 0 {
		return ""
	}
	return fmt.Sprintf(" and %d more", n)
}
