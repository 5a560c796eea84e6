package reports

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"sort"
	"strings"

	"github.com/cleave-dev/cleave/rules"
)

func pct(f float64) string { return fmt.Sprintf("%d%%", int(math.Round(f*100))) }

// AssessmentText writes the assessment for a terminal.
func AssessmentText(w io.Writer, as *rules.Assessment, s Style) error {
	var b bytes.Buffer
	r := as.Recommendation
	fmt.Fprintf(&b, "%s %s %s\n", s.Bold("Recommendation:"), s.Bold(r.Architecture), s.Faint("(confidence "+pct(r.Confidence)+")"))
	if r.Complement != nil {
		fmt.Fprintf(&b, "  with %s beside it: %s\n", *r.Complement, r.ComplementBecause)
	}
	b.WriteString("\n" + s.Bold("Scores") + "\n")
	for _, a := range as.ScoreOrder() {
		fmt.Fprintf(&b, "  %-18s %4d\n", a, r.Scores[a])
	}
	if reasons := as.TopReasons(5); len(reasons) > 0 {
		b.WriteString("\n" + s.Bold("Why") + "\n")
		for _, t := range reasons {
			fmt.Fprintf(&b, "  +%d %s %s\n", t.Effects[r.Architecture], t.Reason, s.Faint("("+t.Source+")"))
		}
	}
	if len(as.Warnings) > 0 {
		b.WriteString("\n" + s.Bold(fmt.Sprintf("Warning signs (%d)", len(as.Warnings))) + "\n")
		for _, wn := range as.Warnings {
			fmt.Fprintf(&b, "  %s %s: %s\n    what to do: %s\n", strings.ToUpper(wn.Severity), wn.Title, wn.Detail, wn.Mitigation)
		}
	}
	if len(as.Risks) > 0 {
		b.WriteString("\n" + s.Bold("Improvement plan (answers that carry a risk, highest first)") + "\n")
		for i, rk := range as.Risks {
			fmt.Fprintf(&b, "  %d. %s %s = %s: %s\n", i+1, strings.ToUpper(rk.Risk), rk.Question, rk.Answer, rk.Improve)
		}
	}
	if len(as.Contradictions) > 0 {
		b.WriteString("\n" + s.Bold("Where your answers and the code disagree (your answers count)") + "\n")
		for _, c := range as.Contradictions {
			fmt.Fprintf(&b, "  %s%s\n", c.Words(), evidenceNote(c.Evidence))
		}
	}
	if unknown := unknownSigns(as); len(unknown) > 0 {
		fmt.Fprintf(&b, "\n%s %s\n", s.Bold("Warning signs not known yet (their questions are unanswered):"), strings.Join(unknown, "; "))
	}
	if len(as.TippingPoints) > 0 {
		b.WriteString("\n" + s.Bold("What would change the verdict") + "\n")
		for _, tp := range as.TippingPoints {
			fmt.Fprintf(&b, "  %s %s → %s gives %s\n", tp.Question, tp.From, tp.To, tp.Recommendation)
		}
	}
	if len(as.TippingPoints) == 0 && len(as.TippingCombinations) > 0 {
		b.WriteString("\n" + s.Bold("What would change the verdict") + "\n  no single answer; together:\n")
		for _, c := range as.TippingCombinations {
			fmt.Fprintf(&b, "  %s give %s\n", c.Words(), c.Recommendation)
		}
	}
	if len(as.TippingPoints) == 0 && len(as.TippingCombinations) == 0 {
		b.WriteString("\n" + s.Bold("What would change the verdict") + "\n  no change of up to three answers would\n")
	}
	if len(as.Unanswered) > 0 {
		fmt.Fprintf(&b, "\n%s %s\n", s.Faint("Unanswered (lowers the confidence):"), strings.Join(as.Unanswered, ", "))
	}
	if tip := couldTip(as); len(tip) > 0 {
		fmt.Fprintf(&b, "%s %s\n", s.Faint("Answering one of these could change the verdict:"), strings.Join(tip, ", "))
	}
	if len(as.Practices) > 0 {
		b.WriteString("\n" + s.Bold("Next steps") + "\n")
		for _, p := range as.Practices {
			fmt.Fprintf(&b, "  - %s: %s\n", p.Title, p.Detail)
		}
	}
	_, err := w.Write(b.Bytes())
	return err
}

// AssessmentMarkdown writes the assessment as a Markdown document.
func AssessmentMarkdown(w io.Writer, as *rules.Assessment) error {
	var b bytes.Buffer
	r := as.Recommendation
	fmt.Fprintf(&b, "# Architecture assessment\n\n**Recommendation: %s** (confidence %s)", r.Architecture, pct(r.Confidence))
	if r.Complement != nil {
		fmt.Fprintf(&b, ", with **%s** beside it: %s", *r.Complement, r.ComplementBecause)
	}
	b.WriteString("\n\n| architecture | score |\n|---|---|\n")
	for _, a := range as.ScoreOrder() {
		fmt.Fprintf(&b, "| %s | %d |\n", a, r.Scores[a])
	}
	if len(as.Warnings) > 0 {
		b.WriteString("\n## Warning signs\n\n| severity | sign | detail | what to do | guide |\n|---|---|---|---|---|\n")
		for _, wn := range as.Warnings {
			fmt.Fprintf(&b, "| %s | %s | %s | %s | %s |\n", wn.Severity, mdEscape(wn.Title), mdEscape(wn.Detail), mdEscape(wn.Mitigation), mdEscape(wn.Source))
		}
	}
	writePlan(&b, as)
	if len(as.Contradictions) > 0 {
		b.WriteString("\n## Where the answers and the code disagree\n\nThe answers count; the code says otherwise.\n\n| question | answer | the code shows | evidence |\n|---|---|---|---|\n")
		for _, c := range as.Contradictions {
			fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", c.Question, mdEscape(c.Answer), mdEscape(c.Code), mdEscape(strings.Join(c.Evidence, "; ")))
		}
	}
	if unknown := unknownSigns(as); len(unknown) > 0 {
		b.WriteString("\n**Warning signs not known yet** (their questions are unanswered): " + mdEscape(strings.Join(unknown, "; ")) + "\n")
	}
	if len(as.TippingPoints) > 0 {
		b.WriteString("\n## What would change the verdict\n\n| question | today | if it were | recommendation |\n|---|---|---|---|\n")
		for _, tp := range as.TippingPoints {
			fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", tp.Question, tp.From, tp.To, tp.Recommendation)
		}
	}
	if len(as.TippingPoints) == 0 && len(as.TippingCombinations) > 0 {
		b.WriteString("\n## What would change the verdict\n\nNo single answer changes it; these together do:\n\n")
		for _, c := range as.TippingCombinations {
			fmt.Fprintf(&b, "- %s give **%s**\n", c.Words(), c.Recommendation)
		}
	}
	if len(as.TippingPoints) == 0 && len(as.TippingCombinations) == 0 {
		b.WriteString("\n## What would change the verdict\n\nNo change of up to three answers would change it.\n")
	}
	if tip := couldTip(as); len(tip) > 0 {
		b.WriteString("\nAnswering one of these could change the verdict: " + strings.Join(tip, ", ") + ".\n")
	}
	b.WriteString("\n## How the verdict was reached\n\n| rule | because | effects | guide |\n|---|---|---|---|\n")
	for _, t := range as.Trace {
		fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", t.Rule, mdEscape(t.Reason), effects(t.Effects), mdEscape(t.Source))
	}
	b.WriteString("\n## Answers\n\n| question | answer | source |\n|---|---|---|\n")
	for _, q := range as.Pack().Questions {
		a, ok := as.Answers[q.ID]
		if !ok {
			fmt.Fprintf(&b, "| %s | *unanswered* | |\n", q.ID)
			continue
		}
		src := a.Source
		if len(a.Evidence) > 0 {
			src += ": " + strings.Join(a.Evidence, "; ")
		}
		fmt.Fprintf(&b, "| %s | %v | %s |\n", q.ID, a.Value, mdEscape(src))
	}
	if len(as.Practices) > 0 {
		b.WriteString("\n## Next steps\n\n")
		for _, p := range as.Practices {
			fmt.Fprintf(&b, "- **%s**: %s (guide: %s)\n", p.Title, p.Detail, p.Source)
		}
	}
	_, err := w.Write(b.Bytes())
	return err
}

// effects renders score changes in a stable order: "modular-monolith +3, microservices -3".
func effects(e map[string]int) string {
	keys := make([]string, 0, len(e))
	for k := range e {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s %+d", k, e[k]))
	}
	return strings.Join(parts, ", ")
}

// unknownSigns lists the titles of the warning signs that unanswered questions leave unknown.
func unknownSigns(as *rules.Assessment) []string {
	var out []string
	for _, sg := range as.UnknownSigns() {
		out = append(out, sg.Title)
	}
	return out
}

// evidenceNote renders evidence after a claim: " (a; b)", or nothing.
func evidenceNote(ev []string) string {
	if len(ev) == 0 {
		return ""
	}
	return " (" + strings.Join(ev, "; ") + ")"
}

// couldTip lists the unanswered or unknown questions whose answer alone could change the verdict.
func couldTip(as *rules.Assessment) []string {
	var out []string
	for _, u := range as.UnansweredImpact {
		if u.CouldChange {
			out = append(out, u.Question)
		}
	}
	return out
}

// writePlan writes the improvement plan in Markdown: the answers that carry a risk, highest
// first, each with what to do.
func writePlan(b *bytes.Buffer, as *rules.Assessment) {
	if len(as.Risks) == 0 {
		return
	}
	b.WriteString("\n## Improvement plan\n\nThe answers that carry a risk, highest first, and what to do about each.\n\n")
	for i, rk := range as.Risks {
		fmt.Fprintf(b, "%d. **%s** `%s = %s`: %s (guide: %s)\n", i+1, rk.Risk, rk.Question, mdEscape(rk.Answer), mdEscape(rk.Improve), mdEscape(rk.Source))
	}
}
