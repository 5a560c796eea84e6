package load

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"golang.org/x/mod/modfile"

	"github.com/cleave-dev/cleave/analyze/manifests"
	"github.com/cleave-dev/cleave/analyze/model"
	"github.com/cleave-dev/cleave/internal/safefs"
	"github.com/cleave-dev/cleave/rules"
)

// ErrNoModule is returned when there is no Go module to analyse.
var ErrNoModule = errors.New("no Go module")

// Tree is what a walk of the analysed directory finds before any Go tooling runs.
type Tree struct {
	root      string   // absolute
	ModDirs   []string // relative dirs holding a go.mod, sorted
	workFile  string   // relative path of go.work at the root, if any
	Manifests []string // relative paths of build manifests (Dockerfiles, .goreleaser.yaml)
	Compose   []string // relative paths of docker-compose files
	// deploy are serverless.yml, SAM templates and Kubernetes manifests.
	Deploy []string
	// apiSpecs are OpenAPI, Swagger, AsyncAPI and protobuf files; pactTests are contract tests.
	ApiSpecs, PactTests []string
	// sqlc are sqlc configuration files; SQLFiles every .sql file.
	Sqlc, SQLFiles []string
	// enclosing is set when no go.mod lies under root but one lies above it: its absolute dir.
	enclosing string
	// GoFiles are the regular .go files the go command may list, relative to root.
	GoFiles []string
	// listedOnly are the .go files of directories cleave does not analyse but the go command
	// lists (excluded ones), each with its size and time of change, for the listing cache.
	listedOnly []string
	// hidden are the absolute paths of .go files that are not regular files inside root (a
	// FIFO, a device, a link leading out): the go command must never open them.
	hidden []string
	// Warnings name the files the walk will not let anything read.
	Warnings []model.Warning
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

func isYAML(name string) bool {
	return strings.HasSuffix(name, ".yaml") || strings.HasSuffix(name, ".yml")
}

// interesting reports whether a file is one the analysis may read: Go source, a module or
// workspace file, a build or deployment manifest, an API spec, a sqlc config.
func interesting(name string) bool {
	return strings.HasSuffix(name, ".go") || name == "go.mod" || name == "go.work" || isManifest(name) ||
		manifests.IsMakefile(name) || manifests.IsCompose(name) || manifests.IsSqlcConfig(name) || isAPISpec(name) ||
		isYAML(name) || strings.HasSuffix(name, ".json") || strings.HasSuffix(name, ".sql")
}

func isManifest(name string) bool {
	lower := strings.ToLower(name) // dockerfile.metrics, Dockerfile.prod, api.Dockerfile
	switch {
	case lower == "dockerfile", strings.HasPrefix(lower, "dockerfile."), strings.HasSuffix(lower, ".dockerfile"),
		lower == "containerfile":
		return true
	case name == ".goreleaser.yaml", name == ".goreleaser.yml", name == "goreleaser.yaml", name == "goreleaser.yml":
		return true
	}
	return false
}

// Walk finds the go.mod files, go.work and build manifests under root. With no go.mod under
// root or above it, it returns ErrNoModule with what it found.
func Walk(root string, exclude []rules.Glob) (*Tree, error) {
	t := &Tree{root: root}
	r, err := safefs.OpenRoot(root)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	var goOnly []string // directories below which only .go files are looked at
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == root {
				return err
			}
			return nil // unreadable corners do not stop the analysis
		}
		rel := model.RelSlash(root, p)
		if d.IsDir() {
			switch {
			case p == root:
			case strings.HasPrefix(d.Name(), ".") || strings.HasPrefix(d.Name(), "_") || d.Name() == "testdata" || d.Name() == "vendor":
				return filepath.SkipDir // the go command's ./... skips them too
			case skipDir(d.Name()) || Excluded(exclude, rel):
				// Not analysed, but go list ./... still enters it: its .go files are checked.
				goOnly = append(goOnly, rel+"/")
			}
			return nil
		}
		name := d.Name()
		if len(goOnly) > 0 && slices.ContainsFunc(goOnly, func(pre string) bool { return strings.HasPrefix(rel, pre) }) {
			if d.Type() != 0 && strings.HasSuffix(name, ".go") && r.Check(rel, -1) != nil {
				t.hidden = append(t.hidden, p)
			} else if strings.HasSuffix(name, ".go") {
				if fi, err := d.Info(); err == nil {
					t.listedOnly = append(t.listedOnly, fmt.Sprintf("%s %d %d", rel, fi.Size(), fi.ModTime().UnixNano()))
				}
			}
			return nil
		}
		if d.Type() != 0 && interesting(name) { // not a plain regular file: a link, a pipe, a device
			if err := r.Check(rel, -1); err != nil {
				if strings.HasSuffix(name, ".go") {
					t.hidden = append(t.hidden, p)
				}
				if safefs.Skipped(err) {
					t.Warnings = append(t.Warnings, model.Warning{Subject: rel, Message: safefs.Reason(err)})
				}
				return nil
			}
		}
		if strings.HasSuffix(name, ".go") {
			t.GoFiles = append(t.GoFiles, rel)
		}
		switch {
		case name == "go.mod":
			t.ModDirs = append(t.ModDirs, model.RelSlash(root, filepath.Dir(p)))
		case name == "go.work" && filepath.Dir(p) == root:
			t.workFile = rel
		case isManifest(name) || manifests.IsMakefile(name):
			if !model.InToolDir(rel) { // a Dockerfile of the tests builds nothing that ships
				t.Manifests = append(t.Manifests, rel)
			}
		case manifests.IsCompose(name):
			t.Compose = append(t.Compose, rel)
		case manifests.IsSqlcConfig(name):
			t.Sqlc = append(t.Sqlc, rel)
		case strings.HasSuffix(name, ".sql"):
			t.SQLFiles = append(t.SQLFiles, rel)
		case isAPISpec(name):
			t.ApiSpecs = append(t.ApiSpecs, rel)
		case strings.HasSuffix(name, "_test.go") && strings.Contains(strings.ToLower(name), "pact"):
			t.PactTests = append(t.PactTests, rel)
		case model.InToolDir(path.Dir(rel)):
			// Deployment manifests of tests and examples say nothing of what ships.
		case manifests.IsServerless(name), manifests.IsSAM(name):
			t.Deploy = append(t.Deploy, rel)
		case isYAML(name) && manifests.IsK8s(r, rel):
			t.Deploy = append(t.Deploy, rel)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.Strings(t.ModDirs)
	sort.Strings(t.Manifests)
	sort.Strings(t.Compose)
	sort.Strings(t.Deploy)
	if len(t.ModDirs) == 0 {
		for dir := filepath.Dir(root); ; dir = filepath.Dir(dir) {
			if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
				t.enclosing = dir
				break
			}
			if dir == filepath.Dir(dir) {
				return t, ErrNoModule // the manifests found stand: a system's deployment repository
			}
		}
	}
	return t, nil
}

func Excluded(exclude []rules.Glob, rel string) bool {
	for _, g := range exclude {
		if g.Contains(rel) {
			return true
		}
	}
	return false
}

// workspaceDirs returns the module directories that go.work at the root uses, relative to the root.
func workspaceDirs(root, workFile string) ([]string, error) {
	data, err := safefs.ReadIn(root, workFile, safefs.GoMod)
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
