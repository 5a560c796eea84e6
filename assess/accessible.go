package assess

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/cleave-dev/cleave/rules"
)

// Accessible asks the questions one line at a time, for screen readers and dumb terminals.
// Each answer is an option's number or value, "?" for unknown, "b" to go back; an empty line
// keeps the answer given ahead. It returns when every question has been asked or input ends.
func Accessible(in io.Reader, out io.Writer, s *Session) error {
	sc := bufio.NewScanner(in)
	qs := s.Pack.Questions
	for i := 0; i < len(qs); {
		q := qs[i]
		fmt.Fprintf(out, "\nQuestion %d of %d: %s\n", i+1, len(qs), q.Prompt)
		fmt.Fprintf(out, "Why it matters: %s (guide: %s)\n", q.Why, q.Guide)
		if q.Integer() {
			var bands []string
			for _, o := range q.Options {
				bands = append(bands, o.Label)
			}
			fmt.Fprintf(out, "  A number (%s).\n", strings.Join(bands, ", "))
		} else {
			for j, o := range q.Options {
				fmt.Fprintf(out, "  %d. %s\n", j+1, o.Label)
			}
		}
		cur, has := s.Answers[q.ID]
		if has {
			src := ""
			if cur.Source == "code" {
				src = ", from the code: " + strings.Join(cur.Evidence, "; ")
			}
			fmt.Fprintf(out, "Current answer: %v%s. Press enter to keep it.\n", cur.Value, src)
		}
		if q.Integer() {
			fmt.Fprint(out, "Answer (a number, ? for unknown, b for back): ")
		} else {
			fmt.Fprint(out, "Answer (option number, ? for unknown, b for back): ")
		}
		if !sc.Scan() {
			fmt.Fprintln(out)
			return sc.Err()
		}
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "" && has:
			i++
		case line == "":
			fmt.Fprintln(out, "Please choose an option, or ? if you do not know.")
		case line == "b" || line == "back":
			i = max(0, i-1)
		case line == "?":
			s.Answers[q.ID] = rules.Answer{Value: rules.Unknown, Source: "answer"}
			i++
		default:
			raw := line
			if n, err := strconv.Atoi(line); err == nil && n >= 1 && n <= len(q.Options) && !q.Integer() {
				raw = fmt.Sprint(q.Options[n-1].Value)
			}
			if err := s.Set(q.ID, raw); err != nil {
				fmt.Fprintf(out, "%v\n", err)
				continue
			}
			i++
		}
	}
	return nil
}
