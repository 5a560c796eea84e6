package cmd

import (
	"fmt"
	"io"
	"unicode/utf8"
)

// escaper writes what cleave prints with the control characters that came from the analysed
// repository made visible: a file or service named with an escape sequence must not retitle
// the terminal, move its cursor, hide a line behind a carriage return or reverse the text
// (bidirectional overrides). Newlines and tabs pass. Where cleave may colour its output (a
// terminal), colour sequences (ESC [ digits ; m) pass too; elsewhere they are escaped like
// every other control character, as \x1b or \u202e (DEL and above as \u, which keeps JSON
// valid: encoding/json leaves them raw, and \u007f means the same character there). The
// questionnaire draws the screen itself and writes to the terminal directly.
type escaper struct {
	w     io.Writer
	color *bool // colour sequences pass; settled once the flags are read (--color)
}

func escaping(w io.Writer, color bool) io.Writer { return escapingWith(w, &color) }

// escapingWith is escaping with a colour switch that may change until the output starts.
func escapingWith(w io.Writer, color *bool) io.Writer {
	if _, ok := w.(*escaper); ok || w == nil {
		return w
	}
	return &escaper{w, color}
}

func (e *escaper) Write(p []byte) (int, error) {
	clean := true
	for i := 0; i < len(p); {
		r, n := utf8.DecodeRune(p[i:])
		if l := sgrLen(p[i:]); r == 0x1b && l > 0 && *e.color {
			i += l
			continue
		}
		if unsafeRune(r, n) {
			clean = false
			break
		}
		i += n
	}
	if clean {
		return e.w.Write(p)
	}
	out := make([]byte, 0, len(p)+16)
	for i := 0; i < len(p); {
		r, n := utf8.DecodeRune(p[i:])
		if l := sgrLen(p[i:]); r == 0x1b && l > 0 && *e.color {
			out = append(out, p[i:i+l]...)
			i += l
			continue
		}
		switch {
		case r == utf8.RuneError && n == 1:
			out = fmt.Appendf(out, `\x%02x`, p[i])
		case unsafeRune(r, n) && r < 0x7f:
			out = fmt.Appendf(out, `\x%02x`, r)
		case unsafeRune(r, n):
			out = fmt.Appendf(out, `\u%04x`, r)
		default:
			out = append(out, p[i:i+n]...)
		}
		i += n
	}
	if _, err := e.w.Write(out); err != nil {
		return 0, err
	}
	return len(p), nil
}

// unsafeRune reports whether a rune may act on a terminal rather than show on it.
func unsafeRune(r rune, n int) bool {
	switch {
	case r == '\n' || r == '\t':
		return false
	case r < 0x20 || r == 0x7f, r >= 0x80 && r <= 0x9f:
		return true
	case r == utf8.RuneError && n == 1:
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x200e || r == 0x200f, r == 0x061c:
		return true
	}
	return false
}

// sgrLen is the length of a colour sequence at the start of p (ESC [ digits and ; then m), or 0.
func sgrLen(p []byte) int {
	if len(p) < 3 || p[0] != 0x1b || p[1] != '[' {
		return 0
	}
	for i := 2; i < len(p) && i < 64; i++ {
		switch c := p[i]; {
		case c == 'm':
			return i + 1
		case c >= '0' && c <= '9' || c == ';':
		default:
			return 0
		}
	}
	return 0
}
