package rules

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
)

// AssessmentSchema is the version of the assessment JSON.
const AssessmentSchema = 1

// Assessment is the outcome of the decision engine: the contract's assessment JSON.
type Assessment struct {
	SchemaVersion  int            `json:"schemaVersion"`
	Recommendation Recommendation `json:"recommendation"`
	Warnings       []WarningOut   `json:"warnings"`
	Trace          []TraceEntry   `json:"trace"`
	TippingPoints  []TippingPoint `json:"tippingPoints"`
	// TippingCombinations are, when no single answer change alters the recommendation, the
	// smallest sets of changes that do (two answers, else three), a few of them.
	TippingCombinations []TippingCombination `json:"tippingCombinations"`
	// UnansweredImpact says of each unanswered or unknown question whether answering it alone
	// could change the recommendation.
	UnansweredImpact []UnansweredImpact `json:"unansweredImpact"`
	// Risks are the answers that carry a risk, high first, each with what to do: the
	// improvement plan, in order.
	Risks      []RiskOut            `json:"risks"`
	Answers    map[string]AnswerOut `json:"answers"`
	Unanswered []string             `json:"unanswered"`
	Practices  []PracticeOut        `json:"practices"`
	// Signs are every warning sign of the pack with its state: present, absent, or unknown when
	// a question it reads has no answer.
	Signs []SignOut `json:"signs"`
	// Contradictions are the answers a person gave that disagree with what the code shows
	// (assess --repo): the person's answer counts, and the disagreement is told.
	Contradictions []Contradiction `json:"contradictions"`
	pack           *Pack
}

// Contradiction is an answer that disagrees with the code.
type Contradiction struct {
	Question string   `json:"question"`
	Answer   string   `json:"answer"`
	Code     string   `json:"code"`     // the answer the code gives
	Evidence []string `json:"evidence"` // what the code shows
}

// Contradict lists the answers that disagree with the answers the code gave (code), sorted by
// question: a known answer of a person's that differs from a known answer of the code's.
func (as *Assessment) Contradict(code, answers map[string]Answer) {
	as.Contradictions = []Contradiction{}
	for _, q := range as.pack.Questions {
		c, ok := code[q.ID]
		a, has := answers[q.ID]
		if !ok || !has || !c.Known() || !a.Known() || a.Source == "code" || fmt.Sprint(a.Value) == fmt.Sprint(c.Value) {
			continue
		}
		ev := c.Evidence
		if ev == nil {
			ev = []string{}
		}
		as.Contradictions = append(as.Contradictions, Contradiction{Question: q.ID, Answer: fmt.Sprint(a.Value), Code: fmt.Sprint(c.Value), Evidence: ev})
	}
}

// The states of a warning sign.
const (
	SignPresent = "present"
	SignAbsent  = "absent"
	SignUnknown = "unknown"
)

// SignOut is a warning sign and whether it holds.
type SignOut struct {
	ID       string `json:"id"`
	Title    string `json:"title"`
	Severity string `json:"severity"`
	State    string `json:"state"`
}

// Sign returns the state of a warning sign ("" for one the pack does not have).
func (a *Assessment) Sign(id string) string {
	for _, s := range a.Signs {
		if s.ID == id {
			return s.State
		}
	}
	return ""
}

// Recommendation is the architecture the answers point to.
type Recommendation struct {
	Architecture string         `json:"architecture"`
	Confidence   float64        `json:"confidence"`
	Scores       map[string]int `json:"scores"`
	// Complement is a second style that fits part of the system, or null.
	Complement *string `json:"complement"`
	// ComplementBecause says why the complement fits.
	ComplementBecause string `json:"complementBecause,omitempty"`
}

// WarningOut is a warning sign that fired.
type WarningOut struct {
	ID         string `json:"id"`
	Severity   string `json:"severity"`
	Title      string `json:"title"`
	Detail     string `json:"detail"`
	Mitigation string `json:"mitigation"`
	Source     string `json:"source"`
}

// TraceEntry is a rule that fired, why, and what it did to the scores.
type TraceEntry struct {
	Rule string `json:"rule"`
	// Reason says it in words: the rule's note and the answers it read.
	Reason  string         `json:"reason"`
	Because string         `json:"because"`
	Effects map[string]int `json:"effects"`
	Source  string         `json:"source"`
}

// TippingPoint is one answer change that would change the recommendation.
type TippingPoint struct {
	Question       string `json:"question"`
	From           string `json:"from"`
	To             string `json:"to"`
	Recommendation string `json:"recommendation"`
}

// RiskOut is an answer that carries a risk, and what to do about it.
type RiskOut struct {
	Question string `json:"question"`
	Answer   string `json:"answer"`
	Risk     string `json:"risk"` // high or medium
	Improve  string `json:"improve"`
	Source   string `json:"source"` // the guide section of the question
}

// TippingCombination is a set of answer changes that together change the recommendation.
type TippingCombination struct {
	Changes        []TippingPoint `json:"changes"` // each change's recommendation is the combination's
	Recommendation string         `json:"recommendation"`
}

// Words names the changes of a combination: "team_size 200 → 22 and teams 12 → 2".
func (c TippingCombination) Words() string {
	var parts []string
	for _, ch := range c.Changes {
		parts = append(parts, fmt.Sprintf("%s %s → %s", ch.Question, ch.From, ch.To))
	}
	return strings.Join(parts, " and ")
}

// Words says a contradiction: "sync_chains: you said yes, the code shows no".
func (c Contradiction) Words() string {
	return fmt.Sprintf("%s: you said %s, the code shows %s", c.Question, c.Answer, c.Code)
}

// UnknownSigns returns the warning signs that unanswered questions leave unknown.
func (a *Assessment) UnknownSigns() []SignOut {
	var out []SignOut
	for _, s := range a.Signs {
		if s.State == SignUnknown {
			out = append(out, s)
		}
	}
	return out
}

// UnansweredImpact is an unanswered or unknown question and whether an answer could tip.
type UnansweredImpact struct {
	Question    string `json:"question"`
	CouldChange bool   `json:"couldChange"`
}

// AnswerOut is an answer as the assessment reports it.
type AnswerOut struct {
	Value    any      `json:"value"`
	Source   string   `json:"source"`
	Evidence []string `json:"evidence,omitempty"`
}

// PracticeOut is a practice recommended for the architecture.
type PracticeOut struct {
	ID     string `json:"id"`
	Title  string `json:"title"`
	Detail string `json:"detail"`
	Source string `json:"source"`
}

// preference breaks ties: the simpler architecture first, as the guide advises.
var preference = []string{"modular-monolith", "monolith", "serverless", "microservices"}

func rank(arch string) int {
	for i, a := range preference {
		if a == arch {
			return i
		}
	}
	return len(preference)
}

// env builds what conditions read: the known answers.
func env(answers map[string]Answer) map[string]any {
	e := map[string]any{}
	for id, a := range answers {
		if a.Known() {
			e[id] = a.Value
		}
	}
	return e
}

// score applies the decision rules; it returns the scores, the winner and the trace.
func (p *Pack) score(answers map[string]Answer, trace bool) (map[string]int, string, []TraceEntry) {
	e := env(answers)
	for k, v := range derived {
		e[k] = v
	}
	scores := map[string]int{}
	for _, a := range p.Architectures {
		scores[a] = 0
	}
	var tr []TraceEntry
	for _, r := range p.Rules {
		ok, err := r.cond.eval(e)
		if err != nil || !ok {
			continue
		}
		for a, w := range r.Effects {
			scores[a] += w
		}
		if trace {
			tr = append(tr, TraceEntry{Rule: r.ID, Reason: reason(r, answers), Because: because(r.cond, answers), Effects: r.Effects, Source: r.Guide})
		}
	}
	best := ""
	for _, a := range p.Architectures {
		if best == "" || scores[a] > scores[best] || scores[a] == scores[best] && rank(a) < rank(best) {
			best = a
		}
	}
	return scores, best, tr
}

// reason words why a rule fired: its note, then the answers it read ("Under thirty engineers
// the overhead of many services rarely pays off (team_size is 18)."). A rule without a note
// falls back to its expression.
func reason(r *DecisionRule, answers map[string]Answer) string {
	if r.Note == "" {
		return because(r.cond, answers)
	}
	var vals []string
	for _, id := range r.cond.reads {
		if a, ok := answers[id]; ok {
			vals = append(vals, fmt.Sprintf("%s is %v", id, a.Value))
		}
	}
	note := strings.TrimSuffix(r.Note, ".")
	if len(vals) == 0 {
		return note + "."
	}
	return note + " (" + strings.Join(vals, ", ") + ")."
}

// because renders why a condition held: "team_size = 12: team_size >= 10 && team_size < 30".
func because(c condition, answers map[string]Answer) string {
	var vals []string
	for _, id := range c.reads {
		vals = append(vals, fmt.Sprintf("%s = %v", id, answers[id].Value))
	}
	return strings.Join(vals, ", ") + ": " + c.Source
}

// Assess runs the decision engine over the answers.
func (p *Pack) Assess(answers map[string]Answer) *Assessment {
	scores, best, trace := p.score(answers, true)
	as := &Assessment{SchemaVersion: AssessmentSchema, pack: p, Answers: map[string]AnswerOut{},
		Warnings: []WarningOut{}, Trace: trace, TippingPoints: []TippingPoint{}, Unanswered: []string{}, Practices: []PracticeOut{}, Signs: []SignOut{}, Contradictions: []Contradiction{}}
	if as.Trace == nil {
		as.Trace = []TraceEntry{}
	}
	as.Recommendation = Recommendation{Architecture: best, Scores: scores}

	// Confidence: the margin between the two best scores, lowered by every question that is
	// unknown or unanswered.
	ordered := append([]string{}, p.Architectures...)
	sort.SliceStable(ordered, func(i, j int) bool { return scores[ordered[i]] > scores[ordered[j]] })
	margin := 0
	if len(ordered) > 1 {
		margin = scores[ordered[0]] - scores[ordered[1]]
	}
	known := 0
	for _, q := range p.Questions {
		a, ok := answers[q.ID]
		switch {
		case !ok:
			as.Unanswered = append(as.Unanswered, q.ID)
		case a.Known():
			known++
		}
		if ok {
			as.Answers[q.ID] = AnswerOut(a)
		}
	}
	coverage := float64(known) / float64(max(1, len(p.Questions)))
	conf := (0.5 + 0.5*math.Tanh(float64(margin)/5)) * (0.5 + 0.5*coverage)
	as.Recommendation.Confidence = math.Round(conf*100) / 100

	e := signEnv(answers, best)
	for _, c := range p.Complements {
		if ok, _ := c.cond.eval(e); ok && c.Complement != best {
			comp := c.Complement
			as.Recommendation.Complement = &comp
			as.Recommendation.ComplementBecause = c.Because
			break
		}
	}
	for _, w := range p.Warnings {
		ok, _ := w.cond.eval(e)
		state := SignAbsent
		switch {
		case ok:
			state = SignPresent
			as.Warnings = append(as.Warnings, WarningOut{ID: w.ID, Severity: w.Severity, Title: w.Title, Detail: w.Detail, Mitigation: w.Mitigation, Source: w.Guide})
		case p.couldHold(w, answers, best):
			state = SignUnknown // nobody said: not absent
		}
		as.Signs = append(as.Signs, SignOut{ID: w.ID, Title: w.Title, Severity: w.Severity, State: state})
	}
	as.Risks = []RiskOut{}
	for _, q := range p.Questions {
		a, ok := answers[q.ID]
		if !ok || !a.Known() {
			continue
		}
		for _, o := range q.Options {
			if o.Risk == "" || fmt.Sprint(o.Value) != fmt.Sprint(a.Value) {
				continue
			}
			if o.RiskWhen != "" {
				if holds, _ := o.riskCond.eval(e); !holds {
					continue
				}
			}
			as.Risks = append(as.Risks, RiskOut{Question: q.ID, Answer: fmt.Sprint(a.Value), Risk: o.Risk, Improve: o.Improve, Source: q.Guide})
		}
	}
	slices.SortStableFunc(as.Risks, func(x, y RiskOut) int { return riskRank(x.Risk) - riskRank(y.Risk) })
	for _, pr := range p.Practices {
		for _, a := range pr.For {
			if a == best {
				as.Practices = append(as.Practices, PracticeOut{ID: pr.ID, Title: pr.Title, Detail: pr.Detail, Source: pr.Guide})
			}
		}
	}
	as.TippingPoints = p.tippingPoints(answers, best)
	as.TippingCombinations = []TippingCombination{}
	if len(as.TippingPoints) == 0 {
		as.TippingCombinations = p.tippingCombinations(answers, best)
	}
	as.UnansweredImpact = []UnansweredImpact{}
	for _, q := range p.Questions {
		if a, ok := answers[q.ID]; ok && a.Known() {
			continue
		}
		could := slices.ContainsFunc(as.TippingPoints, func(tp TippingPoint) bool { return tp.Question == q.ID })
		as.UnansweredImpact = append(as.UnansweredImpact, UnansweredImpact{Question: q.ID, CouldChange: could})
	}
	return as
}

func riskRank(r string) int {
	if r == "high" {
		return 0
	}
	return 1
}

// maxCombinations caps the combinations listed: the first few of the smallest size.
const maxCombinations = 5

// tippingCombinations looks for the smallest sets of two, then three, answer changes that
// change the recommendation, in the pack's question order, and returns up to a few of them.
func (p *Pack) tippingCombinations(answers map[string]Answer, best string) []TippingCombination {
	out := []TippingCombination{}
	qs := p.Questions
	trial := make(map[string]Answer, len(answers)+3)
	for k, v := range answers {
		trial[k] = v
	}
	var chosen []TippingPoint
	var search func(start, left int) bool
	search = func(start, left int) bool {
		if left == 0 {
			_, rec, _ := p.score(trial, false)
			if rec != best {
				changes := slices.Clone(chosen)
				for i := range changes {
					changes[i].Recommendation = rec
				}
				out = append(out, TippingCombination{Changes: changes, Recommendation: rec})
			}
			return len(out) >= maxCombinations
		}
		for i := start; i < len(qs); i++ {
			q := qs[i]
			cur, had := answers[q.ID]
			from := "unanswered"
			if had {
				from = fmt.Sprint(cur.Value)
			}
			for _, o := range nearestFirst(q, cur.Value) {
				if fmt.Sprint(o.Value) == from {
					continue
				}
				trial[q.ID] = Answer{Value: o.Value, Source: "answer"}
				chosen = append(chosen, TippingPoint{Question: q.ID, From: from, To: fmt.Sprint(o.Value)})
				done := search(i+1, left-1)
				chosen = chosen[:len(chosen)-1]
				if done {
					restore(trial, answers, q.ID)
					return true
				}
			}
			restore(trial, answers, q.ID)
		}
		return false
	}
	for size := 2; size <= 3 && len(out) == 0; size++ {
		search(0, size)
	}
	return out
}

// nearestFirst orders a number question's options by their distance from the current value,
// so that the smallest change is tried first; other questions keep the pack's order.
func nearestFirst(q *Question, cur any) []Option {
	n, ok := cur.(int)
	if !q.Integer() || !ok {
		return q.Options
	}
	opts := slices.Clone(q.Options)
	slices.SortStableFunc(opts, func(a, b Option) int { return abs(a.Value.(int)-n) - abs(b.Value.(int)-n) })
	return opts
}

// restore puts back a question's answer in a trial: the original one, or none.
func restore(trial, answers map[string]Answer, id string) {
	if a, ok := answers[id]; ok {
		trial[id] = a
	} else {
		delete(trial, id)
	}
}

// signEnv is what warning signs and complements read: the known answers, the recommendation,
// and whether microservices or serverless are in play.
func signEnv(answers map[string]Answer, best string) map[string]any {
	e := env(answers)
	e["recommended"] = best
	heading, existing := e["heading"], e["existing"]
	// Services that share a database, or requests that chain through several services, mean
	// there are services already, whatever the team said of where it is heading.
	hasServices := existing == "services" || e["shared_database"] == "yes" || e["shared_database"] == "partly" || e["sync_chains"] == "yes"
	e["microservices_in_play"] = heading == "microservices" || hasServices || best == "microservices"
	e["serverless_in_play"] = heading == "serverless" || best == "serverless"
	return e
}

// playQuestions are the questions that decide whether microservices or serverless are in play.
var playQuestions = map[string][]string{
	"microservices_in_play": {"heading", "existing", "shared_database", "sync_chains"},
	"serverless_in_play":    {"heading"},
}

// couldHold reports whether a warning sign that does not hold would, for some answers to the
// questions it depends on that nobody answered: such a sign is unknown, not absent.
func (p *Pack) couldHold(w *WarningRule, answers map[string]Answer, best string) bool {
	var open []*Question
	seen := map[string]bool{}
	consider := func(id string) {
		q := p.Question(id)
		if a, has := answers[id]; q == nil || seen[id] || has && a.Known() {
			return
		}
		seen[id] = true
		open = append(open, q)
	}
	for _, id := range w.cond.reads {
		consider(id)
	}
	for derived, qs := range playQuestions { // reads lists questions only
		if strings.Contains(w.cond.Source, derived) {
			for _, pq := range qs {
				consider(pq)
			}
		}
	}
	if len(open) == 0 {
		return false
	}
	trial := make(map[string]Answer, len(answers)+len(open))
	for k, v := range answers {
		trial[k] = v
	}
	tries := 0
	var try func(i int) bool
	try = func(i int) bool {
		if i == len(open) {
			tries++
			ok, _ := w.cond.eval(signEnv(trial, best))
			return ok
		}
		for _, o := range open[i].Options {
			if tries > 4096 {
				return false
			}
			trial[open[i].ID] = Answer{Value: o.Value, Source: "answer"}
			if try(i + 1) {
				return true
			}
		}
		delete(trial, open[i].ID)
		return false
	}
	return try(0)
}

// tippingPoints tries every other answer to every question, one at a time, and keeps those that
// change the recommendation; for a number, the nearest value that does.
func (p *Pack) tippingPoints(answers map[string]Answer, best string) []TippingPoint {
	out := []TippingPoint{}
	for _, q := range p.Questions {
		cur, had := answers[q.ID]
		from := "unanswered"
		if had {
			from = fmt.Sprint(cur.Value)
		}
		var nearest *TippingPoint
		nearestDist := math.MaxInt
		for _, o := range q.Options {
			if had && fmt.Sprint(o.Value) == from {
				continue
			}
			trial := make(map[string]Answer, len(answers)+1)
			for k, v := range answers {
				trial[k] = v
			}
			trial[q.ID] = Answer{Value: o.Value, Source: "answer"}
			_, rec, _ := p.score(trial, false)
			if rec == best {
				continue
			}
			tp := TippingPoint{Question: q.ID, From: from, To: fmt.Sprint(o.Value), Recommendation: rec}
			if !q.Integer() {
				out = append(out, tp)
				continue
			}
			dist := math.MaxInt / 2
			if n, ok := cur.Value.(int); ok {
				dist = abs(o.Value.(int) - n)
			}
			if dist < nearestDist {
				nearestDist, nearest = dist, &tp
			}
		}
		if nearest != nil {
			out = append(out, *nearest)
		}
	}
	return out
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// Pack returns the pack the assessment was made with.
func (a *Assessment) Pack() *Pack { return a.pack }

// MaxSeverity reports whether a warning at or above the level ("high" or "medium") fired.
func (a *Assessment) HasWarning(level string) bool {
	order := map[string]int{"low": 1, "medium": 2, "high": 3}
	for _, w := range a.Warnings {
		if order[w.Severity] >= order[level] {
			return true
		}
	}
	return false
}

// TopReasons returns the fired rules that did most for the recommended architecture.
func (as *Assessment) TopReasons(n int) []TraceEntry {
	best := as.Recommendation.Architecture
	tr := append([]TraceEntry{}, as.Trace...)
	sort.SliceStable(tr, func(i, j int) bool { return tr[i].Effects[best] > tr[j].Effects[best] })
	var out []TraceEntry
	for _, t := range tr {
		if t.Effects[best] > 0 && len(out) < n {
			out = append(out, t)
		}
	}
	return out
}

// ScoreOrder returns the architectures, best score first (the pack's order breaks ties).
func (as *Assessment) ScoreOrder() []string {
	archs := append([]string{}, as.Pack().Architectures...)
	sort.SliceStable(archs, func(i, j int) bool {
		return as.Recommendation.Scores[archs[i]] > as.Recommendation.Scores[archs[j]]
	})
	return archs
}
