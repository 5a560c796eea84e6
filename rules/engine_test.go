package rules

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strconv"
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

// answers builds answers from id=value pairs, integers as integers.
func answersOf(t *testing.T, pairs ...string) map[string]Answer {
	t.Helper()
	out := map[string]Answer{}
	for _, p := range pairs {
		id, v, _ := strings.Cut(p, "=")
		var val any = v
		if n, err := strconv.Atoi(v); err == nil {
			val = n
		}
		out[id] = Answer{Value: val, Source: "answer"}
	}
	return out
}

// TestSignsWithoutHeading: a team whose services share tables and chain their calls already
// has services, though it never said where it is heading; the signs of premature
// microservices apply to it.
func TestSignsWithoutHeading(t *testing.T) {
	as := DefaultPack().Assess(answersOf(t, "team_size=12", "shared_database=yes", "sync_chains=yes"))
	for _, id := range []string{"small-team", "shared-database", "sync-chains"} {
		if got := as.Sign(id); got != SignPresent {
			t.Errorf("sign %s is %q, want present (recommendation %s)", id, got, as.Recommendation.Architecture)
		}
	}
}

// TestUnknownSigns: a sign that an unanswered question could make present is unknown, one no
// answer could is absent, and one that holds is present.
func TestUnknownSigns(t *testing.T) {
	pack := DefaultPack()
	as := pack.Assess(answersOf(t, "heading=microservices"))
	if got := as.Sign("small-team"); got != SignUnknown {
		t.Errorf("small-team with no team size: %q, want unknown", got)
	}
	as = pack.Assess(answersOf(t, "heading=microservices", "team_size=200"))
	if got := as.Sign("small-team"); got != SignAbsent {
		t.Errorf("small-team with 200 engineers: %q, want absent", got)
	}
	as = pack.Assess(answersOf(t, "heading=microservices", "team_size=8"))
	if got := as.Sign("small-team"); got != SignPresent {
		t.Errorf("small-team with 8 engineers: %q, want present", got)
	}
	// No services and no plan for them, everything else answered: absent, not unknown.
	as = pack.Assess(answersOf(t, "heading=monolith", "existing=monolith", "shared_database=no", "sync_chains=no", "team_size=8"))
	if got := as.Sign("small-team"); got != SignAbsent {
		t.Errorf("small-team for a monolith that stays one: %q, want absent", got)
	}
	if len(as.Signs) != len(pack.Warnings) {
		t.Errorf("%d signs listed, want every one of the pack's %d", len(as.Signs), len(pack.Warnings))
	}
}

// TestReasonsInWords: the trace says why in a sentence; the expression stays beside it.
func TestReasonsInWords(t *testing.T) {
	as := DefaultPack().Assess(answersOf(t, "team_size=18"))
	for _, tr := range as.Trace {
		if tr.Rule == "team-small" {
			if want := "Under thirty engineers the overhead of many services rarely pays off (team_size is 18)."; tr.Reason != want {
				t.Errorf("reason %q, want %q", tr.Reason, want)
			}
			if !strings.Contains(tr.Because, "team_size >= 10") {
				t.Errorf("because %q lost the expression", tr.Because)
			}
			return
		}
	}
	t.Fatalf("team-small did not fire: %+v", as.Trace)
}

// TestTippingCombinations: a verdict no single answer changes gets the smallest combination
// that does, and each unanswered question says whether answering it could.
func TestTippingCombinations(t *testing.T) {
	pack := DefaultPack()
	as := pack.Assess(loadScenario(t, "large-organisation"))
	if len(as.TippingPoints) > 0 {
		t.Skipf("a single answer tips this scenario: %+v", as.TippingPoints)
	}
	if len(as.TippingCombinations) == 0 {
		t.Fatalf("no combination found for %s", as.Recommendation.Architecture)
	}
	for _, c := range as.TippingCombinations {
		trial := loadScenario(t, "large-organisation")
		for _, ch := range c.Changes {
			q := pack.Question(ch.Question)
			var v any = ch.To
			if q.Integer() {
				v, _ = strconv.Atoi(ch.To)
			}
			trial[ch.Question] = Answer{Value: v, Source: "answer"}
		}
		if got := pack.Assess(trial).Recommendation.Architecture; got != c.Recommendation || got == as.Recommendation.Architecture {
			t.Errorf("combination %+v gives %s, claimed %s (was %s)", c.Changes, got, c.Recommendation, as.Recommendation.Architecture)
		}
		if len(c.Changes) < 2 {
			t.Errorf("a combination of one change: %+v", c)
		}
	}
	partial := pack.Assess(loadScenario(t, "partial"))
	if len(partial.UnansweredImpact) == 0 {
		t.Fatalf("partial answers leave questions open, yet no impact is listed")
	}
	for _, u := range partial.UnansweredImpact {
		tips := slices.ContainsFunc(partial.TippingPoints, func(tp TippingPoint) bool { return tp.Question == u.Question })
		if u.CouldChange != tips {
			t.Errorf("%s: couldChange %v, but a tipping point exists: %v", u.Question, u.CouldChange, tips)
		}
	}
}

// TestRisks: an answer carries its risk where its condition holds, high first, with what to do.
func TestRisks(t *testing.T) {
	pack := DefaultPack()
	as := pack.Assess(answersOf(t, "ops_maturity=low", "domain_clarity=unclear", "heading=microservices", "shared_database=yes"))
	var got []string
	for _, r := range as.Risks {
		got = append(got, r.Question+"="+r.Answer+":"+r.Risk)
		if r.Improve == "" || r.Source == "" {
			t.Errorf("risk %+v has no plan or no guide section", r)
		}
	}
	want := []string{"ops_maturity=low:high", "shared_database=yes:high", "domain_clarity=unclear:medium"}
	if !slices.Equal(got, want) {
		t.Errorf("risks %v, want %v", got, want)
	}
	// Low operations maturity for a monolith that stays one is no high risk of distribution.
	as = pack.Assess(answersOf(t, "ops_maturity=low", "heading=monolith", "existing=monolith", "team_size=3"))
	for _, r := range as.Risks {
		if r.Question == "ops_maturity" {
			t.Errorf("ops_maturity=low is a risk for a monolith that stays one: %+v", r)
		}
	}
}
