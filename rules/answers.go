package rules

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"

	"github.com/cleave-dev/cleave/internal/safefs"
	"github.com/cleave-dev/cleave/schemas"
	"gopkg.in/yaml.v3"
)

// Unknown is the answer that says "we do not know": the rules that need it do not fire and
// the confidence drops.
const Unknown = "unknown"

// Answer is the answer to one question, and where it came from.
type Answer struct {
	Value any // int for integer questions, string otherwise; Unknown is allowed for both
	// Source is "answer" (a person), or "code" (cleave read it in the repository).
	Source   string
	Evidence []string
}

// Known reports whether the answer says something.
func (a Answer) Known() bool { return a.Value != nil && a.Value != Unknown }

// ParseValue reads a raw answer to a question: a number, one of the options, or unknown.
func (q *Question) ParseValue(raw string) (any, error) {
	raw = strings.TrimSpace(raw)
	if raw == Unknown {
		return Unknown, nil
	}
	if q.Integer() {
		n, err := strconv.Atoi(raw)
		if err != nil || n < 0 {
			return nil, fmt.Errorf("%s: expected a whole number or unknown, found %q", q.ID, raw)
		}
		return n, nil
	}
	var vals []string
	for _, o := range q.Options {
		if o.Value == raw {
			return raw, nil
		}
		vals = append(vals, fmt.Sprint(o.Value))
	}
	return nil, fmt.Errorf("%s: expected one of %s or unknown, found %q%s", q.ID, strings.Join(vals, ", "), raw, didYouMean(raw, vals))
}

// LoadAnswers reads an answers file.
func LoadAnswers(file string, pack *Pack) (map[string]Answer, error) {
	data, err := safefs.ReadFile(file, safefs.Config)
	if err != nil {
		return nil, err
	}
	return ParseAnswers(file, data, pack)
}

// ParseAnswers reads an answers file strictly: unknown question ids and values a question does
// not take are errors with their position.
func ParseAnswers(file string, data []byte, pack *Pack) (map[string]Answer, error) {
	p := &parser{file: file}
	root, err := p.document(data)
	if err != nil {
		return nil, err
	}
	out := map[string]Answer{}
	p.mapping(root, "the answers file", func(key, val *yaml.Node) {
		switch key.Value {
		case "version":
			if v, ok := p.integer(val); ok && v != 1 {
				p.errorf(val, "unsupported answers version %d; this cleave reads version 1", v)
			}
		case "answers":
			p.mapping(val, "answers", func(k, v *yaml.Node) {
				q := pack.Question(k.Value)
				if q == nil {
					p.errorf(k, "%s", pack.UnknownQuestion(k.Value))
					return
				}
				raw, ok := p.scalar(v, "an answer")
				if !ok {
					return
				}
				value, err := q.ParseValue(raw)
				if err != nil {
					p.errorf(v, "%v", err)
					return
				}
				out[q.ID] = Answer{Value: value, Source: "answer"}
			})
		default:
			p.errorf(key, "unknown key %q (want version or answers)", key.Value)
		}
	})
	if !p.has(root, "version") {
		p.errorf(root, "missing `version: 1`")
	}
	if len(p.errs) > 0 {
		return nil, p.errs
	}
	return out, nil
}

// FormatAnswers writes an answers file in question order; answers read from the code carry
// their evidence as a comment. Unanswered questions are listed as comments to fill in.
func FormatAnswers(pack *Pack, answers map[string]Answer) []byte {
	var b bytes.Buffer
	b.WriteString("# yaml-language-server: $schema=" + schemas.ID("answers") + "\n")
	b.WriteString("# cleave assessment answers. Keep this file in git: its diff is the history of the decision.\n")
	b.WriteString("# `cleave assess --answers FILE` reads it; values may also be `unknown`.\n")
	b.WriteString("version: 1\nanswers:\n")
	for _, q := range pack.Questions {
		a, ok := answers[q.ID]
		if !ok {
			fmt.Fprintf(&b, "  # %s:    %s\n", q.ID, q.Prompt)
			continue
		}
		value := yamlString(fmt.Sprint(a.Value))
		if n, ok := a.Value.(int); ok {
			value = strconv.Itoa(n) // a number stays a number: team_size: 12, not "12"
		}
		fmt.Fprintf(&b, "  %s: %s", q.ID, value)
		if a.Source == "code" {
			fmt.Fprintf(&b, "    # from the code: %s", strings.Join(a.Evidence, "; "))
		}
		b.WriteString("\n")
	}
	return b.Bytes()
}
