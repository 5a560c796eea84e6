package cmd

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// gitRun runs git in dir for a test, with an identity of its own.
func gitRun(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", append([]string{"-c", "user.name=cleave", "-c", "user.email=cleave@example.com", "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false"}, args...)...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
	return strings.TrimSpace(string(out))
}

// treeState lists every entry of a tree with its size and mode, to tell that nothing changed.
func treeState(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	err := filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if rel == ".git" {
			return filepath.SkipDir // git's own bookkeeping (git status refreshes the index)
		}
		b.WriteString(rel + " " + fi.Mode().String() + " " + fi.ModTime().String() + "\n")
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestNewFromRev: lint --new-from-rev reports and fails only on the findings a change brings,
// reading the old tree from git without touching the checkout.
func TestNewFromRev(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git")
	}
	repo := copyTree(t, filepath.Join(fixtures, "tangled"))
	invoice := filepath.Join(repo, "internal", "billing", "invoice", "invoice.go")
	now, err := os.ReadFile(invoice)
	if err != nil {
		t.Fatal(err)
	}
	// At the first commit, billing reaches into orders only; the change adds shipping.
	before := strings.Replace(string(now), "\t\"example.com/tangled/internal/shipping/label\"\n", "", 1)
	before = strings.Replace(before, "label.For(order) + status", "status", 1)
	write(t, invoice, before)
	gitRun(t, repo, "init", "-q")
	gitRun(t, repo, "add", "-A")
	gitRun(t, repo, "commit", "-q", "-m", "first")
	gitRun(t, repo, "checkout", "-q", "-b", "feature")
	write(t, invoice, string(now))
	gitRun(t, repo, "commit", "-q", "-am", "billing labels parcels")
	write(t, filepath.Join(repo, "untracked.txt"), "left alone\n")

	all, _, code := run(t, "lint", "--fail-on", "warning", repo)
	if code != 1 || strings.Count(all, "\n") != 4 {
		t.Fatalf("the whole tree: exit %d, %q", code, all)
	}
	state := treeState(t, repo)
	status := gitRun(t, repo, "status", "--porcelain")
	for _, args := range [][]string{
		{"lint", "--fail-on", "warning", "--new-from-rev", "HEAD~1", repo},
		{"lint", "--fail-on", "warning", "--new-from-merge-base", "main", repo},
	} {
		out, stderr, code := run(t, args...)
		if code != 1 {
			t.Fatalf("%v: exit %d\n%s%s", args[3], code, out, stderr)
		}
		lines := strings.Split(strings.TrimSpace(out), "\n")
		if len(lines) != 2 || !strings.Contains(out, "shipping") || strings.Contains(out, "orders/repo") {
			t.Errorf("%v: want the 2 findings on shipping alone:\n%s", args[3], out)
		}
		if !strings.Contains(stderr, "2 findings new since") || !strings.Contains(stderr, "(4 in all)") {
			t.Errorf("%v: stderr %q", args[3], stderr)
		}
	}
	if treeState(t, repo) != state || gitRun(t, repo, "status", "--porcelain") != status {
		t.Errorf("the checkout changed")
	}
	// DIR a package directory of a module whose go.mod lies at the root: the old tree brings
	// the module files above DIR with it.
	sub := filepath.Join(repo, "internal")
	out, stderr, code := run(t, "lint", "--fail-on", "warning", "--new-from-rev", "HEAD~1", sub)
	if code != 1 || strings.Count(strings.TrimSpace(out), "\n") != 1 || !strings.Contains(out, "shipping") || !strings.Contains(stderr, "2 findings new since HEAD~1") {
		t.Errorf("DIR below the module's root: exit %d\n%s%s", code, out, stderr)
	}
	// Nothing new: exit 0, although the tree has findings.
	if out, _, code := run(t, "lint", "--fail-on", "warning", "--new-from-rev", "HEAD", repo); code != 0 || out != "" {
		t.Errorf("against HEAD itself: exit %d, %q", code, out)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"lint", "--new-from-rev", "nosuchrev", repo}, `--new-from-rev: "nosuchrev" is no commit of the repository`},
		{[]string{"lint", "--new-from-rev", "--upload-pack=x", repo}, `is no revision`},
		{[]string{"lint", "--new-from-rev", "HEAD", t.TempDir()}, `is not in a git repository`},
		{[]string{"lint", "--new-from-rev", "HEAD", "--new-from-merge-base", "main", repo}, `none of the others can be`},
	} {
		if _, stderr, code := run(t, c.args...); code != 2 || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d, %q; want %q", c.args, code, stderr, c.want)
		}
	}
}

// A revision from before the code was a Go module has no findings: every finding is new.
func TestNewFromRevBeforeGo(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git")
	}
	repo := copyTree(t, filepath.Join(fixtures, "tangled"))
	gitRun(t, repo, "init", "-q")
	write(t, filepath.Join(repo, "NOTES"), "plans\n")
	gitRun(t, repo, "add", "NOTES")
	gitRun(t, repo, "commit", "-q", "-m", "plans")
	gitRun(t, repo, "add", "-A")
	gitRun(t, repo, "commit", "-q", "-m", "the code")
	out, stderr, code := run(t, "lint", "--fail-on", "warning", "--new-from-rev", "HEAD~1", repo)
	if code != 1 || strings.Count(out, "\n") != 4 || !strings.Contains(stderr, "holds no Go module at HEAD~1: every finding is new") {
		t.Errorf("exit %d\n%s%s", code, out, stderr)
	}
}
