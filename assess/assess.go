// Package assess runs the questionnaire: a full-screen terminal UI, a line-by-line mode for
// screen readers, and the headless path that reads an answers file. The decision itself is the
// rules package's engine; this package only asks.
package assess

import (
	"errors"
	"fmt"
	"strings"

	"github.com/cleave-dev/cleave/rules"
)

// Session is an assessment in progress: the pack and the answers so far.
type Session struct {
	Pack    *rules.Pack
	Answers map[string]rules.Answer
	// Code are the answers the code gave (assess --repo), before anyone else's.
	Code map[string]rules.Answer
}

// NewSession starts a session with answers given ahead (answers file, --set, the code).
func NewSession(pack *rules.Pack, answers map[string]rules.Answer) *Session {
	if answers == nil {
		answers = map[string]rules.Answer{}
	}
	return &Session{Pack: pack, Answers: answers}
}

// Set answers a question from raw text (a value, or unknown).
func (s *Session) Set(id, raw string) error {
	q := s.Pack.Question(id)
	if q == nil {
		return errors.New(s.Pack.UnknownQuestion(id))
	}
	v, err := q.ParseValue(raw)
	if err != nil {
		return err
	}
	s.Answers[id] = rules.Answer{Value: v, Source: "answer"}
	return nil
}

// Assessment runs the engine over the answers so far.
func (s *Session) Assessment() *rules.Assessment {
	as := s.Pack.Assess(s.Answers)
	as.Contradict(s.Code, s.Answers)
	return as
}

// ParseSet reads one --set id=value.
func ParseSet(s string) (id, value string, err error) {
	id, value, ok := strings.Cut(s, "=")
	if !ok || id == "" {
		return "", "", fmt.Errorf("--set %q: expected id=value", s)
	}
	return strings.TrimSpace(id), strings.TrimSpace(value), nil
}
