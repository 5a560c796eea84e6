package analyze

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"golang.org/x/mod/modfile"

	"github.com/cleave-dev/cleave/rules"
)

// ErrNoModule is returned when there is no Go module to analyse.
var ErrNoModule = errors.New("no Go module")

// tree is what a walk of the analysed directory finds before any Go tooling runs.
type tree struct {
	root      string   // absolute
	modDirs   []string // relative dirs holding a go.mod, sorted
	workFile  string   // relative path of go.work at the root, if any
	manifests []string // relative paths of build manifests (Dockerfiles, .goreleaser.yaml)
	compose   []string // relative paths of docker-compose files
	// deploy are serverless.yml, SAM templates and Kubernetes manifests.
	deploy []string
	// apiSpecs are OpenAPI, Swagger, AsyncAPI and protobuf files; pactTests are contract tests.
	apiSpecs, pactTests []string
	// sqlc are sqlc configuration files.
	sqlc []string
	// enclosing is set when no go.mod lies under root but one lies above it: its absolute dir.
	enclosing string
}

// skipDir reports whether a directory is never part of the analysis, as go ./... would.
func skipDir(name string) bool {
	switch name {
	case "vendor", "testdata", "node_modules":
		return true
	}
	return strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")
}

// isAPISpec reports whether a file is an API contract: OpenAPI, Swagger, AsyncAPI or protobuf.
func isAPISpec(name string) bool {
	lower := strings.ToLower(name)
	if strings.HasSuffix(lower, ".proto") {
		return true
	}
	for _, pre := range []string{"openapi", "swagger", "asyncapi"} {
		if strings.HasPrefix(lower, pre) && (strings.HasSuffix(lower, ".yaml") || strings.HasSuffix(lower, ".yml") || strings.HasSuffix(lower, ".json")) {
			return true
		}
	}
	return false
}

func isManifest(name string) bool {
	switch {
	case name == "Dockerfile", strings.HasPrefix(name, "Dockerfile."), strings.HasSuffix(name, ".Dockerfile"),
		name == "Containerfile":
		return true
	case name == ".goreleaser.yaml", name == ".goreleaser.yml", name == "goreleaser.yaml", name == "goreleaser.yml":
		return true
	}
	return false
}

// walk finds the go.mod files, go.work and build manifests under root.
func walk(root string, exclude []rules.Glob) (*tree, error) {
	t := &tree{root: root}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == root {
				return err
			}
			return nil // unreadable corners do not stop the analysis
		}
		rel := relSlash(root, p)
		if d.IsDir() {
			if p != root && (skipDir(d.Name()) || excluded(exclude, rel)) {
				return filepath.SkipDir
			}
			return nil
		}
		switch name := d.Name(); {
		case name == "go.mod":
			t.modDirs = append(t.modDirs, relSlash(root, filepath.Dir(p)))
		case name == "go.work" && filepath.Dir(p) == root:
			t.workFile = rel
		case isManifest(name):
			t.manifests = append(t.manifests, rel)
		case isCompose(name):
			t.compose = append(t.compose, rel)
		case isSqlcConfig(name):
			t.sqlc = append(t.sqlc, rel)
		case isAPISpec(name):
			t.apiSpecs = append(t.apiSpecs, rel)
		case strings.HasSuffix(name, "_test.go") && strings.Contains(strings.ToLower(name), "pact"):
			t.pactTests = append(t.pactTests, rel)
		case isServerless(name), isSAM(name):
			t.deploy = append(t.deploy, rel)
		case (strings.HasSuffix(name, ".yaml") || strings.HasSuffix(name, ".yml")) && isK8s(p):
			t.deploy = append(t.deploy, rel)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.Strings(t.modDirs)
	sort.Strings(t.manifests)
	sort.Strings(t.compose)
	sort.Strings(t.deploy)
	if len(t.modDirs) == 0 {
		for dir := filepath.Dir(root); ; dir = filepath.Dir(dir) {
			if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
				t.enclosing = dir
				break
			}
			if dir == filepath.Dir(dir) {
				return nil, ErrNoModule
			}
		}
	}
	return t, nil
}

func excluded(exclude []rules.Glob, rel string) bool {
	for _, g := range exclude {
		if g.Contains(rel) {
			return true
		}
	}
	return false
}

// workspaceDirs returns the module directories that go.work at the root uses, relative to the root.
func workspaceDirs(root, workFile string) ([]string, error) {
	data, err := os.ReadFile(filepath.Join(root, workFile))
	if err != nil {
		return nil, err
	}
	wf, err := modfile.ParseWork(workFile, data, nil)
	if err != nil {
		return nil, err
	}
	var dirs []string
	for _, u := range wf.Use {
		dirs = append(dirs, filepath.ToSlash(filepath.Clean(u.Path)))
	}
	return dirs, nil
}

// forEachFile reads each file the walk found (relative to root) and hands it to fn; a file that
// cannot be read becomes a warning naming it.
func forEachFile(root string, files []string, fn func(rel string, data []byte)) []Warning {
	var warns []Warning
	for _, f := range files {
		data, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(f)))
		if err != nil {
			warns = append(warns, Warning{Subject: f, Message: err.Error()})
			continue
		}
		fn(f, data)
	}
	return warns
}

// relSlash returns target relative to base with '/' separators; "." for base itself.
func relSlash(base, target string) string {
	r, err := filepath.Rel(base, target)
	if err != nil {
		return filepath.ToSlash(target)
	}
	return filepath.ToSlash(r)
}
