package rules

import (
	_ "embed"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/cleave-dev/cleave/internal/safefs"
	"github.com/expr-lang/expr"
	exprast "github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/vm"
	"gopkg.in/yaml.v3"
)

//go:embed pack.yaml
var defaultPack []byte

// DefaultPackFile names the embedded pack in messages.
const DefaultPackFile = "rules/pack.yaml (built in)"

// ContractQuestions are the question ids every rule pack must ask.
var ContractQuestions = []string{"team_size", "teams", "domain_clarity", "scale_problems", "traffic", "workload",
	"long_running", "ops_maturity", "independent_deploys", "tech_diversity", "latency_sensitive", "shared_database", "sync_chains"}

// ContractWarnings are the warning ids of the guide's warning signs.
var ContractWarnings = []string{"small-team", "unclear-boundaries", "no-scale-problems", "shared-database", "sync-chains"}

// Pack is a compiled rule pack.
type Pack struct {
	File          string
	Architectures []string
	Questions     []*Question
	Rules         []*DecisionRule
	Warnings      []*WarningRule
	Complements   []*ComplementRule
	Practices     []*Practice
}

// Question is one question of the assessment.
type Question struct {
	ID      string   `yaml:"id"`
	Kind    string   `yaml:"kind"` // integer or choice
	Prompt  string   `yaml:"prompt"`
	Why     string   `yaml:"why"`
	Guide   string   `yaml:"guide"`
	Options []Option `yaml:"options"`
}

// Option is an answer a question offers; for an integer question, a band and its typical value.
type Option struct {
	Value any    `yaml:"value"`
	Label string `yaml:"label"`
	// Risk is what the answer puts at risk, high or medium ("" for none), and Improve what to do
	// about it; RiskWhen, when set, limits the risk to where its condition holds (low operations
	// maturity is a high risk where microservices are in play).
	Risk     string `yaml:"risk"`
	Improve  string `yaml:"improve"`
	RiskWhen string `yaml:"riskWhen"`
	riskCond condition
}

// Integer reports whether the question takes a number.
func (q *Question) Integer() bool { return q.Kind == "integer" }

// condition is a compiled `when` with the questions it reads.
type condition struct {
	Source string
	prog   *vm.Program
	reads  []string
}

// DecisionRule moves the scores of the architectures when its condition holds.
type DecisionRule struct {
	ID      string         `yaml:"id"`
	When    string         `yaml:"when"`
	Effects map[string]int `yaml:"effects"`
	Guide   string         `yaml:"guide"`
	Note    string         `yaml:"note"`
	cond    condition
}

// WarningRule is a warning sign.
type WarningRule struct {
	ID         string `yaml:"id"`
	Severity   string `yaml:"severity"`
	When       string `yaml:"when"`
	Title      string `yaml:"title"`
	Detail     string `yaml:"detail"`
	Mitigation string `yaml:"mitigation"`
	Guide      string `yaml:"guide"`
	cond       condition
}

// ComplementRule names a second style that fits part of the system.
type ComplementRule struct {
	When       string `yaml:"when"`
	Complement string `yaml:"complement"`
	Because    string `yaml:"because"`
	Guide      string `yaml:"guide"`
	cond       condition
}

// Practice is one of the guide's practices, recommended for some architectures.
type Practice struct {
	ID     string   `yaml:"id"`
	Title  string   `yaml:"title"`
	For    []string `yaml:"for"`
	Detail string   `yaml:"detail"`
	Guide  string   `yaml:"guide"`
}

// Question returns the question with the given id, or nil.
func (p *Pack) Question(id string) *Question {
	for _, q := range p.Questions {
		if q.ID == id {
			return q
		}
	}
	return nil
}

// derived are the variables conditions may read beside the answers.
var derived = map[string]any{"recommended": "", "microservices_in_play": false, "serverless_in_play": false}

// builtIn compiles the built-in pack once per process: analyze, assess and report all use it, and
// a pack is never changed after it is compiled.
var builtIn = sync.OnceValues(CompileBuiltIn)

// CompileBuiltIn parses and compiles the built-in pack anew (LoadPack("") keeps the first result).
func CompileBuiltIn() (*Pack, error) { return ParsePack(DefaultPackFile, defaultPack) }

// LoadPack reads a rule pack; an empty file name means the built-in pack.
func LoadPack(file string) (*Pack, error) {
	if file == "" {
		return builtIn()
	}
	data, err := safefs.ReadFile(file, safefs.Pack)
	if err != nil {
		return nil, err
	}
	return ParsePack(file, data)
}

// DefaultPack returns the built-in pack; it is tested to load.
func DefaultPack() *Pack {
	p, err := LoadPack("")
	if err != nil {
		panic(err)
	}
	return p
}

// ParsePack parses and compiles a pack: every condition is type-checked against the questions,
// and every problem is an error naming the file and line.
func ParsePack(file string, data []byte) (*Pack, error) {
	pp := &packParser{parser: &parser{file: file}, pack: &Pack{File: file}, sections: map[string]*yaml.Node{}, seenQ: map[string]bool{}}
	root, err := pp.document(data)
	if err != nil {
		return nil, err
	}
	pp.readSections(root)
	pp.questions(root)
	pp.env = conditionEnv(pp.pack.Questions)
	pp.optionRisks(root)
	pp.decisionRules()
	pp.warnings(root)
	pp.complements()
	pp.practices()
	if len(pp.errs) > 0 {
		sort.SliceStable(pp.errs, func(i, j int) bool { return pp.errs[i].Line < pp.errs[j].Line })
		return nil, pp.errs
	}
	return pp.pack, nil
}

// packParser reads one rule pack, section by section, gathering every error.
type packParser struct {
	*parser
	pack     *Pack
	sections map[string]*yaml.Node
	seenQ    map[string]bool
	env      map[string]any
}

func (pp *packParser) readSections(root *yaml.Node) {
	pp.mapping(root, "the rule pack", func(key, val *yaml.Node) {
		switch key.Value {
		case "version":
			if v, ok := pp.integer(val); ok && v != 1 {
				pp.errorf(val, "unsupported pack version %d", v)
			}
		case "architectures", "questions", "rules", "warnings", "complements", "practices":
			pp.sections[key.Value] = val
		default:
			pp.errorf(key, "unknown key %q (want version, architectures, questions, rules, warnings, complements or practices)", key.Value)
		}
	})
	if n := pp.sections["architectures"]; n != nil {
		pp.pack.Architectures, _ = pp.strings(n)
	}
	if len(pp.pack.Architectures) == 0 {
		pp.errorf(root, "architectures: list the architectures the rules score")
	}
}

// each decodes every item of a list section, strictly: an item whose keys are not those given,
// or that does not decode into a fresh value, is an error and is skipped.
func (pp *packParser) each(name, what string, keys []string, fresh func() any, use func(item *yaml.Node, v any)) {
	n := pp.sections[name]
	if n == nil {
		return
	}
	if n.Kind != yaml.SequenceNode {
		pp.errorf(n, "%s: expected a list, found %s", name, kindName(n))
		return
	}
	for _, item := range n.Content {
		if !pp.knownKeys(item, what, keys...) {
			continue
		}
		v := fresh()
		if err := item.Decode(v); err != nil {
			pp.errorf(item, "%v", strings.TrimPrefix(err.Error(), "yaml: "))
			continue
		}
		use(item, v)
	}
}

func (pp *packParser) questions(root *yaml.Node) {
	pp.each("questions", "question", []string{"id", "kind", "prompt", "why", "guide", "options"}, func() any { return &Question{} }, func(item *yaml.Node, v any) {
		q := v.(*Question)
		switch {
		case q.ID == "" || pp.seenQ[q.ID]:
			pp.errorf(item, "question %q: missing or duplicate id", q.ID)
		case q.Kind != "integer" && q.Kind != "choice":
			pp.errorf(item, "question %s: kind must be integer or choice", q.ID)
		case len(q.Options) == 0:
			pp.errorf(item, "question %s: list its options", q.ID)
		case q.Prompt == "" || q.Why == "" || q.Guide == "":
			pp.errorf(item, "question %s: prompt, why and guide are required", q.ID)
		}
		for i, o := range q.Options {
			switch v := o.Value.(type) {
			case int:
				if !q.Integer() {
					pp.errorf(item, "question %s: option %d must be a word", q.ID, i+1)
				}
			case string:
				if q.Integer() {
					pp.errorf(item, "question %s: option %d must be a number", q.ID, i+1)
				}
				q.Options[i].Value = v
			default:
				pp.errorf(item, "question %s: option %d has no value", q.ID, i+1)
			}
		}
		pp.seenQ[q.ID] = true
		pp.pack.Questions = append(pp.pack.Questions, q)
	})
	for _, id := range ContractQuestions {
		if !pp.seenQ[id] {
			pp.errorf(root, "the pack must ask question %s", id)
		}
	}
}

// optionRisks checks the risks the options carry and compiles their conditions.
func (pp *packParser) optionRisks(root *yaml.Node) {
	for _, q := range pp.pack.Questions {
		for i := range q.Options {
			o := &q.Options[i]
			what := fmt.Sprintf("question %s, option %v", q.ID, o.Value)
			switch {
			case o.Risk != "" && o.Risk != "high" && o.Risk != "medium":
				pp.errorf(root, "%s: risk must be high or medium, found %q", what, o.Risk)
			case o.Risk != "" && o.Improve == "":
				pp.errorf(root, "%s: a risk needs `improve`, what to do about it", what)
			case o.Risk == "" && (o.Improve != "" || o.RiskWhen != ""):
				pp.errorf(root, "%s: improve and riskWhen go with a risk", what)
			}
			if o.RiskWhen != "" {
				o.riskCond = pp.compile(root, what, o.RiskWhen)
			}
		}
	}
}

// conditionEnv is what conditions are type-checked against: the derived values and one value
// of the right type per question.
func conditionEnv(questions []*Question) map[string]any {
	env := map[string]any{}
	for k, v := range derived {
		env[k] = v
	}
	for _, q := range questions {
		if q.Integer() {
			env[q.ID] = 0
		} else {
			env[q.ID] = ""
		}
	}
	return env
}

// compile compiles a `when` condition and records the questions it reads.
func (pp *packParser) compile(item *yaml.Node, what, src string) condition {
	if src == "" {
		pp.errorf(item, "%s: a `when` condition is required", what)
		return condition{}
	}
	prog, err := expr.Compile(src, expr.Env(pp.env), expr.AsBool())
	if err != nil {
		pp.errorf(item, "%s: condition %q: %s", what, src, firstLineOf(err.Error()))
		return condition{}
	}
	c := condition{Source: src, prog: prog}
	v := &identVisitor{}
	node := prog.Node()
	exprast.Walk(&node, v)
	for _, id := range v.names {
		if pp.seenQ[id] && !slices.Contains(c.reads, id) {
			c.reads = append(c.reads, id)
		}
	}
	return c
}

func (pp *packParser) decisionRules() {
	seen := map[string]bool{}
	pp.each("rules", "rule", []string{"id", "when", "effects", "guide", "note"}, func() any { return &DecisionRule{} }, func(item *yaml.Node, v any) {
		r := v.(*DecisionRule)
		if r.ID == "" || seen[r.ID] {
			pp.errorf(item, "rule %q: missing or duplicate id", r.ID)
		}
		seen[r.ID] = true
		for a, w := range r.Effects {
			if !slices.Contains(pp.pack.Architectures, a) {
				pp.errorf(item, "rule %s: unknown architecture %q in effects", r.ID, a)
			}
			if w < -5 || w > 5 {
				pp.errorf(item, "rule %s: weight %d for %s is outside -5..5", r.ID, w, a)
			}
		}
		if r.Guide == "" {
			pp.errorf(item, "rule %s: name the guide section it rests on", r.ID)
		}
		r.cond = pp.compile(item, "rule "+r.ID, r.When)
		pp.pack.Rules = append(pp.pack.Rules, r)
	})
}

func (pp *packParser) warnings(root *yaml.Node) {
	pp.each("warnings", "warning", []string{"id", "severity", "when", "title", "detail", "mitigation", "guide"}, func() any { return &WarningRule{} }, func(item *yaml.Node, v any) {
		w := v.(*WarningRule)
		if w.Severity != "high" && w.Severity != "medium" && w.Severity != "low" {
			pp.errorf(item, "warning %s: severity must be high, medium or low", w.ID)
		}
		if w.ID == "" || w.Title == "" || w.Mitigation == "" {
			pp.errorf(item, "warning %q: id, title and mitigation are required", w.ID)
		}
		w.cond = pp.compile(item, "warning "+w.ID, w.When)
		pp.pack.Warnings = append(pp.pack.Warnings, w)
	})
	for _, id := range ContractWarnings {
		if pp.pack.Warning(id) == nil {
			pp.errorf(root, "the pack must define warning %s", id)
		}
	}
}

func (pp *packParser) complements() {
	pp.each("complements", "complement", []string{"when", "complement", "because", "guide"}, func() any { return &ComplementRule{} }, func(item *yaml.Node, v any) {
		c := v.(*ComplementRule)
		if !slices.Contains(pp.pack.Architectures, c.Complement) {
			pp.errorf(item, "complement: unknown architecture %q", c.Complement)
		}
		c.cond = pp.compile(item, "complement "+c.Complement, c.When)
		pp.pack.Complements = append(pp.pack.Complements, c)
	})
}

func (pp *packParser) practices() {
	pp.each("practices", "practice", []string{"id", "title", "for", "detail", "guide"}, func() any { return &Practice{} }, func(item *yaml.Node, v any) {
		pr := v.(*Practice)
		for _, a := range pr.For {
			if !slices.Contains(pp.pack.Architectures, a) {
				pp.errorf(item, "practice %s: unknown architecture %q", pr.ID, a)
			}
		}
		pp.pack.Practices = append(pp.pack.Practices, pr)
	})
}

// knownKeys rejects keys a section does not take.
func (p *parser) knownKeys(n *yaml.Node, what string, keys ...string) bool {
	if n.Kind != yaml.MappingNode {
		p.errorf(n, "%s: expected a mapping, found %s", what, kindName(n))
		return false
	}
	ok := true
	for i := 0; i+1 < len(n.Content); i += 2 {
		if !slices.Contains(keys, n.Content[i].Value) {
			p.errorf(n.Content[i], "%s: unknown key %q (want %s)", what, n.Content[i].Value, strings.Join(keys, ", "))
			ok = false
		}
	}
	return ok
}

type identVisitor struct{ names []string }

func (v *identVisitor) Visit(node *exprast.Node) {
	if id, ok := (*node).(*exprast.IdentifierNode); ok {
		v.names = append(v.names, id.Value)
	}
}

func firstLineOf(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return s
}

// eval runs a condition; it does not hold when a question it reads is unknown or unanswered.
func (c condition) eval(env map[string]any) (bool, error) {
	for _, id := range c.reads {
		if _, ok := env[id]; !ok {
			return false, nil
		}
	}
	out, err := expr.Run(c.prog, env)
	if err != nil {
		return false, fmt.Errorf("condition %q: %w", c.Source, err)
	}
	b, _ := out.(bool)
	return b, nil
}

// Reads returns the question ids a rule's condition reads.
func (r *DecisionRule) Reads() []string { return r.cond.reads }

// Reads returns the question ids a warning's condition reads.
func (w *WarningRule) Reads() []string { return w.cond.reads }

// Warning returns the warning rule with the given id, or nil.
func (p *Pack) Warning(id string) *WarningRule {
	for _, w := range p.Warnings {
		if w.ID == id {
			return w
		}
	}
	return nil
}
