package reports

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/cleave-dev/cleave/analyze"
)

// AnalysisText writes the human summary of an analysis: deployables, modules, findings, warnings.
func AnalysisText(w io.Writer, res *analyze.Result, s Style) error {
	var b bytes.Buffer
	mods := make([]string, len(res.GoModules))
	for i, gm := range res.GoModules {
		mods[i] = gm.Path
	}
	fmt.Fprintf(&b, "%s %s\n", s.Bold("cleave analyze"), s.Faint(fmt.Sprintf("%s · %s · %s",
		listShortStr(mods, 3), plural(len(res.Packages), "package"), plural(len(res.GoModules), "Go module"))))

	b.WriteString("\n" + s.Bold(fmt.Sprintf("Deployables (%d)", len(res.Deployables))) + "\n")
	if len(res.Deployables) == 0 {
		b.WriteString("  none: no main package\n")
	}
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	counts := map[string]int{}
	for _, d := range res.Deployables {
		counts[d.Kind]++
		why := ""
		if len(d.Evidence) > 0 {
			why = d.Evidence[len(d.Evidence)-1]
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", d.Name, d.Kind, d.Dir, s.Faint(why))
	}
	tw.Flush()
	if len(res.Deployables) > 0 {
		var parts []string
		for _, k := range []string{analyze.KindService, analyze.KindWorker, analyze.KindFunction, analyze.KindCLI, analyze.KindTool} {
			if counts[k] > 0 {
				parts = append(parts, plural(counts[k], k))
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
			fmt.Fprintf(tw, "  %s\t%d\t%d\t%d\t%s\n", name, m.Packages, m.FanIn, m.FanOut, listShortStr(m.DependsOn, 6))
		}
		tw.Flush()
		header, rows, _ := strings.Cut(t.String(), "\n")
		b.WriteString(s.Faint(header) + "\n" + rows)
	}

	b.WriteString("\n" + s.Bold("Findings") + s.Faint(": "+Summary(res.Findings)) + "\n")
	for _, f := range res.Findings {
		b.WriteString("  " + s.FindingLine(f) + "\n")
	}
	if len(res.Warnings) > 0 {
		b.WriteString("\n" + s.Bold(fmt.Sprintf("Warnings (%d)", len(res.Warnings))) + s.Faint(": parts of the code cleave could not read; the rest stands") + "\n")
		for _, w := range res.Warnings {
			fmt.Fprintf(&b, "  %s: %s\n", w.Subject, w.Message)
		}
	}
	_, err := w.Write(b.Bytes())
	return err
}

func listShortStr(items []string, most int) string {
	if len(items) == 0 {
		return "-"
	}
	if len(items) > most {
		return strings.Join(items[:most], ", ") + fmt.Sprintf(" +%d", len(items)-most)
	}
	return strings.Join(items, ", ")
}
