package rules

import (
	_ "embed"
	"fmt"
	"os"
	"slices"
	"sort"
	"strings"
	"sync"

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
	data, err := os.ReadFile(file)
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
	p := &parser{file: file}
	root, err := p.document(data)
	if err != nil {
		return nil, err
	}
	pack := &Pack{File: file}
	sections := map[string]*yaml.Node{}
	p.mapping(root, "the rule pack", func(key, val *yaml.Node) {
		switch key.Value {
		case "version":
			if v, ok := p.integer(val); ok && v != 1 {
				p.errorf(val, "unsupported pack version %d", v)
			}
		case "architectures", "questions", "rules", "warnings", "complements", "practices":
			sections[key.Value] = val
		default:
			p.errorf(key, "unknown key %q (want version, architectures, questions, rules, warnings, complements or practices)", key.Value)
		}
	})
	if n := sections["architectures"]; n != nil {
		pack.Architectures, _ = p.strings(n)
	}
	if len(pack.Architectures) == 0 {
		p.errorf(root, "architectures: list the architectures the rules score")
	}
	decodeList := func(name string, each func(item *yaml.Node)) {
		n := sections[name]
		if n == nil {
			return
		}
		if n.Kind != yaml.SequenceNode {
			p.errorf(n, "%s: expected a list, found %s", name, kindName(n))
			return
		}
		for _, item := range n.Content {
			each(item)
		}
	}
	strict := func(item *yaml.Node, into any) bool {
		if err := item.Decode(into); err != nil {
			p.errorf(item, "%v", strings.TrimPrefix(err.Error(), "yaml: "))
			return false
		}
		return true
	}
	seenQ := map[string]bool{}
	decodeList("questions", func(item *yaml.Node) {
		q := &Question{}
		if !p.knownKeys(item, "question", "id", "kind", "prompt", "why", "guide", "options") || !strict(item, q) {
			return
		}
		switch {
		case q.ID == "" || seenQ[q.ID]:
			p.errorf(item, "question %q: missing or duplicate id", q.ID)
		case q.Kind != "integer" && q.Kind != "choice":
			p.errorf(item, "question %s: kind must be integer or choice", q.ID)
		case len(q.Options) == 0:
			p.errorf(item, "question %s: list its options", q.ID)
		case q.Prompt == "" || q.Why == "" || q.Guide == "":
			p.errorf(item, "question %s: prompt, why and guide are required", q.ID)
		}
		for i, o := range q.Options {
			switch v := o.Value.(type) {
			case int:
				if !q.Integer() {
					p.errorf(item, "question %s: option %d must be a word", q.ID, i+1)
				}
			case string:
				if q.Integer() {
					p.errorf(item, "question %s: option %d must be a number", q.ID, i+1)
				}
				q.Options[i].Value = v
			default:
				p.errorf(item, "question %s: option %d has no value", q.ID, i+1)
			}
		}
		seenQ[q.ID] = true
		pack.Questions = append(pack.Questions, q)
	})
	for _, id := range ContractQuestions {
		if !seenQ[id] {
			p.errorf(root, "the pack must ask question %s", id)
		}
	}
	env := map[string]any{}
	for k, v := range derived {
		env[k] = v
	}
	for _, q := range pack.Questions {
		if q.Integer() {
			env[q.ID] = 0
		} else {
			env[q.ID] = ""
		}
	}
	compile := func(item *yaml.Node, what, src string) condition {
		if src == "" {
			p.errorf(item, "%s: a `when` condition is required", what)
			return condition{}
		}
		prog, err := expr.Compile(src, expr.Env(env), expr.AsBool())
		if err != nil {
			p.errorf(item, "%s: condition %q: %s", what, src, firstLineOf(err.Error()))
			return condition{}
		}
		c := condition{Source: src, prog: prog}
		v := &identVisitor{}
		node := prog.Node()
		exprast.Walk(&node, v)
		for _, id := range v.names {
			if seenQ[id] && !slices.Contains(c.reads, id) {
				c.reads = append(c.reads, id)
			}
		}
		return c
	}
	seenR := map[string]bool{}
	decodeList("rules", func(item *yaml.Node) {
		r := &DecisionRule{}
		if !p.knownKeys(item, "rule", "id", "when", "effects", "guide", "note") || !strict(item, r) {
			return
		}
		if r.ID == "" || seenR[r.ID] {
			p.errorf(item, "rule %q: missing or duplicate id", r.ID)
		}
		seenR[r.ID] = true
		for a, w := range r.Effects {
			if !slices.Contains(pack.Architectures, a) {
				p.errorf(item, "rule %s: unknown architecture %q in effects", r.ID, a)
			}
			if w < -5 || w > 5 {
				p.errorf(item, "rule %s: weight %d for %s is outside -5..5", r.ID, w, a)
			}
		}
		if r.Guide == "" {
			p.errorf(item, "rule %s: name the guide section it rests on", r.ID)
		}
		r.cond = compile(item, "rule "+r.ID, r.When)
		pack.Rules = append(pack.Rules, r)
	})
	decodeList("warnings", func(item *yaml.Node) {
		w := &WarningRule{}
		if !p.knownKeys(item, "warning", "id", "severity", "when", "title", "detail", "mitigation", "guide") || !strict(item, w) {
			return
		}
		if w.Severity != "high" && w.Severity != "medium" && w.Severity != "low" {
			p.errorf(item, "warning %s: severity must be high, medium or low", w.ID)
		}
		if w.ID == "" || w.Title == "" || w.Mitigation == "" {
			p.errorf(item, "warning %q: id, title and mitigation are required", w.ID)
		}
		w.cond = compile(item, "warning "+w.ID, w.When)
		pack.Warnings = append(pack.Warnings, w)
	})
	for _, id := range ContractWarnings {
		found := false
		for _, w := range pack.Warnings {
			found = found || w.ID == id
		}
		if !found {
			p.errorf(root, "the pack must define warning %s", id)
		}
	}
	decodeList("complements", func(item *yaml.Node) {
		c := &ComplementRule{}
		if !p.knownKeys(item, "complement", "when", "complement", "because", "guide") || !strict(item, c) {
			return
		}
		if !slices.Contains(pack.Architectures, c.Complement) {
			p.errorf(item, "complement: unknown architecture %q", c.Complement)
		}
		c.cond = compile(item, "complement "+c.Complement, c.When)
		pack.Complements = append(pack.Complements, c)
	})
	decodeList("practices", func(item *yaml.Node) {
		pr := &Practice{}
		if !p.knownKeys(item, "practice", "id", "title", "for", "detail", "guide") || !strict(item, pr) {
			return
		}
		for _, a := range pr.For {
			if !slices.Contains(pack.Architectures, a) {
				p.errorf(item, "practice %s: unknown architecture %q", pr.ID, a)
			}
		}
		pack.Practices = append(pack.Practices, pr)
	})
	if len(p.errs) > 0 {
		sort.SliceStable(p.errs, func(i, j int) bool { return p.errs[i].Line < p.errs[j].Line })
		return nil, p.errs
	}
	return pack, nil
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
