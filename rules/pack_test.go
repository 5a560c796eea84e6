package rules

import (
	"strings"
	"testing"
)

func TestDefaultPackLoads(t *testing.T) {
	p, err := LoadPack("")
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Questions) < len(ContractQuestions) || len(p.Rules) < 30 || len(p.Warnings) < 5 {
		t.Errorf("pack: %d questions, %d rules, %d warnings", len(p.Questions), len(p.Rules), len(p.Warnings))
	}
	for _, r := range p.Rules {
		if len(r.Reads()) == 0 {
			t.Errorf("rule %s reads no question", r.ID)
		}
	}
}

func TestPackErrors(t *testing.T) {
	base := string(defaultPack)
	cases := []struct{ name, from, to, want string }{
		{"bad expression", `when: "team_size < 10"`, `when: "team_size < "`, "rule team-very-small: condition"},
		{"bad risk", `risk: high, improve: "Give every table`, `risk: severe, improve: "Give every table`, `question shared_database, option yes: risk must be high or medium`},
		{"risk without improve", `risk: high, improve: "Give every table one owner (tables in .cleave.yaml, db/shared-table) and let the other services use its API or its events."`, `risk: high`, "a risk needs `improve`"},
		{"bad riskWhen", `riskWhen: "serverless_in_play", improve: "Keep work`, `riskWhen: "serverless_in_ply", improve: "Keep work`, "question long_running, option yes: condition"},
		{"type error", `when: "team_size < 10"`, `when: "team_size == 'ten'"`, "rule team-very-small: condition"},
		{"unknown question", `when: "team_size < 10"`, `when: "team_sise < 10"`, "rule team-very-small: condition"},
		{"unknown architecture", `effects: {monolith: 2, modular-monolith: 3, microservices: -4, serverless: 2}`, `effects: {monolit: 2}`, `unknown architecture "monolit"`},
		{"weight out of range", `effects: {monolith: 2, modular-monolith: 3, microservices: -4, serverless: 2}`, `effects: {monolith: 9}`, "outside -5..5"},
		{"unknown key", "    why: Distribution costs people.", "    wy: Distribution costs people.", `unknown key "wy"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			src := strings.Replace(base, c.from, c.to, 1)
			if src == base {
				t.Fatalf("replacement %q not found", c.from)
			}
			_, err := ParsePack("pack.yaml", []byte(src))
			if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "pack.yaml:") {
				t.Fatalf("err = %v, want %q with a position", err, c.want)
			}
		})
	}
}
