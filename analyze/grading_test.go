package analyze

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/cleave-dev/cleave/rules"
)

// TestConfigGradesOnly is the regression test for the configuration changing what the code is:
// switching any rule off, or changing its severity, changes the findings and nothing else. The
// architecture, the signals and the answers the code gives the assessment stay byte-identical.
func TestConfigGradesOnly(t *testing.T) {
	for _, fixture := range []string{"sharedb", "distmono", "tangled", "configured", "daoshared"} {
		t.Run(fixture, func(t *testing.T) {
			t.Parallel()
			dir := filepath.Join("..", "testdata", "fixtures", fixture)
			load := func() *rules.Config {
				cfg, err := rules.LoadConfig(filepath.Join(dir, rules.ConfigFile))
				if rules.IsNotExist(err) {
					return &rules.Config{Rules: map[string]rules.RuleSetting{}}
				}
				if err != nil {
					t.Fatal(err)
				}
				if cfg.Rules == nil {
					cfg.Rules = map[string]rules.RuleSetting{}
				}
				return cfg
			}
			want := codeView(t, dir, load())
			for _, r := range rules.All() {
				for _, setting := range []rules.RuleSetting{{Off: true}, {Severity: rules.Info}} {
					cfg := load()
					cfg.Rules[r.ID] = setting
					if got := codeView(t, dir, cfg); !bytes.Equal(got, want) {
						t.Errorf("%s set to %+v changed what the code is:\n got %s\nwant %s", r.ID, setting, got, want)
					}
				}
			}
		})
	}
}

// codeView is what the code is, apart from the findings: architecture, signals, code answers.
func codeView(t *testing.T, dir string, cfg *rules.Config) []byte {
	t.Helper()
	res, err := Run(context.Background(), Options{Dir: dir, Config: cfg, Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(map[string]any{"architecture": res.Architecture, "signals": res.Signals, "answers": res.CodeAnswers()})
	if err != nil {
		t.Fatal(err)
	}
	return b
}
