package rules

import (
	"strings"
	"testing"
)

func TestSuggest(t *testing.T) {
	rules := RuleIDs()
	pack, err := LoadPack("")
	if err != nil {
		t.Fatal(err)
	}
	questions := pack.QuestionIDs()
	for _, c := range []struct {
		word       string
		candidates []string
		want       string
	}{
		{"boundary/privat-import", rules, "boundary/private-import"},
		{"module-cycle", rules, "boundary/module-cycle"},
		{"db/shared-tables", rules, "db/shared-table"},
		{"DB/Shared-DSN", rules, "db/shared-dsn"},
		{"teamsize", questions, "team_size"},
		{"team-size", questions, "team_size"},
		{"ops_maturty", questions, "ops_maturity"},
		{"colour", questions, ""},
		{"x", rules, ""},
		{"", rules, ""},
	} {
		if got := Suggest(c.word, c.candidates); got != c.want {
			t.Errorf("Suggest(%q) = %q, want %q", c.word, got, c.want)
		}
	}
}

func TestEditDistance(t *testing.T) {
	for _, c := range []struct {
		a, b string
		d    int
	}{{"", "", 0}, {"a", "", 1}, {"kitten", "sitting", 3}, {"équipe", "equipe", 1}, {"abc", "abc", 0}} {
		if got := editDistance(c.a, c.b); got != c.d {
			t.Errorf("editDistance(%q, %q) = %d, want %d", c.a, c.b, got, c.d)
		}
	}
}

// An integer answer is written as a number and reads back as one.
func TestFormatAnswersIntegers(t *testing.T) {
	pack, err := LoadPack("")
	if err != nil {
		t.Fatal(err)
	}
	out := FormatAnswers(pack, map[string]Answer{"team_size": {Value: 12}, "teams": {Value: Unknown}, "domain_clarity": {Value: "clear"}})
	for _, want := range []string{"\n  team_size: 12\n", "\n  teams: unknown\n", "\n  domain_clarity: clear\n"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("no %q in\n%s", want, out)
		}
	}
	back, err := ParseAnswers("answers.yaml", out, pack)
	if err != nil || back["team_size"].Value != 12 {
		t.Errorf("read back: %v, %v", back["team_size"].Value, err)
	}
}
