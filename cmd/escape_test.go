package cmd

import (
	"strings"
	"testing"
)

func TestEscaper(t *testing.T) {
	for in, want := range map[string]string{
		"plain text\n\tindented\n":                       "plain text\n\tindented\n",
		"\x1b[1mbold\x1b[0m and \x1b[38;5;12mblue\x1b[m": "\x1b[1mbold\x1b[0m and \x1b[38;5;12mblue\x1b[m",
		"x/cmd/a\x1b]0;pwned\x07/Dockerfile":             `x/cmd/a\x1b]0;pwned\x07/Dockerfile`,
		"clear\x1b[2J\x1b[H":                             `clear\x1b[2J\x1b[H`,
		"hidden\rshown":                                  `hidden\x0dshown`,
		"abc\u202etxt.go":                                `abc\u202etxt.go`,
		"csi\u009b31m":                                   `csi\u009b31m`,
		"bad \xff byte, del \x7f":                        `bad \xff byte, del \u007f`,
		"naïve café ✓":                                   "naïve café ✓",
	} {
		var b strings.Builder
		n, err := escaping(&b, true).Write([]byte(in))
		if err != nil || n != len(in) {
			t.Errorf("Write(%q) = %d, %v; want %d, nil", in, n, err, len(in))
		}
		if b.String() != want {
			t.Errorf("Write(%q) wrote %q, want %q", in, b.String(), want)
		}
	}
	var b strings.Builder
	escaping(&b, false).Write([]byte("\x1b[1mbold\x1b[0m"))
	if want := `\x1b[1mbold\x1b[0m`; b.String() != want {
		t.Errorf("without colour: %q, want %q", b.String(), want)
	}
}
