package assess

import (
	"fmt"
	"math"
	"strings"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/cleave-dev/cleave/rules"
)

type screen int

const (
	screenQuestion screen = iota
	screenReview
	screenResult
)

// keyMap holds the key bindings; the help line shows the ones that apply on each screen.
type keyMap struct {
	Up, Down, Next, Back, Unknown, Review, Done, Save, Write, Quit key.Binding
}

func newKeys() keyMap {
	return keyMap{
		Up:      key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:    key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		Next:    key.NewBinding(key.WithKeys("enter", "right", "l"), key.WithHelp("enter", "next")),
		Back:    key.NewBinding(key.WithKeys("left", "h", "shift+tab", "backspace"), key.WithHelp("←", "back")),
		Unknown: key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "unknown")),
		Review:  key.NewBinding(key.WithKeys("r", "tab"), key.WithHelp("r", "review")),
		Done:    key.NewBinding(key.WithKeys("d"), key.WithHelp("d", "result")),
		Save:    key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "save answers")),
		Write:   key.NewBinding(key.WithKeys("w"), key.WithHelp("w", "write report")),
		Quit:    key.NewBinding(key.WithKeys("q", "ctrl+c", "esc"), key.WithHelp("q", "quit")),
	}
}

// helpKeys implements help.KeyMap for one screen.
type helpKeys []key.Binding

func (h helpKeys) ShortHelp() []key.Binding  { return h }
func (h helpKeys) FullHelp() [][]key.Binding { return [][]key.Binding{h} }

// Saver writes the answers file or the report; the model calls it through a command, never
// from Update, so the UI never blocks on I/O.
type Saver func(kind string, s *Session) (string, error)

// Model is the questionnaire's bubbletea model.
type Model struct {
	s      *Session
	idx    int // the question on screen
	cursor int // the option under the cursor
	screen screen
	review int // the question under the cursor on the review screen
	width  int
	height int
	keys   keyMap
	help   help.Model
	st     styles
	saver  Saver
	status string
	result *rules.Assessment
	// Quit is set when the person leaves; Done when they reached the result.
	Quit, Done bool
}

type styles struct {
	title, prompt, why, faint, cursor, chosen, panel, bar, barNeg, best, warn, status lipgloss.Style
}

func newStyles(color bool) styles {
	s := styles{
		title:  lipgloss.NewStyle().Bold(true),
		prompt: lipgloss.NewStyle().Bold(true),
		why:    lipgloss.NewStyle().Italic(true),
		faint:  lipgloss.NewStyle().Faint(true),
		cursor: lipgloss.NewStyle().Bold(true),
		chosen: lipgloss.NewStyle(),
		panel:  lipgloss.NewStyle().Border(lipgloss.RoundedBorder()).Padding(0, 1),
		bar:    lipgloss.NewStyle(),
		barNeg: lipgloss.NewStyle(),
		best:   lipgloss.NewStyle().Bold(true),
		warn:   lipgloss.NewStyle().Bold(true),
		status: lipgloss.NewStyle().Faint(true),
	}
	if color {
		s.title = s.title.Foreground(lipgloss.Color("12"))
		s.cursor = s.cursor.Foreground(lipgloss.Color("10"))
		s.chosen = s.chosen.Foreground(lipgloss.Color("10"))
		s.bar = s.bar.Foreground(lipgloss.Color("10"))
		s.barNeg = s.barNeg.Foreground(lipgloss.Color("9"))
		s.warn = s.warn.Foreground(lipgloss.Color("11"))
		s.panel = s.panel.BorderForeground(lipgloss.Color("8"))
	}
	return s
}

// NewModel starts the questionnaire at the first unanswered question.
func NewModel(s *Session, color bool, saver Saver) Model {
	m := Model{s: s, keys: newKeys(), help: help.New(), st: newStyles(color), saver: saver, width: 80, height: 24}
	for i, q := range s.Pack.Questions {
		if _, ok := s.Answers[q.ID]; !ok {
			m.idx = i
			break
		}
	}
	m.syncCursor()
	m.result = s.Assessment()
	return m
}

// Session returns the session the model fills.
func (m Model) Session() *Session { return m.s }

func (m Model) question() *rules.Question { return m.s.Pack.Questions[m.idx] }

// syncCursor puts the cursor on the current answer of the question on screen.
func (m *Model) syncCursor() {
	m.cursor = 0
	q := m.question()
	if a, ok := m.s.Answers[q.ID]; ok {
		for i, o := range q.Options {
			if fmt.Sprint(o.Value) == fmt.Sprint(a.Value) {
				m.cursor = i
				return
			}
		}
		if n, ok := a.Value.(int); ok && q.Integer() { // a number between the bands: the nearest band
			best := math.MaxInt
			for i, o := range q.Options {
				if d := abs(o.Value.(int) - n); d < best {
					best, m.cursor = d, i
				}
			}
		}
	}
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

type savedMsg struct {
	kind, path string
	err        error
}

func (m Model) save(kind string) tea.Cmd {
	if m.saver == nil {
		return nil
	}
	s := m.s
	return func() tea.Msg {
		path, err := m.saver(kind, s)
		return savedMsg{kind: kind, path: path, err: err}
	}
}

// Init starts nothing: the model waits for keys.
func (m Model) Init() tea.Cmd { return nil }

// Update handles a message.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.help.Width = msg.Width
		return m, nil
	case savedMsg:
		if msg.err != nil {
			m.status = "could not write the " + msg.kind + ": " + msg.err.Error()
		} else {
			m.status = "wrote " + msg.path
		}
		return m, nil
	case tea.KeyMsg:
		if key.Matches(msg, m.keys.Quit) {
			m.Quit = true
			return m, tea.Quit
		}
		switch m.screen {
		case screenQuestion:
			return m.updateQuestion(msg)
		case screenReview:
			return m.updateReview(msg)
		case screenResult:
			return m.updateResult(msg)
		}
	}
	return m, nil
}

func (m Model) updateQuestion(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	q := m.question()
	switch {
	case key.Matches(msg, m.keys.Up):
		m.cursor = (m.cursor - 1 + len(q.Options)) % len(q.Options)
	case key.Matches(msg, m.keys.Down):
		m.cursor = (m.cursor + 1) % len(q.Options)
	case key.Matches(msg, m.keys.Next):
		m.answer(q.Options[m.cursor].Value)
		m.advance()
	case key.Matches(msg, m.keys.Unknown):
		m.answer(rules.Unknown)
		m.advance()
	case key.Matches(msg, m.keys.Back):
		if m.idx > 0 {
			m.idx--
			m.syncCursor()
		}
	case key.Matches(msg, m.keys.Review):
		m.screen, m.review = screenReview, m.idx
	case key.Matches(msg, m.keys.Done):
		m.screen, m.Done = screenResult, true
	}
	return m, nil
}

func (m *Model) answer(v any) {
	m.s.Answers[m.question().ID] = rules.Answer{Value: v, Source: "answer"}
	m.result = m.s.Assessment()
	m.status = ""
}

func (m *Model) advance() {
	if m.idx+1 < len(m.s.Pack.Questions) {
		m.idx++
		m.syncCursor()
		return
	}
	m.screen, m.review = screenReview, 0
}

func (m Model) updateReview(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	n := len(m.s.Pack.Questions)
	switch {
	case key.Matches(msg, m.keys.Up):
		m.review = (m.review - 1 + n) % n
	case key.Matches(msg, m.keys.Down):
		m.review = (m.review + 1) % n
	case key.Matches(msg, m.keys.Next):
		m.screen, m.idx = screenQuestion, m.review
		m.syncCursor()
	case key.Matches(msg, m.keys.Done):
		m.screen, m.Done = screenResult, true
	case key.Matches(msg, m.keys.Back):
		m.screen = screenQuestion
	}
	return m, nil
}

func (m Model) updateResult(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	switch {
	case key.Matches(msg, m.keys.Save):
		return m, m.save("answers")
	case key.Matches(msg, m.keys.Write):
		return m, m.save("report")
	case key.Matches(msg, m.keys.Review), key.Matches(msg, m.keys.Back):
		m.screen = screenReview
	}
	return m, nil
}

// View renders the screen for the window size.
func (m Model) View() string {
	var main string
	var keys helpKeys
	switch m.screen {
	case screenQuestion:
		main = m.viewQuestion()
		keys = helpKeys{m.keys.Up, m.keys.Down, m.keys.Next, m.keys.Back, m.keys.Unknown, m.keys.Review, m.keys.Done, m.keys.Quit}
	case screenReview:
		main = m.viewReview()
		keys = helpKeys{m.keys.Up, m.keys.Down, m.keys.Next, m.keys.Done, m.keys.Back, m.keys.Quit}
	case screenResult:
		main = m.viewResult()
		keys = helpKeys{m.keys.Save, m.keys.Write, m.keys.Review, m.keys.Quit}
	}
	panel := m.viewScores()
	if m.screen != screenQuestion && m.width < 100 && m.height < 32 {
		panel = "" // the list of answers and the result need the room; the result names the scores
	}
	var body string
	if m.width >= 100 {
		mainW := m.width - lipgloss.Width(panel) - 2
		body = lipgloss.JoinHorizontal(lipgloss.Top, lipgloss.NewStyle().Width(mainW).Render(main), "  ", panel)
	} else {
		body = lipgloss.JoinVertical(lipgloss.Left, lipgloss.NewStyle().Width(max(20, m.width-1)).Render(main), panel)
	}
	out := body
	if m.status != "" {
		out += "\n" + m.st.status.Render(m.status)
	}
	out += "\n" + m.help.View(keys)
	return fitHeight(out, m.height)
}

// fitHeight keeps the screen within the window, dropping lines from the middle of long text.
func fitHeight(s string, h int) string {
	lines := strings.Split(s, "\n")
	if h <= 0 || len(lines) <= h {
		return s
	}
	keep := append(append([]string{}, lines[:h-2]...), "…", lines[len(lines)-1])
	return strings.Join(keep, "\n")
}

func (m Model) progress() string {
	answered := 0
	for _, q := range m.s.Pack.Questions {
		if _, ok := m.s.Answers[q.ID]; ok {
			answered++
		}
	}
	n := len(m.s.Pack.Questions)
	const w = 20
	filled := answered * w / max(1, n)
	return fmt.Sprintf("%s %s", strings.Repeat("█", filled)+strings.Repeat("░", w-filled),
		m.st.faint.Render(fmt.Sprintf("question %d of %d · %d answered", m.idx+1, n, answered)))
}

func (m Model) viewQuestion() string {
	q := m.question()
	var b strings.Builder
	b.WriteString(m.st.title.Render("cleave assess") + "  " + m.progress() + "\n\n")
	b.WriteString(m.st.prompt.Render(q.Prompt) + "\n\n")
	cur, has := m.s.Answers[q.ID]
	for i, o := range q.Options {
		pointer := "  "
		line := o.Label
		if i == m.cursor {
			pointer = m.st.cursor.Render("> ")
			line = m.st.cursor.Render(line)
		}
		mark := " "
		if has && fmt.Sprint(cur.Value) == fmt.Sprint(o.Value) {
			mark = m.st.chosen.Render("•")
		}
		b.WriteString(pointer + mark + " " + line + "\n")
	}
	if has {
		switch {
		case cur.Value == rules.Unknown:
			b.WriteString(m.st.faint.Render("  answered: unknown") + "\n")
		case cur.Source == "code":
			b.WriteString(m.st.faint.Render("  from the code: "+strings.Join(cur.Evidence, "; ")) + "\n")
		case q.Integer():
			b.WriteString(m.st.faint.Render(fmt.Sprintf("  answered: %v", cur.Value)) + "\n")
		}
	}
	b.WriteString("\n" + m.st.why.Render("Why it matters: "+q.Why) + "\n")
	b.WriteString(m.st.faint.Render("Guide: "+q.Guide) + "\n")
	return b.String()
}

func (m Model) viewReview() string {
	var b strings.Builder
	b.WriteString(m.st.title.Render("Review your answers") + "  " + m.st.faint.Render("enter changes one, d shows the result") + "\n\n")
	for i, q := range m.s.Pack.Questions {
		v := m.st.faint.Render("unanswered")
		if a, ok := m.s.Answers[q.ID]; ok {
			v = fmt.Sprint(a.Value)
			if a.Source == "code" {
				v += m.st.faint.Render(" (code)")
			}
		}
		pointer := "  "
		id := q.ID
		if i == m.review {
			pointer, id = m.st.cursor.Render("> "), m.st.cursor.Render(q.ID)
		}
		b.WriteString(fmt.Sprintf("%s%-20s %s\n", pointer, id, v))
	}
	return b.String()
}

func (m Model) viewResult() string {
	as := m.result
	r := as.Recommendation
	var b strings.Builder
	b.WriteString(m.st.title.Render("Recommendation: "+r.Architecture) + "  " + m.st.faint.Render(fmt.Sprintf("confidence %d%%", int(math.Round(r.Confidence*100)))) + "\n")
	if r.Complement != nil {
		b.WriteString("with " + *r.Complement + " beside it: " + r.ComplementBecause + "\n")
	}
	var scores []string
	for _, a := range as.ScoreOrder() {
		scores = append(scores, fmt.Sprintf("%s %d", a, r.Scores[a]))
	}
	b.WriteString(m.st.faint.Render("scores: "+strings.Join(scores, " · ")) + "\n")
	b.WriteString("\n" + m.st.prompt.Render("Why") + "\n")
	for _, t := range as.TopReasons(3) {
		b.WriteString(fmt.Sprintf("  +%d %s\n", t.Effects[r.Architecture], t.Reason))
	}
	if len(as.Warnings) > 0 {
		b.WriteString("\n" + m.st.warn.Render(fmt.Sprintf("Warning signs (%d)", len(as.Warnings))) + "\n")
		for _, w := range as.Warnings { // titles only: the report (w) carries the mitigations
			b.WriteString(fmt.Sprintf("  %-6s %s\n", strings.ToUpper(w.Severity), w.Title))
		}
	}
	if n := len(as.Risks); n > 0 {
		b.WriteString(fmt.Sprintf("  %d answer(s) carry a risk: the report (w) has the improvement plan\n", n))
	}
	for _, c := range as.Contradictions {
		b.WriteString(m.st.warn.Render("  "+c.Words()) + "\n")
	}
	if unknown := len(as.UnknownSigns()); unknown > 0 {
		b.WriteString(fmt.Sprintf("  %d more warning sign(s) unknown until their questions are answered\n", unknown))
	}
	if len(as.TippingPoints) > 0 {
		b.WriteString("\n" + m.st.prompt.Render("What would change it") + "\n")
		for i, tp := range as.TippingPoints {
			if i == 3 {
				b.WriteString(m.st.faint.Render(fmt.Sprintf("  and %d more", len(as.TippingPoints)-3)) + "\n")
				break
			}
			b.WriteString(fmt.Sprintf("  %s %s → %s: %s\n", tp.Question, tp.From, tp.To, tp.Recommendation))
		}
	} else if len(as.TippingCombinations) > 0 {
		c := as.TippingCombinations[0]
		b.WriteString("\n" + m.st.prompt.Render("What would change it") + "\n")
		b.WriteString(fmt.Sprintf("  no single answer; together %s: %s\n", c.Words(), c.Recommendation))
	}
	if len(as.Practices) > 0 {
		var titles []string
		for _, p := range as.Practices {
			titles = append(titles, p.Title)
		}
		b.WriteString("\n" + m.st.prompt.Render("Next steps: ") + strings.Join(titles, ", ") + "\n")
	}
	return b.String()
}

// viewScores is the side panel: one bar per architecture, moving as answers change.
func (m Model) viewScores() string {
	as := m.result
	lo, hi := 0, 1
	for _, a := range m.s.Pack.Architectures {
		lo, hi = min(lo, as.Recommendation.Scores[a]), max(hi, as.Recommendation.Scores[a])
	}
	const w = 14
	compact := m.width < 100 && m.height < 32 // below the question on a small screen: no frame
	conf := m.st.faint.Render(fmt.Sprintf("confidence %d%%", int(math.Round(as.Recommendation.Confidence*100))))
	var b strings.Builder
	if compact {
		b.WriteString(m.st.prompt.Render("Scores") + "  " + conf + "\n")
	} else {
		b.WriteString(m.st.prompt.Render("Scores") + "\n")
	}
	for _, a := range m.s.Pack.Architectures {
		sc := as.Recommendation.Scores[a]
		n := 0
		if sc > 0 {
			n = int(math.Round(float64(sc) / float64(hi) * w))
		}
		neg := 0
		if sc < 0 {
			neg = int(math.Round(float64(-sc) / float64(-lo) * 4))
		}
		bar := m.st.barNeg.Render(strings.Repeat("▒", neg)) + m.st.bar.Render(strings.Repeat("█", n))
		name := fmt.Sprintf("%-16s", a)
		if a == as.Recommendation.Architecture {
			name = m.st.best.Render(name)
		}
		b.WriteString(fmt.Sprintf("%s %4d %s\n", name, sc, bar))
	}
	if compact {
		return "\n" + strings.TrimSuffix(b.String(), "\n")
	}
	b.WriteString(conf)
	return m.st.panel.Render(b.String())
}
