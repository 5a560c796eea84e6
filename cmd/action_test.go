//go:build linux

package cmd

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestActionScript runs the GitHub Action's steps (action/run.sh) on a fixture with the binary
// built here in place of a download: annotations on standard output, SARIF written, the lint
// summary and the report in the step summary, lint's exit code kept; and it refuses to run on
// pull_request_target.
func TestActionScript(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("no bash")
	}
	script, err := filepath.Abs(filepath.Join("..", "action", "run.sh"))
	if err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	summary, sarif := filepath.Join(tmp, "summary.md"), filepath.Join(tmp, "cleave.sarif")
	run := func(event string, env ...string) (string, int) {
		cmd := exec.Command("bash", script)
		cmd.Env = append(os.Environ(), "CLEAVE_BIN="+cleaveBinary(t), "CLEAVE_DIR="+filepath.Join(fixtures, "configured"),
			"CLEAVE_SARIF="+sarif, "CLEAVE_REPORT=true", "GITHUB_STEP_SUMMARY="+summary, "GITHUB_EVENT_NAME="+event, "RUNNER_TEMP="+tmp)
		cmd.Env = append(cmd.Env, env...)
		out, err := cmd.CombinedOutput()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		return string(out), code
	}
	out, code := run("pull_request")
	if code != 1 {
		t.Errorf("exit %d, want lint's 1 (the configured fixture has errors)\n%s", code, out)
	}
	if !strings.Contains(out, "::error ") {
		t.Errorf("no annotations:\n%s", out)
	}
	sum, err := os.ReadFile(summary)
	if err != nil || !strings.Contains(string(sum), "## cleave lint") || !strings.Contains(string(sum), "\n# ") {
		t.Errorf("step summary lacks the lint summary or the report (%v):\n%.400s", err, sum)
	}
	var doc struct{ Runs []json.RawMessage }
	if b, err := os.ReadFile(sarif); err != nil || json.Unmarshal(b, &doc) != nil || len(doc.Runs) != 1 {
		t.Errorf("SARIF not written or not valid: %v", err)
	}
	// only-new with a revision: the fixture as committed has the same findings, so none is new.
	if _, err := exec.LookPath("git"); err == nil {
		if err := exec.Command("git", "-C", fixtures, "rev-parse", "HEAD").Run(); err == nil {
			out, code = run("pull_request", "CLEAVE_ONLY_NEW=HEAD")
			if code != 0 || strings.Contains(out, "::error ") {
				t.Errorf("only-new against HEAD: exit %d, want 0 and no annotations\n%s", code, out)
			}
		}
	}
	out, code = run("pull_request_target")
	if code != 2 || !strings.Contains(out, "refusing to run on pull_request_target") {
		t.Errorf("pull_request_target: exit %d\n%s", code, out)
	}
}
