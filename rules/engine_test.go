package rules

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files")

func loadScenario(t *testing.T, name string) map[string]Answer {
	t.Helper()
	a, err := LoadAnswers(filepath.Join("..", "testdata", "answers", name+".yaml"), DefaultPack())
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// Profiles the guide describes, pinned to their recommendation and warning signs.
func TestScenarios(t *testing.T) {
	cases := []struct {
		scenario   string
		want       string
		notWant    string
		warnings   []string
		complement string
		minConf    float64
		maxConf    float64
	}{
		{scenario: "early-startup", want: "modular-monolith", warnings: nil, minConf: 0.8, maxConf: 1},
		{scenario: "large-organisation", want: "microservices", warnings: nil, minConf: 0.8, maxConf: 1},
		{scenario: "spiky-events", want: "serverless", complement: "", minConf: 0.3, maxConf: 1},
		{scenario: "premature-microservices", want: "modular-monolith",
			warnings: []string{"small-team", "unclear-boundaries", "no-scale-problems", "shared-database", "sync-chains"}, minConf: 0.5, maxConf: 1},
		{scenario: "long-running-streams", notWant: "serverless", warnings: []string{"serverless-long-running", "serverless-streaming", "serverless-cold-starts"}, minConf: 0, maxConf: 1},
		{scenario: "partial", want: "modular-monolith", minConf: 0, maxConf: 0.6},
	}
	pack := DefaultPack()
	for _, c := range cases {
		t.Run(c.scenario, func(t *testing.T) {
			as := pack.Assess(loadScenario(t, c.scenario))
			got := as.Recommendation.Architecture
			if c.want != "" && got != c.want {
				t.Errorf("recommendation %s (scores %v), want %s", got, as.Recommendation.Scores, c.want)
			}
			if c.notWant != "" && got == c.notWant {
				t.Errorf("recommendation %s, which this profile must never get", got)
			}
			var ids []string
			for _, w := range as.Warnings {
				ids = append(ids, w.ID)
			}
			// Exactly the expected warnings fire, no fewer and no more, in every scenario.
			for _, w := range c.warnings {
				if !slices.Contains(ids, w) {
					t.Errorf("warning %s did not fire (fired: %v)", w, ids)
				}
			}
			for _, id := range ids {
				if !slices.Contains(c.warnings, id) {
					t.Errorf("unexpected warning %s (want only %v)", id, c.warnings)
				}
			}
			if conf := as.Recommendation.Confidence; conf < c.minConf || conf > c.maxConf {
				t.Errorf("confidence %.2f outside [%.2f, %.2f]", conf, c.minConf, c.maxConf)
			}
			// The trace explains the scores exactly.
			sum := map[string]int{}
			for _, tr := range as.Trace {
				for a, w := range tr.Effects {
					sum[a] += w
				}
			}
			for _, a := range pack.Architectures {
				if sum[a] != as.Recommendation.Scores[a] {
					t.Errorf("trace sums to %d for %s, score is %d", sum[a], a, as.Recommendation.Scores[a])
				}
			}
			// Every tipping point does flip the recommendation, one answer at a time.
			answers := loadScenario(t, c.scenario)
			for _, tp := range as.TippingPoints {
				q := pack.Question(tp.Question)
				v, err := q.ParseValue(tp.To)
				if err != nil {
					t.Fatal(err)
				}
				trial := map[string]Answer{}
				for k, a := range answers {
					trial[k] = a
				}
				trial[tp.Question] = Answer{Value: v, Source: "answer"}
				if got := pack.Assess(trial).Recommendation.Architecture; got != tp.Recommendation || got == as.Recommendation.Architecture {
					t.Errorf("tipping point %+v gives %s", tp, got)
				}
			}
			data, _ := json.MarshalIndent(as, "", "  ")
			golden := filepath.Join("..", "testdata", "golden", "assess-"+c.scenario+".json")
			if *update {
				if err := os.WriteFile(golden, append(data, '\n'), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (go test ./rules -update)", err)
			}
			if string(want) != string(data)+"\n" {
				t.Errorf("assessment differs from %s; run go test ./rules -update and review the diff", golden)
			}
		})
	}
}

func TestAnswersErrors(t *testing.T) {
	pack := DefaultPack()
	for src, want := range map[string]string{
		"version: 1\nanswers:\n  team_size: many\n": "3:14: team_size: expected a whole number or unknown",
		"version: 1\nanswers:\n  teamsize: 3\n":     `3:3: unknown question "teamsize"`,
		"version: 1\nanswers:\n  traffic: bursty\n": "3:12: traffic: expected one of steady, variable, spiky, idle or unknown",
		"answers: {}\n":                            "missing `version: 1`",
		"version: 1\nanswer: {}\n":                 `2:1: unknown key "answer"`,
		"version: 1\nanswers:\n  team_size: [1]\n": "3:14: expected an answer",
		"version: 1\nanswers:\n  team_size: 3\n---\nversion: 1\nanswers:\n  team_size: 40\n": "4:1: a second YAML document starts here",
	} {
		_, err := ParseAnswers("a.yaml", []byte(src), pack)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseAnswers(%q) = %v, want %q", src, err, want)
		}
	}
}

func TestAnswersRoundTrip(t *testing.T) {
	pack := DefaultPack()
	in := loadScenario(t, "premature-microservices")
	in["shared_database"] = Answer{Value: "yes", Source: "code", Evidence: []string{"2 tables shared"}}
	out, err := ParseAnswers("rt.yaml", FormatAnswers(pack, in), pack)
	if err != nil {
		t.Fatalf("%v\n%s", err, FormatAnswers(pack, in))
	}
	for id, a := range in {
		if out[id].Value != a.Value {
			t.Errorf("%s: %v became %v", id, a.Value, out[id].Value)
		}
	}
}

func FuzzParseAnswers(f *testing.F) {
	f.Add([]byte("version: 1\nanswers:\n  team_size: 12\n  domain_clarity: emerging\n"))
	f.Add([]byte("version: 1\nanswers:\n  traffic: unknown\n"))
	pack := DefaultPack()
	f.Fuzz(func(t *testing.T, data []byte) {
		answers, err := ParseAnswers("f.yaml", data, pack)
		if err != nil {
			return
		}
		for id, a := range answers {
			if pack.Question(id) == nil {
				t.Fatalf("accepted unknown question %q", id)
			}
			pack.Assess(answers) // must not panic
			_ = a
		}
	})
}
