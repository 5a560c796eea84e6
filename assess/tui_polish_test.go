package assess

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/cleave-dev/cleave/rules"
)

var sizes = [][2]int{{80, 24}, {120, 40}, {60, 14}}

func sized(s *Session, w, h int, files *Files) tea.Model {
	var m tea.Model = NewModel(s, false, files)
	m, _ = m.Update(tea.WindowSizeMsg{Width: w, Height: h})
	return m
}

func keyOf(k string) tea.KeyMsg {
	switch k {
	case "enter":
		return tea.KeyMsg{Type: tea.KeyEnter}
	case "esc":
		return tea.KeyMsg{Type: tea.KeyEsc}
	case "ctrl+c":
		return tea.KeyMsg{Type: tea.KeyCtrlC}
	case "right":
		return tea.KeyMsg{Type: tea.KeyRight}
	case "pgdown":
		return tea.KeyMsg{Type: tea.KeyPgDown}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)}
}

// fits checks that a view stays inside the window.
func fits(t *testing.T, what string, v string, w, h int) {
	t.Helper()
	lines := strings.Split(v, "\n")
	if len(lines) > h {
		t.Errorf("%s at %dx%d: %d lines", what, w, h, len(lines))
	}
	for _, l := range lines {
		if lw := ansi.StringWidth(l); lw > w {
			t.Errorf("%s at %dx%d: a line of %d columns: %q", what, w, h, lw, l)
		}
	}
}

// Enter after the last question shows the result; the review is r away, and its header and
// help bar give enter one meaning.
func TestEnterToResultAndReview(t *testing.T) {
	for _, size := range sizes {
		s := NewSession(rules.DefaultPack(), nil)
		m := sized(s, size[0], size[1], nil)
		for range s.Pack.Questions {
			m = press(m, "enter")
		}
		mm := m.(Model)
		if mm.screen != screenResult || !mm.Done {
			t.Fatalf("%v: enter after the last question shows screen %v", size, mm.screen)
		}
		fits(t, "result", m.View(), size[0], size[1])
		m = press(m, "r")
		v := stripANSI(m.View())
		if m.(Model).screen != screenReview || !strings.Contains(v, "enter changes one") || !strings.Contains(v, "enter change") {
			t.Errorf("%v: the review's header and help disagree on enter:\n%s", size, v)
		}
		fits(t, "review", m.View(), size[0], size[1])
	}
}

// q, Esc and ctrl+c with unsaved answers ask once; without answers they quit at once.
func TestQuitAsksOnceWithUnsavedAnswers(t *testing.T) {
	for _, k := range []string{"q", "esc", "ctrl+c"} {
		s := NewSession(rules.DefaultPack(), nil)
		m := sized(s, 80, 24, nil)
		if _, cmd := m.Update(keyOf(k)); cmd == nil || !isQuit(cmd) {
			t.Errorf("%s with nothing answered does not quit", k)
		}
		m = press(m, "enter")
		m, cmd := m.Update(keyOf(k))
		if cmd != nil || m.(Model).Quit {
			t.Fatalf("%s with an unsaved answer quit at once", k)
		}
		if v := stripANSI(m.View()); !strings.Contains(v, "not saved") {
			t.Errorf("%s: no warning shown:\n%s", k, v)
		}
		if _, cmd := m.Update(keyOf(k)); cmd == nil || !isQuit(cmd) {
			t.Errorf("%s pressed twice does not quit", k)
		}
		// Any other key in between takes the question back.
		m = press(m, "down")
		if _, cmd := m.Update(keyOf(k)); cmd != nil {
			t.Errorf("%s after another key quit without asking again", k)
		}
	}
}

func isQuit(cmd tea.Cmd) bool {
	_, ok := cmd().(tea.QuitMsg)
	return ok
}

// → moves on without answering; coming back to a question answered unknown puts the cursor
// on "unknown".
func TestRightSkipsAndUnknownKeepsItsCursor(t *testing.T) {
	for _, size := range sizes {
		s := NewSession(rules.DefaultPack(), nil)
		m := sized(s, size[0], size[1], nil)
		m, _ = m.Update(keyOf("right"))
		if len(s.Answers) != 0 || m.(Model).idx != 1 {
			t.Fatalf("→ answered (%v) or did not move (%d)", s.Answers, m.(Model).idx)
		}
		m = press(m, "u", "left")
		mm := m.(Model)
		if s.Answers["teams"].Value != rules.Unknown || mm.cursor != len(mm.question().Options) {
			t.Errorf("%v: back on teams (unknown), the cursor is on row %d of %d", size, mm.cursor, mm.rows())
		}
		v := stripANSI(m.View())
		if !strings.Contains(v, "> • unknown") {
			t.Errorf("%v: the unknown row is not under the cursor and marked:\n%s", size, v)
		}
		fits(t, "question", m.View(), size[0], size[1])
		// The unknown row answers unknown with enter too: on the next question, ↑ from the
		// first option wraps to it.
		m = press(m, "enter", "up", "enter")
		if got := s.Answers["domain_clarity"].Value; got != rules.Unknown {
			t.Errorf("%v: enter on the unknown row answered %v", size, got)
		}
		if m.(Model).question().ID != "scale_problems" {
			t.Errorf("%v: enter on the unknown row did not move on", size)
		}
	}
}

// The help bar always shows ? and q, and ? shows every key.
func TestHelpToggle(t *testing.T) {
	for _, size := range sizes {
		m := sized(NewSession(rules.DefaultPack(), nil), size[0], size[1], nil)
		short := stripANSI(m.View())
		if !strings.Contains(short, "q quit") || !strings.Contains(short, "? all keys") {
			t.Errorf("%v: the help bar hides ? or q:\n%s", size, short)
		}
		m = press(m, "?")
		full := stripANSI(m.View())
		for _, k := range []string{"→", "skip", "save answers", "write report"} {
			if !strings.Contains(full, k) {
				t.Errorf("%v: the full help lacks %q:\n%s", size, k, full)
			}
		}
		fits(t, "full help", m.View(), size[0], size[1])
	}
}

// The review scrolls with its cursor; the selected row stays aligned with the others.
func TestReviewScrollsAndAligns(t *testing.T) {
	for _, size := range sizes {
		s := NewSession(rules.DefaultPack(), map[string]rules.Answer{"team_size": {Value: 12, Source: "answer"}, "existing": {Value: "monolith", Source: "answer"}})
		m := sized(s, size[0], size[1], nil)
		m = press(m, "r")
		for i := 0; i < len(s.Pack.Questions)-1; i++ {
			m = press(m, "down")
			v := stripANSI(m.View())
			fits(t, "review", m.View(), size[0], size[1])
			sel := s.Pack.Questions[m.(Model).review].ID
			if !strings.Contains(v, "> "+sel) {
				t.Fatalf("%v: the selected %s is off the screen:\n%s", size, sel, v)
			}
		}
		v := stripANSI(m.View())
		var col []int
		for _, l := range strings.Split(v, "\n") {
			for _, id := range []string{"existing", "heading", "consistency"} {
				if strings.HasPrefix(strings.TrimLeft(l, "> "), id+" ") && (strings.HasPrefix(l, "> ") || strings.HasPrefix(l, "  ")) {
					col = append(col, strings.Index(l, "monolith")+strings.Index(l, "unanswered")+1)
				}
			}
		}
		for _, c := range col {
			if c != col[0] {
				t.Errorf("%v: the answers column moves: %v\n%s", size, col, v)
				break
			}
		}
	}
}

// The result scrolls on a small screen and says how much is below.
func TestResultScrolls(t *testing.T) {
	s := NewSession(rules.DefaultPack(), nil)
	m := sized(s, 60, 14, nil)
	m = press(m, "d")
	v := stripANSI(m.View())
	fits(t, "result", m.View(), 60, 14)
	if !strings.Contains(v, "more lines") {
		t.Fatalf("no sign of what is below:\n%s", v)
	}
	first := strings.Split(v, "\n")[0]
	m, _ = m.Update(keyOf("pgdown"))
	if w := stripANSI(m.View()); strings.Split(w, "\n")[0] == first {
		t.Errorf("pgdown did not scroll:\n%s", w)
	}
	for range 100 {
		m = press(m, "j")
	}
	if w := stripANSI(m.View()); !strings.Contains(w, "Next steps") || strings.Contains(w, "more lines") {
		t.Errorf("the end is not reachable:\n%s", w)
	}
	fits(t, "result scrolled", m.View(), 60, 14)
}

// Long text wraps at words under its indent; the header is cut, never wrapped.
func TestWrappingAndHeader(t *testing.T) {
	s := NewSession(rules.DefaultPack(), map[string]rules.Answer{"shared_database": {Value: "yes", Source: "code",
		Evidence: []string{"table orders is written by deployables billing and orders and read by shipping, reporting and the admin CLI"}}})
	for _, size := range sizes {
		m := sized(s, size[0], size[1], nil)
		for m.(Model).question().ID != "shared_database" {
			m, _ = m.Update(keyOf("right"))
		}
		v := stripANSI(m.View())
		fits(t, "question", m.View(), size[0], size[1])
		lines := strings.Split(v, "\n")
		if !strings.HasPrefix(lines[0], "cleave assess") {
			t.Errorf("%v: the header wrapped: %q", size, lines[0])
		}
		for i, l := range lines {
			if strings.Contains(l, "from the code:") && size[0] < 100 {
				if i+1 >= len(lines) || !strings.HasPrefix(lines[i+1], "    ") {
					t.Errorf("%v: the evidence does not continue under its indent:\n%s", size, v)
				}
			}
			for _, w := range strings.Fields(l) {
				if strings.HasSuffix(w, "-") && len(w) > 1 {
					t.Errorf("%v: a word was cut: %q", size, l)
				}
			}
		}
	}
}

// Scores share one scale; no leader is marked while scores tie; before any answer the
// confidence says there is none.
func TestScoresPanel(t *testing.T) {
	s := NewSession(rules.DefaultPack(), nil)
	m := NewModel(s, true, nil)
	m.width, m.height = 120, 40
	panel := stripANSI(m.viewScores())
	if !strings.Contains(panel, "confidence: none yet") {
		t.Errorf("before any answer: %s", panel)
	}
	if strings.Contains(m.viewScores(), "\x1b[1mmonolith") || strings.Contains(m.viewScores(), "\x1b[1mmodular") {
		t.Errorf("a leader is marked while every score is 0:\n%s", m.viewScores())
	}
	m = press(m, "enter").(Model) // a team of 1 to 5: scores move both ways
	sc := m.result.Recommendation.Scores
	width := func(a string) (pos, neg int) {
		for _, l := range strings.Split(stripANSI(m.viewScores()), "\n") {
			if strings.Contains(l, a+" ") {
				return strings.Count(l, "█"), strings.Count(l, "▒")
			}
		}
		return -1, -1
	}
	var most, least string
	for a, v := range sc {
		if most == "" || v > sc[most] {
			most = a
		}
		if least == "" || v < sc[least] {
			least = a
		}
	}
	if sc[least] >= 0 {
		t.Skip("no negative score after the first answer")
	}
	p, _ := width(most)
	_, n := width(least)
	// One scale: the longer bar belongs to the larger magnitude.
	if (sc[most] > -sc[least]) != (p > n) && sc[most] != -sc[least] {
		t.Errorf("bars on two scales: %s %d is %d wide, %s %d is %d wide", most, sc[most], p, least, sc[least], n)
	}
	if strings.Contains(stripANSI(m.viewScores()), "none yet") {
		t.Errorf("an answer given, and the confidence still says none")
	}
}

// s and w ask for a name with a default, and never replace a file without a yes.
func TestSaveAsksForNameAndOverwrite(t *testing.T) {
	existing := map[string]bool{"cleave-answers.yaml": true}
	var wrote []string
	files := &Files{Default: map[string]string{"answers": "cleave-answers.yaml", "report": "cleave-assessment.md"},
		Write: func(kind, path string, overwrite bool, _ *Session) error {
			if existing[path] && !overwrite {
				return fmt.Errorf("%s: %w", path, fs.ErrExist)
			}
			wrote = append(wrote, fmt.Sprintf("%s %s %v", kind, path, overwrite))
			return nil
		}}
	for _, size := range sizes {
		wrote = nil
		s := NewSession(rules.DefaultPack(), nil)
		m := sized(s, size[0], size[1], files)
		m = press(m, "enter", "s")
		v := stripANSI(m.View())
		if !strings.Contains(v, "Save the answers to: cleave-answers.yaml") {
			t.Fatalf("%v: no prompt with the default:\n%s", size, v)
		}
		fits(t, "prompt", m.View(), size[0], size[1])
		var cmd tea.Cmd
		m, cmd = m.Update(keyOf("enter"))
		m, _ = m.Update(cmd())
		if len(wrote) != 0 || !strings.Contains(stripANSI(m.View()), "exists: replace it? y or n") {
			t.Fatalf("%v: an existing file was replaced without asking (%v):\n%s", size, wrote, stripANSI(m.View()))
		}
		m = press(m, "n")
		if len(wrote) != 0 || m.(Model).prompt == nil {
			t.Fatalf("%v: n did not keep the prompt open", size)
		}
		// Another name is written at once.
		for range len("cleave-answers.yaml") {
			m, _ = m.Update(tea.KeyMsg{Type: tea.KeyBackspace})
		}
		for _, r := range "mine.yaml" {
			m, _ = m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
		}
		m, cmd = m.Update(keyOf("enter"))
		m, _ = m.Update(cmd())
		if len(wrote) != 1 || wrote[0] != "answers mine.yaml false" || !strings.Contains(m.View(), "Wrote mine.yaml") {
			t.Errorf("%v: wrote %v:\n%s", size, wrote, stripANSI(m.View()))
		}
		if m.(Model).dirty {
			t.Errorf("saved answers still count as unsaved")
		}
		// The same file again: y replaces it.
		m = press(m, "s")
		m, cmd = m.Update(keyOf("enter"))
		m, _ = m.Update(cmd())
		m, cmd = m.Update(keyOf("y"))
		if cmd == nil {
			t.Fatalf("%v: y gave no write", size)
		}
		m, _ = m.Update(cmd())
		if len(wrote) != 2 || wrote[1] != "answers cleave-answers.yaml true" {
			t.Errorf("%v: y did not replace: %v", size, wrote)
		}
		// Esc leaves the prompt without writing.
		m = press(m, "w")
		m, _ = m.Update(keyOf("esc"))
		if m.(Model).prompt != nil || len(wrote) != 2 {
			t.Errorf("%v: esc wrote or kept the prompt", size)
		}
	}
	// An error other than exists is shown, and nothing is retried.
	failing := &Files{Default: map[string]string{"report": "r.md"}, Write: func(string, string, bool, *Session) error { return errors.New("disk full") }}
	m := sized(NewSession(rules.DefaultPack(), nil), 80, 24, failing)
	m = press(m, "w")
	m, cmd := m.Update(keyOf("enter"))
	m, _ = m.Update(cmd())
	if !strings.Contains(stripANSI(m.View()), "Could not write the report: disk full") {
		t.Errorf("the error is not shown:\n%s", stripANSI(m.View()))
	}
}

// What is printed after the questionnaire wraps at words with a hanging indent.
func TestWrap(t *testing.T) {
	in := "Why\n  +2 Synchronous chains are a distributed monolith: the calls belong in one process.\nshort\n"
	got := Wrap(in, 40)
	want := "Why\n  +2 Synchronous chains are a\n    distributed monolith: the calls\n    belong in one process.\nshort\n"
	if got != want {
		t.Errorf("Wrap:\n%q\nwant\n%q", got, want)
	}
	if Wrap(in, 0) != in {
		t.Errorf("no width: the text must stay as it is")
	}
}
