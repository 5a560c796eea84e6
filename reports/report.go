package reports

import (
	"bytes"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/cleave-dev/cleave/analyze/model"
	"github.com/cleave-dev/cleave/rules"
)

// Report is what `cleave report` renders: the analysis and the assessment made from it.
type Report struct {
	SchemaVersion int                     `json:"schemaVersion"`
	Analysis      *model.Result           `json:"analysis"`
	Assessment    *rules.Assessment       `json:"assessment"`
	Readiness     []model.ModuleReadiness `json:"extractionReadiness"`
	// Assessed is true when people answered questions; false when the code alone spoke.
	Assessed bool `json:"assessed"`
	// LinkPrefix is put before repository paths in links: "../" for a report in docs/.
	LinkPrefix string `json:"-"`
	// Title names the system.
	Title string `json:"title"`
}

func (r *Report) link(file string, line int) string {
	return fmt.Sprintf("[%s:%d](%s%s#L%d)", file, line, r.LinkPrefix, file, line)
}

// ArchitectureMarkdown writes the architecture document a team commits as docs/architecture.md,
// one section after another.
func ArchitectureMarkdown(w io.Writer, r *Report) error {
	var b bytes.Buffer
	r.mdVerdict(&b)
	r.mdWarningSigns(&b)
	r.mdContradictions(&b)
	if r.Assessment != nil {
		writePlan(&b, r.Assessment)
	}
	r.mdSystem(&b)
	r.mdModules(&b)
	r.mdDeployables(&b)
	r.mdData(&b)
	r.mdReadiness(&b)
	r.mdPractices(&b)
	r.mdFindings(&b)
	r.mdTrace(&b)
	_, err := w.Write(b.Bytes())
	return err
}

// mdVerdict writes the title and the verdict: the code today against the recommendation.
func (r *Report) mdVerdict(b *bytes.Buffer) {
	res, as := r.Analysis, r.Assessment
	rec := as.Recommendation
	fmt.Fprintf(b, "# Architecture of %s\n\n", r.Title)
	b.WriteString("*Written by `cleave report` from the code")
	if r.Assessed {
		b.WriteString(" and the team's answers")
	}
	b.WriteString(". Regenerate it rather than edit it.*\n\n## Verdict\n\n")
	b.WriteString("| | architecture |\n|---|---|\n")
	fmt.Fprintf(b, "| The code today | **%s** |\n", res.Architecture.Current)
	src := "the code alone (run `cleave assess --repo` to add the answers only people can give)"
	if r.Assessed {
		src = "the team's answers and the code"
	}
	fmt.Fprintf(b, "| Recommended | **%s**, confidence %s, from %s |\n", rec.Architecture, pct(rec.Confidence), src)
	if rec.Complement != nil {
		fmt.Fprintf(b, "| Beside it | %s: %s |\n", *rec.Complement, mdEscape(rec.ComplementBecause))
	}
	b.WriteString("\nWhy the code reads as " + res.Architecture.Current + ":\n\n")
	for _, e := range res.Architecture.Evidence {
		b.WriteString("- " + e + "\n")
	}
}

// mdWarningSigns writes the guide's warning signs with the evidence behind each answer.
func (r *Report) mdWarningSigns(b *bytes.Buffer) {
	as := r.Assessment
	b.WriteString("\n## Warning signs\n\nThe guide's signs of premature microservices (section \"Warning Signs: Premature Microservices\") and cleave's other warnings.\n\n")
	b.WriteString("| sign | severity | state | evidence | what to do |\n|---|---|---|---|---|\n")
	fired := map[string]rules.WarningOut{}
	for _, wn := range as.Warnings {
		fired[wn.ID] = wn
	}
	for _, wr := range as.Pack().Warnings {
		wn, ok := fired[wr.ID]
		isContract := false
		for _, id := range rules.ContractWarnings {
			isContract = isContract || id == wr.ID
		}
		if !ok && !isContract {
			continue
		}
		state, todo := "not present", ""
		switch {
		case ok:
			state, todo = "**present**", wn.Mitigation
		case as.Sign(wr.ID) == rules.SignUnknown:
			state = "unknown: not every question it depends on is answered"
		}
		var ev []string
		for _, q := range wr.Reads() {
			a, has := as.Answers[q]
			switch {
			case !has:
				ev = append(ev, q+": unanswered")
			case len(a.Evidence) > 0:
				ev = append(ev, fmt.Sprintf("%s = %v (%s)", q, a.Value, strings.Join(a.Evidence, "; ")))
			default:
				ev = append(ev, fmt.Sprintf("%s = %v (%s)", q, a.Value, a.Source))
			}
		}
		fmt.Fprintf(b, "| %s | %s | %s | %s | %s |\n", mdEscape(wr.Title), wr.Severity, state, mdEscape(strings.Join(ev, "; ")), mdEscape(todo))
	}
}

// mdContradictions writes the answers that disagree with the code.
func (r *Report) mdContradictions(b *bytes.Buffer) {
	as := r.Assessment
	if as == nil || len(as.Contradictions) == 0 {
		return
	}
	b.WriteString("\n## Where the answers and the code disagree\n\nThe team's answers decide; the code shows otherwise, which is worth a look.\n\n| question | answer | the code shows | evidence |\n|---|---|---|---|\n")
	for _, c := range as.Contradictions {
		fmt.Fprintf(b, "| %s | %s | %s | %s |\n", c.Question, mdEscape(c.Answer), mdEscape(c.Code), mdEscape(strings.Join(c.Evidence, "; ")))
	}
}

// writeNote writes what a diagram leaves out, in italics below it, or instead of it when there
// is none.
func writeNote(b *bytes.Buffer, note, graph string) {
	switch {
	case note == "":
	case graph == "":
		b.WriteString(note + "\n")
	default:
		b.WriteString("\n*" + note + "*\n")
	}
}

// mdModules writes the module diagram and table.
func (r *Report) mdModules(b *bytes.Buffer) {
	res := r.Analysis
	b.WriteString("\n## Modules\n\n")
	if len(res.Modules) == 0 {
		b.WriteString("No modules were found.\n")
	} else {
		g, note := ModuleGraph(res)
		if g != "" {
			b.WriteString("Arrows are imports between modules, labelled with their count; red arrows carry a boundary finding (a private import, a forbidden dependency or a cycle). Dashed modules are open (shared kernels).\n\n" + g)
		}
		writeNote(b, note, g)
		b.WriteString("\n| module | packages | fan-in | fan-out | depends on |\n|---|---|---|---|---|\n")
		for _, m := range res.Modules {
			name := m.Name
			if m.Open {
				name += " (open)"
			}
			fmt.Fprintf(b, "| %s | %d | %d | %d | %s |\n", name, m.Packages, m.FanIn, m.FanOut, strings.Join(m.DependsOn, ", "))
		}
		if cut := cycleCut(res); cut != "" {
			b.WriteString("\n" + mdEscape(cut) + ".\n")
		}
	}
}

// mdDeployables writes the deployables, with the service graph when there are calls.
func (r *Report) mdDeployables(b *bytes.Buffer) {
	res := r.Analysis
	if len(res.Deployables) > 0 {
		b.WriteString("\n## Deployables and calls\n\n")
		if len(res.Calls) > 0 {
			g, note := ServiceGraph(res)
			if g != "" {
				b.WriteString("Solid arrows are synchronous calls, dotted ones messages; red arrows belong to a synchronous chain or cycle.\n\n" + g)
			}
			writeNote(b, note, g)
			b.WriteString("\n")
		}
		b.WriteString("| deployable | kind | directory | why |\n|---|---|---|---|\n")
		for _, d := range res.Deployables {
			why := ""
			if len(d.Evidence) > 0 {
				why = d.Evidence[len(d.Evidence)-1]
			}
			fmt.Fprintf(b, "| %s | %s | `%s` | %s |\n", d.Name, d.Kind, d.Dir, mdEscape(why))
			for _, c := range d.Components {
				fmt.Fprintf(b, "| %s: %s | %s | `%s` | %s |\n", d.Name, c.Name, c.Kind, strings.Join(c.Packages, "`, `"), mdEscape(c.Evidence[0]))
			}
		}
	}
}

// mdSystem writes, for a system of repositories, the repositories, the diagram of the whole
// and the table of what couples the repositories.
func (r *Report) mdSystem(b *bytes.Buffer) {
	res := r.Analysis
	if len(res.Repositories) == 0 {
		return
	}
	b.WriteString("\n## System\n\nThe repositories analysed as one system; every path below begins with its repository's name.\n\n")
	b.WriteString("| repository | role | path | deployables | findings |\n|---|---|---|---|---|\n")
	for _, rp := range res.Repositories {
		fmt.Fprintf(b, "| %s | %s | `%s` | %d | %d |\n", mdEscape(rp.Name), rp.Role, rp.Path, rp.Deployables, rp.Findings)
	}
	g, note := SystemGraph(res)
	if g != "" {
		b.WriteString("\nEach group is a repository. Solid arrows are synchronous calls, dotted ones messages; red lines cross repositories.\n\n" + g)
	}
	writeNote(b, note, g)
	b.WriteString("\n### Couplings across repositories\n\n")
	if len(res.Couplings) == 0 {
		b.WriteString("None: no call, table or database ties two repositories.\n")
		return
	}
	b.WriteString("| kind | repositories | what | deployables | evidence |\n|---|---|---|---|---|\n")
	for _, c := range res.Couplings {
		ev := make([]string, 0, len(c.Evidence))
		for _, l := range c.Evidence {
			ev = append(ev, r.link(l.File, l.Line)+" "+mdEscape(l.Message))
		}
		between := strings.Join(c.Repositories, ", ")
		if c.Kind == model.CouplingCall {
			between = strings.Join(c.Repositories, " → ")
		}
		fmt.Fprintf(b, "| %s | %s | %s | %s | %s |\n", c.Kind, mdEscape(between), mdEscape(c.What), mdEscape(strings.Join(c.Deployables, ", ")), strings.Join(ev, "<br>"))
	}
}

// mdData writes the table diagram and the ownership matrix.
func (r *Report) mdData(b *bytes.Buffer) {
	res := r.Analysis
	if len(res.Tables) > 0 {
		g, note := TableGraph(res)
		b.WriteString("\n## Data\n\n")
		if g != "" {
			b.WriteString("Which module reads (R) and writes (W) which table; red tables are used by several modules.\n\n" + g)
		}
		writeNote(b, note, g)
		var mods []string
		seen := map[string]bool{}
		for _, t := range res.Tables {
			for m := range tableOps(t) {
				if !seen[m] {
					seen[m] = true
					mods = append(mods, m)
				}
			}
		}
		sort.Strings(mods)
		fmt.Fprintf(b, "\n| table | store | %s |\n|---|---|%s\n", strings.Join(mods, " | "), strings.Repeat("---|", len(mods)))
		for _, t := range res.Tables {
			ops := tableOps(t)
			row := make([]string, len(mods))
			for i, m := range mods {
				row[i] = ops[m]
			}
			fmt.Fprintf(b, "| %s%s | %s | %s |\n", t.Name, sharedMark(ops), t.Store, strings.Join(row, " | "))
		}
	}
}

// mdReadiness writes extraction readiness and the first candidate.
func (r *Report) mdReadiness(b *bytes.Buffer) {
	as := r.Assessment
	rec := as.Recommendation
	if len(r.Readiness) > 0 {
		b.WriteString("\n## Extraction readiness\n\nHow cheaply each module could become a service of its own: owning its data, few dependents, on no cycle, entered only through its API.\n\n")
		b.WriteString("| module | owns its tables | fan-in | on a cycle | boundary violations into it | score |\n|---|---|---|---|---|---|\n")
		for _, m := range r.Readiness {
			fmt.Fprintf(b, "| %s | %s | %d | %s | %d | %d |\n", m.Module, mdEscape(m.OwnsTables), m.FanIn, yesNo(m.InCycle), m.Violations, m.Score)
		}
		for _, first := range r.Readiness {
			if first.Open {
				continue
			}
			fmt.Fprintf(b, "\nWhen the time comes, **%s** is the first candidate (score %d).", first.Module, first.Score)
			if rec.Architecture != "microservices" {
				b.WriteString(" The recommendation is not to extract now: keep the boundaries clean so the option stays open.")
			}
			b.WriteString("\n")
			break
		}
	}
}

// mdPractices writes the practices and what the code shows of them.
func (r *Report) mdPractices(b *bytes.Buffer) {
	res, as := r.Analysis, r.Assessment
	rec := as.Recommendation
	b.WriteString("\n## Practices\n\n| practice | for | what the code shows | guide |\n|---|---|---|---|\n")
	shows := map[string]model.PracticeEvidence{}
	for _, p := range res.Practices {
		shows[p.ID] = p
	}
	for _, p := range as.Pack().Practices {
		applies := false
		for _, a := range p.For {
			applies = applies || a == rec.Architecture
		}
		mark := ""
		if applies {
			mark = "recommended"
		}
		code := "—"
		if ev, ok := shows[p.ID]; ok {
			code = "not found"
			if ev.Found {
				code = strings.Join(ev.Evidence, "; ")
			}
		}
		fmt.Fprintf(b, "| %s | %s | %s | %s |\n", p.Title, mark, mdEscape(code), mdEscape(p.Guide))
	}
}

// mdFindings writes the findings grouped by rule, with links and fixes.
func (r *Report) mdFindings(b *bytes.Buffer) {
	res := r.Analysis
	b.WriteString("\n## Findings\n\n")
	if len(res.Findings) == 0 {
		b.WriteString("None.\n")
	}
	byRule := map[string][]*rules.Finding{}
	var ids []string
	for _, f := range res.Findings {
		if byRule[f.Rule] == nil {
			ids = append(ids, f.Rule)
		}
		byRule[f.Rule] = append(byRule[f.Rule], f)
	}
	sort.Strings(ids)
	for _, id := range ids {
		title := id
		if ru, ok := rules.Lookup(id); ok {
			title += ": " + ru.Title
		}
		fmt.Fprintf(b, "### %s (%d)\n\n", mdEscape(title), len(byRule[id]))
		for _, f := range byRule[id] {
			fmt.Fprintf(b, "- %s %s: %s\n", f.Severity, r.link(f.File, f.Line), mdEscape(f.Message))
		}
		if ru, ok := rules.Lookup(id); ok {
			fmt.Fprintf(b, "\n*How to fix it:* %s\n\n", ru.Fix)
		}
	}
}

// mdTrace writes the decision rules that fired, the tipping points and what was left unanswered.
func (r *Report) mdTrace(b *bytes.Buffer) {
	as := r.Assessment
	b.WriteString("## How the verdict was reached\n\nEvery decision rule that fired, with its weights (`cleave rules` lists them all).\n\n")
	b.WriteString("| rule | because | effects | guide |\n|---|---|---|---|\n")
	for _, t := range as.Trace {
		fmt.Fprintf(b, "| %s | %s | %s | %s |\n", t.Rule, mdEscape(t.Reason), effects(t.Effects), mdEscape(t.Source))
	}
	if len(as.TippingPoints) > 0 {
		b.WriteString("\nAnswers that would change the recommendation:\n\n| question | today | if it were | recommendation |\n|---|---|---|---|\n")
		for _, tp := range as.TippingPoints {
			fmt.Fprintf(b, "| %s | %s | %s | %s |\n", tp.Question, tp.From, tp.To, tp.Recommendation)
		}
	}
	if len(as.Unanswered) > 0 {
		fmt.Fprintf(b, "\nUnanswered, which lowers the confidence: %s.\n", strings.Join(as.Unanswered, ", "))
	}
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
