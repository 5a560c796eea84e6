package reports

import (
	"bytes"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/cleave-dev/cleave/rules"
)

// escapeData and escapeProperty follow the workflow command encoding of GitHub Actions.
func escapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

func escapeProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}

// GitHub writes one workflow command per finding: ::error file=…,line=…,col=…,title=…::message.
// Baselined findings are left out: they are accepted debt, not news.
//
// GitHub shows at most ten annotations of each level per step: the first ten of each are
// written, in the findings' order, and a notice says how many more the step summary lists.
func GitHub(w io.Writer, findings []*rules.Finding) error {
	var b bytes.Buffer
	shown, left := map[string]int{}, 0
	for _, f := range findings {
		if f.Baselined {
			continue
		}
		level := "notice"
		switch f.Severity {
		case rules.Error:
			level = "error"
		case rules.Warning:
			level = "warning"
		}
		if shown[level] == MaxAnnotations {
			left++
			continue
		}
		shown[level]++
		fmt.Fprintf(&b, "::%s file=%s,line=%d,col=%d,title=%s::%s\n", level, escapeProperty(f.File), max(f.Line, 1), max(f.Column, 1),
			escapeProperty("cleave "+f.Rule), escapeData(f.Message))
	}
	if left > 0 {
		fmt.Fprintf(&b, "::notice title=cleave::%s\n", escapeData(fmt.Sprintf("%s more not annotated (GitHub shows ten of each level per step): the step summary and 'cleave lint' list them all", Plural(left, "finding"))))
	}
	_, err := w.Write(b.Bytes())
	return err
}

// MaxAnnotations is how many annotations of one level GitHub shows for a step.
const MaxAnnotations = 10

// MaxSummary is the size of a step summary GitHub still shows (1 MiB), less a margin.
const MaxSummary = 1000 * 1024

// LintMarkdown writes the findings as a Markdown summary for a pull request comment or a
// GitHub step summary: counts, then a table per rule.
func LintMarkdown(w io.Writer, findings []*rules.Finding, stale []rules.BaselineEntry) error {
	var b bytes.Buffer
	var fresh, base []*rules.Finding
	for _, f := range findings {
		if f.Baselined {
			base = append(base, f)
		} else {
			fresh = append(fresh, f)
		}
	}
	b.WriteString("## cleave lint\n\n")
	switch {
	case len(fresh) == 0:
		b.WriteString("No new findings.")
	default:
		b.WriteString(Summary(fresh) + ".")
	}
	if len(base) > 0 {
		fmt.Fprintf(&b, " %s accepted in the baseline.", Plural(len(base), "finding"))
	}
	if len(stale) > 0 {
		verb, them := "match", "them"
		if len(stale) == 1 {
			verb, them = "matches", "it"
		}
		fmt.Fprintf(&b, " %s in the baseline no longer %s: remove %s with `cleave lint --update-baseline`.", Plural(len(stale), "entry"), verb, them)
	}
	b.WriteString("\n")
	byRule := map[string][]*rules.Finding{}
	var ruleIDs []string
	for _, f := range fresh {
		if byRule[f.Rule] == nil {
			ruleIDs = append(ruleIDs, f.Rule)
		}
		byRule[f.Rule] = append(byRule[f.Rule], f)
	}
	sort.Strings(ruleIDs)
	for _, id := range ruleIDs {
		title := id
		if r, ok := rules.Lookup(id); ok {
			title = id + ": " + r.Title
		}
		fmt.Fprintf(&b, "\n### %s\n\n| severity | where | finding |\n|---|---|---|\n", mdEscape(title))
		for _, f := range byRule[id] {
			fmt.Fprintf(&b, "| %s | `%s:%d` | %s |\n", f.Severity, f.File, f.Line, mdEscape(f.Message))
		}
		if r, ok := rules.Lookup(id); ok {
			fmt.Fprintf(&b, "\n*How to fix it:* %s\n", mdEscape(r.Fix))
		}
	}
	if len(stale) > 0 {
		b.WriteString("\n### Stale baseline entries\n\n| rule | file | description |\n|---|---|---|\n")
		for _, e := range stale {
			fmt.Fprintf(&b, "| %s | `%s` | %s |\n", e.Rule, e.File, mdEscape(e.Description))
		}
	}
	_, err := w.Write(truncateSummary(b.Bytes(), MaxSummary))
	return err
}

// truncateSummary cuts a Markdown summary larger than limit at a line, with a note: GitHub
// drops a step summary over 1 MiB whole.
func truncateSummary(md []byte, limit int) []byte {
	if len(md) <= limit {
		return md
	}
	cut := bytes.LastIndexByte(md[:limit-200], '\n') + 1
	rest := bytes.Count(md[cut:], []byte("\n| "))
	out := append([]byte{}, md[:cut]...)
	return append(out, fmt.Sprintf("\n*Truncated: %d more rows; GitHub shows no step summary over 1 MiB. `cleave lint --format json` lists everything.*\n", rest)...)
}

// mdEscape keeps text from breaking a Markdown table.
func mdEscape(s string) string {
	return strings.NewReplacer("|", "\\|", "\n", " ", "<", "&lt;", ">", "&gt;").Replace(s)
}
