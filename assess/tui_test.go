package assess

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/cleave-dev/cleave/rules"
)

func press(m tea.Model, keys ...string) tea.Model {
	for _, k := range keys {
		var msg tea.KeyMsg
		switch k {
		case "enter":
			msg = tea.KeyMsg{Type: tea.KeyEnter}
		case "up":
			msg = tea.KeyMsg{Type: tea.KeyUp}
		case "down":
			msg = tea.KeyMsg{Type: tea.KeyDown}
		case "left":
			msg = tea.KeyMsg{Type: tea.KeyLeft}
		default:
			msg = tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)}
		}
		m, _ = m.Update(msg)
	}
	return m
}

func score(m tea.Model, arch string) int {
	return m.(Model).result.Recommendation.Scores[arch]
}

// Answer everything with the keyboard, go back, change an answer and watch the scores move.
func TestModelKeyboard(t *testing.T) {
	s := NewSession(rules.DefaultPack(), nil)
	var m tea.Model = NewModel(s, false, nil)
	m, _ = m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	if !strings.Contains(m.View(), "How many engineers") {
		t.Fatalf("first screen:\n%s", m.View())
	}
	// team_size: the first band (1 to 5) → a very small team.
	m = press(m, "enter")
	if got := s.Answers["team_size"].Value; got != 3 {
		t.Fatalf("team_size = %v, want 3", got)
	}
	before := score(m, "microservices")
	// Back to team_size, choose "80 or more": microservices must gain.
	m = press(m, "left", "down", "down", "down", "down", "enter")
	if got := s.Answers["team_size"].Value; got != 120 {
		t.Fatalf("team_size = %v after changing it, want 120", got)
	}
	if after := score(m, "microservices"); after <= before {
		t.Errorf("microservices score did not move: %d → %d", before, after)
	}
	// Unknown for the second question.
	m = press(m, "u")
	if s.Answers["teams"].Value != rules.Unknown {
		t.Errorf("teams = %v, want unknown", s.Answers["teams"].Value)
	}
	// Answer the rest with the first option each.
	for i := 2; i < len(s.Pack.Questions); i++ {
		m = press(m, "enter")
	}
	if len(s.Answers) != len(s.Pack.Questions) {
		t.Fatalf("%d answers, want %d", len(s.Answers), len(s.Pack.Questions))
	}
	if mm := m.(Model); mm.screen != screenResult || !mm.Done {
		t.Fatalf("after the last question the result should show, got %v", mm.screen)
	}
	// The review is one key away; jump from it to domain_clarity and change it.
	m = press(m, "r", "up", "up", "up", "up", "up", "up", "up", "up", "up", "up", "up", "up", "up", "up", "up", "up", "up", "down", "down", "enter")
	if q := m.(Model).question(); q.ID != "domain_clarity" {
		t.Fatalf("review jumped to %s", q.ID)
	}
	m = press(m, "down", "down", "enter", "d")
	if s.Answers["domain_clarity"].Value != "clear" {
		t.Errorf("domain_clarity = %v", s.Answers["domain_clarity"].Value)
	}
	view := m.View()
	if !strings.Contains(view, "Recommendation:") || !strings.Contains(view, "s save answers") {
		t.Errorf("result screen:\n%s", view)
	}
}

// Every screen fits 80×24 and 120×40 and renders without colour when asked.
func TestModelLayout(t *testing.T) {
	s := NewSession(rules.DefaultPack(), nil)
	for _, size := range [][2]int{{80, 24}, {120, 40}, {60, 20}} {
		var m tea.Model = NewModel(s, false, nil)
		m, _ = m.Update(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
		for _, keys := range [][]string{nil, {"r"}, {"d"}} {
			mm := press(m, keys...)
			v := mm.View()
			lines := strings.Split(v, "\n")
			if len(lines) > size[1] {
				t.Errorf("%dx%d %v: %d lines", size[0], size[1], keys, len(lines))
			}
			for _, l := range lines {
				if w := len([]rune(stripANSI(l))); w > size[0] {
					t.Errorf("%dx%d %v: line of %d columns: %q", size[0], size[1], keys, w, l)
				}
			}
			if strings.Contains(v, "\x1b[3") {
				t.Errorf("colour in a colourless view")
			}
		}
	}
}

var sgr = regexp.MustCompile(`\x1b\[[0-9;]*m`)

func stripANSI(s string) string { return sgr.ReplaceAllString(s, "") }

// The saver runs as a command and its result shows on screen.
func TestModelSave(t *testing.T) {
	s := NewSession(rules.DefaultPack(), map[string]rules.Answer{"team_size": {Value: 12, Source: "answer"}})
	var saved []string
	var m tea.Model = NewModel(s, false, &Files{Default: map[string]string{"answers": "out-answers"}, Write: func(kind, path string, _ bool, s *Session) error {
		saved = append(saved, kind+" "+path)
		return nil
	}})
	m = press(m, "d", "s")
	var cmd tea.Cmd
	m, cmd = m.Update(tea.KeyMsg{Type: tea.KeyEnter})
	if cmd == nil {
		t.Fatal("enter in the file prompt gives no command")
	}
	m, _ = m.Update(cmd())
	if len(saved) != 1 || saved[0] != "answers out-answers" || !strings.Contains(m.View(), "Wrote out-answers") {
		t.Errorf("saved %v, view:\n%s", saved, m.View())
	}
}

// The whole program under teatest: keys in, the final model out.
func TestTeatest(t *testing.T) {
	s := NewSession(rules.DefaultPack(), nil)
	tm := teatest.NewTestModel(t, NewModel(s, false, nil), teatest.WithInitialTermSize(80, 24))
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte("How many engineers")) },
		teatest.WithDuration(3*time.Second))
	// Enter alone answers every question and reaches the result.
	for range s.Pack.Questions {
		tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
	}
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte("Recommendation")) },
		teatest.WithDuration(3*time.Second))
	// The answers are not saved: q asks once, the second quits.
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("q")})
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("q")})
	fm := tm.FinalModel(t, teatest.WithFinalTimeout(3*time.Second)).(Model)
	if !fm.Done || !fm.Quit || len(fm.Session().Answers) != len(s.Pack.Questions) {
		t.Errorf("final model: done %v quit %v answers %d", fm.Done, fm.Quit, len(fm.Session().Answers))
	}
	// The result screen, as the program last drew it (the output stream itself was read by
	// WaitFor above, which is what checked that it reached the terminal).
	view := stripANSI(fm.View())
	for _, want := range []string{"Recommendation:", "scores:", "save answers"} {
		if !strings.Contains(view, want) {
			t.Errorf("the result screen does not show %q:\n%s", want, view)
		}
	}
}

func TestAccessible(t *testing.T) {
	s := NewSession(rules.DefaultPack(), map[string]rules.Answer{"shared_database": {Value: "yes", Source: "code", Evidence: []string{"2 tables shared"}}})
	// team_size 12, teams unknown, back, teams 2, then option 1 for the rest; shared_database is kept with enter.
	var in strings.Builder
	in.WriteString("12\n?\nb\n2\n")
	for _, q := range s.Pack.Questions[2:] {
		if q.ID == "shared_database" {
			in.WriteString("\n")
			continue
		}
		in.WriteString("1\n")
	}
	var out bytes.Buffer
	if err := Accessible(strings.NewReader(in.String()), &out, s); err != nil {
		t.Fatal(err)
	}
	if s.Answers["team_size"].Value != 12 || s.Answers["teams"].Value != 2 || s.Answers["domain_clarity"].Value != "unclear" {
		t.Errorf("answers: %v", s.Answers)
	}
	if s.Answers["shared_database"].Source != "code" || !strings.Contains(out.String(), "from the code: 2 tables shared") {
		t.Errorf("the code's answer was not kept or not shown")
	}
}

// BenchmarkStartup is what `cleave assess` does before the first screen: load and compile the
// rule pack, assess the empty answers, and render the first view.
func BenchmarkStartup(b *testing.B) {
	for b.Loop() {
		pack, err := rules.CompileBuiltIn() // as a fresh process does: no cached pack
		if err != nil {
			b.Fatal(err)
		}
		m := NewModel(NewSession(pack, nil), true, nil)
		if m.View() == "" {
			b.Fatal("empty view")
		}
	}
}

// The result screen tells where the answers disagree with the code, how many answers carry a
// risk, and how many warning signs are still unknown.
func TestResultScreenDecisionNotes(t *testing.T) {
	code := map[string]rules.Answer{"sync_chains": {Value: "no", Source: "code", Evidence: []string{"no synchronous calls"}}}
	s := NewSession(rules.DefaultPack(), map[string]rules.Answer{
		"sync_chains": {Value: "yes", Source: "answer"}, "ops_maturity": {Value: "low", Source: "answer"},
		"heading": {Value: "microservices", Source: "answer"},
	})
	s.Code = code
	var m tea.Model = NewModel(s, false, nil)
	m = press(m, "d")
	view := stripANSI(m.View())
	for _, want := range []string{"sync_chains: you said yes, the code shows no", "carry a risk", "more warning signs unknown"} {
		if !strings.Contains(view, want) {
			t.Errorf("the result screen lacks %q:\n%s", want, view)
		}
	}
}
