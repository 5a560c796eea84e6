package assess

import (
	"errors"
	"fmt"
	"io/fs"
	"math"
	"strings"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

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
	Up, Down, Answer, Change, Skip, Back, Unknown, Review, Done, Save, Write, PgUp, PgDown, Help, Quit key.Binding
}

func newKeys() keyMap {
	return keyMap{
		Up:      key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:    key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		Answer:  key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "answer")),
		Change:  key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "change")),
		Skip:    key.NewBinding(key.WithKeys("right", "l"), key.WithHelp("→", "skip")),
		Back:    key.NewBinding(key.WithKeys("left", "h", "shift+tab", "backspace"), key.WithHelp("←", "back")),
		Unknown: key.NewBinding(key.WithKeys("u"), key.WithHelp("u", "unknown")),
		Review:  key.NewBinding(key.WithKeys("r", "tab"), key.WithHelp("r", "review")),
		Done:    key.NewBinding(key.WithKeys("d"), key.WithHelp("d", "result")),
		Save:    key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "save answers")),
		Write:   key.NewBinding(key.WithKeys("w"), key.WithHelp("w", "write report")),
		PgUp:    key.NewBinding(key.WithKeys("pgup", "b"), key.WithHelp("pgup", "page up")),
		PgDown:  key.NewBinding(key.WithKeys("pgdown", " ", "f"), key.WithHelp("pgdn", "page down")),
		Help:    key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "all keys")),
		Quit:    key.NewBinding(key.WithKeys("q", "ctrl+c", "esc"), key.WithHelp("q", "quit")),
	}
}

// helpKeys implements help.KeyMap for one screen: the short line holds the keys a first-time
// user needs (and always ? and q), the full help all of them.
type helpKeys struct{ short, full []key.Binding }

func (h helpKeys) ShortHelp() []key.Binding { return h.short }
func (h helpKeys) FullHelp() [][]key.Binding {
	return [][]key.Binding{h.full[:len(h.full)/2], h.full[len(h.full)/2:]}
}

// Files is how the questionnaire writes what the person asks for: the answers file ("answers")
// and the report ("report"). Write runs in a command, never in Update, so the screen never
// waits on the disk; without overwrite, a file that exists is fs.ErrExist.
type Files struct {
	Default map[string]string
	Write   func(kind, path string, overwrite bool, s *Session) error
}

// filePrompt asks for the file a save or a write goes to, and whether to replace it.
type filePrompt struct {
	kind      string
	input     textinput.Model
	overwrite string // set when the file exists: the path, awaiting y or n
}

// Model is the questionnaire's bubbletea model.
type Model struct {
	s      *Session
	idx    int // the question on screen
	cursor int // the row under the cursor; len(options) is "unknown"
	screen screen
	review int // the question under the cursor on the review screen
	scroll int // the first line of the result shown
	width  int
	height int
	keys   keyMap
	help   help.Model
	st     styles
	files  *Files
	prompt *filePrompt
	status string
	result *rules.Assessment
	// dirty: answers changed since they were last saved; confirmQuit: a quit key was pressed
	// with them unsaved, and the next one quits.
	dirty, confirmQuit bool
	// Quit is set when the person leaves; Done when they reached the result.
	Quit, Done bool
	// frame holds the panel and the footer while View draws one frame: each is rendered once,
	// though the layout asks for their sizes several times.
	frame *frame
}

type frame struct{ scores, footer string }

// scores is the score panel of the frame being drawn, else rendered afresh.
func (m Model) scores() string {
	if m.frame != nil {
		return m.frame.scores
	}
	return m.viewScores()
}

// footerText is the footer of the frame being drawn, else rendered afresh.
func (m Model) footerText() string {
	if m.frame != nil {
		return m.frame.footer
	}
	return m.footer()
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

// NewModel starts the questionnaire at the first unanswered question. files may be nil: then
// nothing can be saved from the screen.
func NewModel(s *Session, color bool, files *Files) Model {
	m := Model{s: s, keys: newKeys(), help: help.New(), st: newStyles(color), files: files, width: 80, height: 24}
	m.help.Width = m.width
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

// rows is the number of rows of the question on screen: its options, then "unknown".
func (m Model) rows() int { return len(m.question().Options) + 1 }

// syncCursor puts the cursor on the current answer of the question on screen: its option, the
// "unknown" row for an answer of unknown, the nearest band for a number between bands.
func (m *Model) syncCursor() {
	m.cursor = 0
	q := m.question()
	a, ok := m.s.Answers[q.ID]
	if !ok {
		return
	}
	if a.Value == rules.Unknown {
		m.cursor = len(q.Options)
		return
	}
	for i, o := range q.Options {
		if fmt.Sprint(o.Value) == fmt.Sprint(a.Value) {
			m.cursor = i
			return
		}
	}
	if n, ok := a.Value.(int); ok && q.Integer() {
		best := math.MaxInt
		for i, o := range q.Options {
			if d := abs(o.Value.(int) - n); d < best {
				best, m.cursor = d, i
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

// write asks Files to write kind to path, in a command.
func (m Model) write(kind, path string, overwrite bool) tea.Cmd {
	s, files := m.s, m.files
	return func() tea.Msg {
		return savedMsg{kind: kind, path: path, err: files.Write(kind, path, overwrite, s)}
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
		m.clampScroll()
		return m, nil
	case savedMsg:
		return m.saved(msg)
	case tea.KeyMsg:
		if m.prompt != nil {
			return m.updatePrompt(msg)
		}
		if key.Matches(msg, m.keys.Quit) {
			if m.dirty && !m.confirmQuit {
				m.confirmQuit = true
				m.status = "Your answers are not saved: press q again to quit without them, or s to save them."
				return m, nil
			}
			m.Quit = true
			return m, tea.Quit
		}
		m.confirmQuit = false
		switch {
		case key.Matches(msg, m.keys.Help):
			m.help.ShowAll = !m.help.ShowAll
			return m, nil
		case key.Matches(msg, m.keys.Save):
			return m.ask("answers")
		case key.Matches(msg, m.keys.Write):
			return m.ask("report")
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

// ask opens the file prompt for a save or a write, with the default name filled in.
func (m Model) ask(kind string) (tea.Model, tea.Cmd) {
	if m.files == nil {
		m.status = "Nothing can be written from here."
		return m, nil
	}
	in := textinput.New()
	in.Prompt = map[string]string{"answers": "Save the answers to: ", "report": "Write the report to: "}[kind]
	in.SetValue(m.files.Default[kind])
	in.CursorEnd()
	in.Width = max(10, m.width-lipgloss.Width(in.Prompt)-2)
	in.Focus()
	m.prompt = &filePrompt{kind: kind, input: in}
	m.status = ""
	return m, textinput.Blink
}

func (m Model) updatePrompt(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	p := m.prompt
	if p.overwrite != "" {
		switch msg.String() {
		case "y", "Y":
			path := p.overwrite
			m.prompt = nil
			return m, m.write(p.kind, path, true)
		case "n", "N", "esc", "ctrl+c":
			p.overwrite = ""
			m.status = "Not replaced: type another name, or esc to leave it."
		}
		return m, nil
	}
	switch msg.String() {
	case "esc", "ctrl+c":
		m.prompt, m.status = nil, "Nothing written."
		return m, nil
	case "enter":
		path := strings.TrimSpace(p.input.Value())
		if path == "" {
			m.status = "Type a file name, or esc to leave it."
			return m, nil
		}
		return m, m.write(p.kind, path, false)
	}
	var cmd tea.Cmd
	p.input, cmd = p.input.Update(msg)
	return m, cmd
}

// saved shows what a write did; a file that exists is asked about before it is replaced.
func (m Model) saved(msg savedMsg) (tea.Model, tea.Cmd) {
	switch {
	case errors.Is(msg.err, fs.ErrExist) && m.prompt != nil:
		m.prompt.overwrite = msg.path
		m.status = msg.path + " exists: replace it? y or n"
	case msg.err != nil:
		m.status = "Could not write the " + msg.kind + ": " + msg.err.Error()
	default:
		m.prompt = nil
		m.status = "Wrote " + msg.path
		if msg.kind == "answers" {
			m.dirty = false
		}
	}
	return m, nil
}

func (m Model) updateQuestion(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	q := m.question()
	switch {
	case key.Matches(msg, m.keys.Up):
		m.cursor = (m.cursor - 1 + m.rows()) % m.rows()
	case key.Matches(msg, m.keys.Down):
		m.cursor = (m.cursor + 1) % m.rows()
	case key.Matches(msg, m.keys.Answer):
		if m.cursor == len(q.Options) {
			m.answer(rules.Unknown)
		} else {
			m.answer(q.Options[m.cursor].Value)
		}
		m.advance()
	case key.Matches(msg, m.keys.Unknown):
		m.answer(rules.Unknown)
		m.advance()
	case key.Matches(msg, m.keys.Skip): // on to the next question, answering nothing
		if m.idx+1 < len(m.s.Pack.Questions) {
			m.idx++
			m.syncCursor()
		}
	case key.Matches(msg, m.keys.Back):
		if m.idx > 0 {
			m.idx--
			m.syncCursor()
		}
	case key.Matches(msg, m.keys.Review):
		m.screen, m.review = screenReview, m.idx
	case key.Matches(msg, m.keys.Done):
		m.showResult()
	}
	return m, nil
}

func (m *Model) answer(v any) {
	old, had := m.s.Answers[m.question().ID]
	m.s.Answers[m.question().ID] = rules.Answer{Value: v, Source: "answer"}
	if !had || fmt.Sprint(old.Value) != fmt.Sprint(v) || old.Source != "answer" {
		m.dirty = true
	}
	m.result = m.s.Assessment()
	m.status = ""
}

// advance goes to the next question; after the last one, to the result.
func (m *Model) advance() {
	if m.idx+1 < len(m.s.Pack.Questions) {
		m.idx++
		m.syncCursor()
		return
	}
	m.showResult()
}

func (m *Model) showResult() {
	m.screen, m.Done, m.scroll = screenResult, true, 0
}

func (m Model) updateReview(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	n := len(m.s.Pack.Questions)
	switch {
	case key.Matches(msg, m.keys.Up):
		m.review = (m.review - 1 + n) % n
	case key.Matches(msg, m.keys.Down):
		m.review = (m.review + 1) % n
	case key.Matches(msg, m.keys.Change):
		m.screen, m.idx = screenQuestion, m.review
		m.syncCursor()
	case key.Matches(msg, m.keys.Done):
		m.showResult()
	case key.Matches(msg, m.keys.Back):
		m.screen = screenQuestion
	}
	return m, nil
}

func (m Model) updateResult(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	page := max(1, m.mainHeight()-1)
	switch {
	case key.Matches(msg, m.keys.Up):
		m.scroll--
	case key.Matches(msg, m.keys.Down):
		m.scroll++
	case key.Matches(msg, m.keys.PgUp):
		m.scroll -= page
	case key.Matches(msg, m.keys.PgDown):
		m.scroll += page
	case key.Matches(msg, m.keys.Review), key.Matches(msg, m.keys.Back):
		m.screen = screenReview
	}
	m.clampScroll()
	return m, nil
}

// clampScroll keeps the result's first line within its text.
func (m *Model) clampScroll() {
	lines := len(m.wrapped(m.viewResult()))
	m.scroll = max(0, min(m.scroll, lines-m.mainHeight()))
}

// screenKeys are the keys of the screen on show.
func (m Model) screenKeys() helpKeys {
	k := m.keys
	switch m.screen {
	case screenReview:
		return helpKeys{short: []key.Binding{k.Change, k.Done, k.Back, k.Help, k.Quit},
			full: []key.Binding{k.Up, k.Down, k.Change, k.Done, k.Back, k.Save, k.Write, k.Help, k.Quit}}
	case screenResult:
		return helpKeys{short: []key.Binding{k.Save, k.Write, k.Review, k.Help, k.Quit},
			full: []key.Binding{k.Up, k.Down, k.PgUp, k.PgDown, k.Save, k.Write, k.Review, k.Help, k.Quit}}
	}
	return helpKeys{short: []key.Binding{k.Answer, k.Back, k.Unknown, k.Review, k.Done, k.Help, k.Quit},
		full: []key.Binding{k.Up, k.Down, k.Answer, k.Skip, k.Back, k.Unknown, k.Review, k.Done, k.Save, k.Write, k.Help, k.Quit}}
}

// compact reports a screen too small for the side panel beside or below the review and the
// result: they need the room, and the result names the scores.
func (m Model) compact() bool { return m.width < 100 && m.height < 32 }

// footer is what goes below the main text: the prompt or the status, and the help.
func (m Model) footer() string {
	var out []string
	switch {
	case m.prompt != nil && m.prompt.overwrite == "":
		out = append(out, m.prompt.input.View())
		if m.status != "" {
			out = append(out, m.st.status.Render(m.wrapLine(m.status)))
		}
	case m.status != "":
		out = append(out, m.st.status.Render(m.wrapLine(m.status)))
	}
	keys := m.screenKeys()
	if !m.help.ShowAll {
		keys.short = m.fitShort(keys.short)
	}
	out = append(out, m.help.View(keys))
	return strings.Join(out, "\n")
}

// fitShort keeps as many of a screen's short keys as the width holds, dropping from the end
// of the optional ones: ? (all keys) and q (quit) always show.
func (m Model) fitShort(short []key.Binding) []key.Binding {
	var optional, always []key.Binding
	for _, b := range short {
		if b.Help().Key == m.keys.Help.Help().Key || b.Help().Key == m.keys.Quit.Help().Key {
			always = append(always, b)
		} else {
			optional = append(optional, b)
		}
	}
	for n := len(optional); n >= 0; n-- {
		keys := append(append([]key.Binding{}, optional[:n]...), always...)
		wide := help.New()
		if lipgloss.Width(wide.ShortHelpView(keys)) <= m.width-1 {
			return keys
		}
	}
	return always
}

// mainHeight is how many lines the review or the result may take.
func (m Model) mainHeight() int {
	h := m.height - lipgloss.Height(m.footerText())
	if m.width < 100 && (m.screen == screenQuestion || !m.compact()) { // the panel stands below
		h -= lipgloss.Height(m.scores())
	}
	return max(3, h)
}

// wrapLine wraps a status at words to the screen's width.
func (m Model) wrapLine(s string) string { return ansi.Wordwrap(s, max(20, m.width-1), "") }

// wrapped wraps every line of a text at words to the main column's width; a line that wraps
// goes on two columns further in than it began (a hanging indent), so a long reason or a piece
// of evidence reads as one item.
func (m Model) wrapped(text string) []string { return wrapLines(text, m.mainWidth()) }

// Wrap wraps text at words to width columns with the questionnaire's hanging indent: what
// cleave prints on a terminal after the questionnaire ends reads as the screen did.
func Wrap(text string, width int) string {
	if width <= 0 {
		return text
	}
	out := strings.Join(wrapLines(text, width), "\n")
	if strings.HasSuffix(text, "\n") {
		out += "\n"
	}
	return out
}

func wrapLines(text string, w int) []string {
	var out []string
	for _, line := range strings.Split(strings.TrimSuffix(text, "\n"), "\n") {
		if ansi.StringWidth(line) <= w {
			out = append(out, line)
			continue
		}
		plain := ansi.Strip(line)
		indent := min(len(plain)-len(strings.TrimLeft(plain, " "))+2, w/3)
		parts := strings.Split(ansi.Wordwrap(line, w, ""), "\n")
		out = append(out, parts[0])
		rest := strings.TrimLeft(strings.Join(parts[1:], " "), " ")
		for _, p := range strings.Split(ansi.Wordwrap(rest, w-indent, ""), "\n") {
			out = append(out, strings.Repeat(" ", indent)+p)
		}
	}
	return out
}

// mainWidth is the width of the main column.
func (m Model) mainWidth() int {
	if m.width >= 100 {
		return max(20, m.width-lipgloss.Width(m.scores())-2)
	}
	return max(20, m.width-1)
}

// View renders the screen for the window size.
func (m Model) View() string {
	m.frame = &frame{scores: m.viewScores(), footer: m.footer()} // this copy's, for this frame
	var lines []string
	switch m.screen {
	case screenQuestion:
		lines = m.wrapped(m.viewQuestion())
	case screenReview:
		lines = m.viewReview(m.mainHeight())
	case screenResult:
		all := m.wrapped(m.viewResult())
		h := m.mainHeight()
		lines = all[min(m.scroll, len(all)):min(len(all), m.scroll+h)]
		if m.scroll+h < len(all) {
			lines[len(lines)-1] = m.st.faint.Render(fmt.Sprintf("↓ %d more lines (↓, pgdn)", len(all)-m.scroll-h+1))
		}
	}
	main := strings.Join(lines, "\n")
	panel := m.frame.scores
	if m.screen != screenQuestion && m.compact() {
		panel = ""
	}
	body := main
	switch {
	case panel == "":
	case m.width >= 100:
		body = lipgloss.JoinHorizontal(lipgloss.Top, lipgloss.NewStyle().Width(m.mainWidth()).Render(main), "  ", panel)
	default:
		body = lipgloss.JoinVertical(lipgloss.Left, main, panel)
	}
	footer := m.frame.footer
	return fitHeight(body, m.height-lipgloss.Height(footer)) + "\n" + footer
}

// fitHeight keeps text within h lines, dropping lines from its end with a mark.
func fitHeight(s string, h int) string {
	lines := strings.Split(s, "\n")
	if len(lines) <= h {
		return s
	}
	if h <= 0 {
		return ""
	}
	return strings.Join(append(lines[:h-1], "…"), "\n")
}

// header is a screen's first line, cut to the width rather than wrapped.
func (m Model) header(s string) string {
	return ansi.Truncate(s, m.mainWidth(), "…")
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
	b.WriteString(m.header(m.st.title.Render("cleave assess")+"  "+m.progress()) + "\n\n")
	b.WriteString(m.st.prompt.Render(q.Prompt) + "\n\n")
	cur, has := m.s.Answers[q.ID]
	row := func(i int, label string, chosen bool) {
		pointer := "  "
		if i == m.cursor {
			pointer, label = m.st.cursor.Render("> "), m.st.cursor.Render(label)
		}
		mark := " "
		if chosen {
			mark = m.st.chosen.Render("•")
		}
		b.WriteString(pointer + mark + " " + label + "\n")
	}
	for i, o := range q.Options {
		row(i, o.Label, has && fmt.Sprint(cur.Value) == fmt.Sprint(o.Value))
	}
	row(len(q.Options), m.st.faint.Render("unknown: not known yet"), has && cur.Value == rules.Unknown)
	if has {
		switch {
		case cur.Source == "code":
			b.WriteString(m.st.faint.Render("  from the code: "+strings.Join(cur.Evidence, "; ")) + "\n")
		case q.Integer() && cur.Value != rules.Unknown:
			b.WriteString(m.st.faint.Render(fmt.Sprintf("  answered: %v", cur.Value)) + "\n")
		}
	}
	b.WriteString("\n" + m.st.why.Render("Why it matters: "+q.Why) + "\n")
	b.WriteString(m.st.faint.Render("Guide: "+q.Guide) + "\n")
	return b.String()
}

// viewReview lists the questions and their answers, scrolled so that the selected row shows.
func (m Model) viewReview(height int) []string {
	lines := []string{m.header(m.st.title.Render("Review your answers") + "  " + m.st.faint.Render("enter changes one, d shows the result")), ""}
	qs := m.s.Pack.Questions
	rows := max(1, height-len(lines))
	start := 0
	if len(qs) > rows {
		start = max(0, min(m.review-rows/2, len(qs)-rows))
	}
	for i := start; i < min(len(qs), start+rows); i++ {
		q := qs[i]
		v := m.st.faint.Render("unanswered")
		if a, ok := m.s.Answers[q.ID]; ok {
			v = fmt.Sprint(a.Value)
			if a.Source == "code" {
				v += m.st.faint.Render(" (code)")
			}
		}
		pointer, id := "  ", fmt.Sprintf("%-20s", q.ID) // padded before styling, so rows align
		if i == m.review {
			pointer, id = m.st.cursor.Render("> "), m.st.cursor.Render(id)
		}
		lines = append(lines, ansi.Truncate(pointer+id+" "+v, m.mainWidth(), "…"))
	}
	if start > 0 {
		lines[1] = m.st.faint.Render(fmt.Sprintf("  ↑ %d more", start))
	}
	if end := start + rows; end < len(qs) && len(lines) > 2 {
		lines[len(lines)-1] = m.st.faint.Render(fmt.Sprintf("  ↓ %d more", len(qs)-end+1))
	}
	return lines
}

func (m Model) viewResult() string {
	as := m.result
	r := as.Recommendation
	var b strings.Builder
	b.WriteString(m.header(m.st.title.Render("Recommendation: "+r.Architecture)+"  "+m.st.faint.Render(m.confidence())) + "\n")
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
		b.WriteString(fmt.Sprintf("  %+d %s\n", t.Effects[r.Architecture], t.Reason))
	}
	if len(as.Warnings) > 0 {
		b.WriteString("\n" + m.st.warn.Render(fmt.Sprintf("Warning signs (%d)", len(as.Warnings))) + "\n")
		for _, w := range as.Warnings { // titles only: the report (w) carries the mitigations
			b.WriteString(fmt.Sprintf("  %-6s %s\n", strings.ToUpper(w.Severity), w.Title))
		}
	}
	if n := len(as.Risks); n > 0 {
		b.WriteString(fmt.Sprintf("  %s: the report (w) has the improvement plan\n", plural(n, "answer carries a risk", "answers carry a risk")))
	}
	for _, c := range as.Contradictions {
		b.WriteString(m.st.warn.Render("  "+c.Words()) + "\n")
	}
	if unknown := len(as.UnknownSigns()); unknown > 0 {
		b.WriteString(fmt.Sprintf("  %s unknown until their questions are answered\n", plural(unknown, "more warning sign", "more warning signs")))
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

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// answered counts the answers given so far, by the person or the code.
func (m Model) answered() int { return len(m.s.Answers) }

// confidence says how sure the recommendation is; before any answer there is none.
func (m Model) confidence() string {
	if m.answered() == 0 {
		return "confidence: none yet, nothing answered"
	}
	return fmt.Sprintf("confidence %d%%", int(math.Round(m.result.Recommendation.Confidence*100)))
}

// viewScores is the side panel: one bar per architecture on one scale, to the right for a
// positive score and to the left (shaded) for a negative one, moving as answers change. The
// leader is marked only when one architecture leads.
func (m Model) viewScores() string {
	as := m.result
	unit := 1
	top, leaders := math.MinInt, 0
	for _, a := range m.s.Pack.Architectures {
		sc := as.Recommendation.Scores[a]
		unit = max(unit, abs(sc))
		switch {
		case sc > top:
			top, leaders = sc, 1
		case sc == top:
			leaders++
		}
	}
	const w = 12
	conf := m.st.faint.Render(m.confidence())
	var b strings.Builder
	if m.compact() {
		b.WriteString(m.st.prompt.Render("Scores") + "  " + conf + "\n")
	} else {
		b.WriteString(m.st.prompt.Render("Scores") + "\n")
	}
	for _, a := range m.s.Pack.Architectures {
		sc := as.Recommendation.Scores[a]
		n := int(math.Round(float64(abs(sc)) / float64(unit) * w))
		left, right := strings.Repeat(" ", w), ""
		if sc < 0 {
			left = strings.Repeat(" ", w-n) + m.st.barNeg.Render(strings.Repeat("▒", n))
		} else {
			right = m.st.bar.Render(strings.Repeat("█", n))
		}
		name := fmt.Sprintf("%-16s", a)
		if leaders == 1 && sc == top && m.answered() > 0 {
			name = m.st.best.Render(name)
		}
		line := fmt.Sprintf("%s %4d %s│%s", name, sc, left, right)
		b.WriteString(strings.TrimRight(line, " ") + "\n")
	}
	if m.compact() {
		return strings.TrimSuffix(b.String(), "\n")
	}
	b.WriteString(conf)
	return m.st.panel.Render(b.String())
}
