package rules

import "testing"

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
