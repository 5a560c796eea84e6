// Package system analyses several repositories as one system: the results of the repositories,
// each analysed on its own, merged into one model (names prefixed by repository only where two
// repositories use one, every path qualified by its repository), with the calls that no
// repository could resolve alone matched across them, the tables and databases they share,
// and the findings that only the whole shows.
package system

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"
)

// Spec is a system: its repositories, in the order given.
type Spec struct {
	// Name is the system's name; "" when none is given.
	Name  string
	Repos []RepoSpec
}

// RepoSpec is one repository of a system.
type RepoSpec struct {
	Name string
	// Path is the directory as given, with '/'; Dir is where it lies, absolute.
	Path, Dir string
	// Deployment is set for the repository a system file declares as holding the deployment
	// manifests. A repository with no Go module is read as one too.
	Deployment bool
	// Where says where the repository was named ("system.yaml:4"), for messages.
	Where string
}

// validName matches a repository name: it begins every path of the system's result.
var validName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)

// FromDirs makes a system of the directories given on the command line: each named after
// its directory.
func FromDirs(dirs []string) (*Spec, error) {
	s := &Spec{}
	for i, d := range dirs {
		abs, err := filepath.Abs(d)
		if err != nil {
			return nil, err
		}
		name := filepath.Base(abs)
		if !validName.MatchString(name) {
			name = fmt.Sprintf("repo%d", i+1)
		}
		s.Repos = append(s.Repos, RepoSpec{Name: name, Path: filepath.ToSlash(d), Dir: abs, Where: fmt.Sprintf("argument %d (%s)", i+1, d)})
	}
	return s, s.check("")
}

// ParseSpec reads a system file:
//
//	name: shop
//	repositories:
//	  - path: ../orders
//	  - path: ../inventory
//	    name: stock
//	deployment: ../deploy   # or {path: ../deploy, name: deploy}
//
// Paths are relative to the file's directory. Errors name the file and line.
func ParseSpec(file string, data []byte) (*Spec, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("%s: %s", file, strings.TrimPrefix(err.Error(), "yaml: "))
	}
	if len(doc.Content) == 0 {
		return nil, fmt.Errorf("%s: empty: a system file lists its repositories (repositories: [{path: ../orders}])", file)
	}
	root := doc.Content[0]
	at := func(n *yaml.Node, format string, args ...any) error {
		return fmt.Errorf("%s:%d: %s", file, n.Line, fmt.Sprintf(format, args...))
	}
	if root.Kind != yaml.MappingNode {
		return nil, at(root, "expected a mapping with name, repositories and deployment")
	}
	base := filepath.Dir(file)
	s := &Spec{}
	repo := func(n *yaml.Node, deployment bool) (RepoSpec, error) {
		r := RepoSpec{Deployment: deployment, Where: fmt.Sprintf("%s:%d", file, n.Line)}
		switch n.Kind {
		case yaml.ScalarNode:
			r.Path = n.Value
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				k, v := n.Content[i], n.Content[i+1]
				if v.Kind != yaml.ScalarNode {
					return r, at(v, "%s: expected a string", k.Value)
				}
				switch k.Value {
				case "path":
					r.Path = v.Value
				case "name":
					r.Name = v.Value
				default:
					return r, at(k, "unknown key %q in a repository (expected path and name)", k.Value)
				}
			}
		default:
			return r, at(n, "expected a repository: a path, or a mapping with path and name")
		}
		if strings.TrimSpace(r.Path) == "" {
			return r, at(n, "a repository needs a path")
		}
		r.Path = filepath.ToSlash(r.Path)
		dir := filepath.FromSlash(r.Path)
		if !filepath.IsAbs(dir) {
			dir = filepath.Join(base, dir)
		}
		abs, err := filepath.Abs(dir)
		if err != nil {
			return r, at(n, "%v", err)
		}
		r.Dir = abs
		if r.Name == "" {
			r.Name = filepath.Base(abs)
		}
		if !validName.MatchString(r.Name) {
			return r, at(n, "repository name %q: expected letters, digits, '.', '_' or '-'", r.Name)
		}
		return r, nil
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		switch k.Value {
		case "name":
			if v.Kind != yaml.ScalarNode {
				return nil, at(v, "name: expected a string")
			}
			s.Name = v.Value
		case "repositories":
			if v.Kind != yaml.SequenceNode {
				return nil, at(v, "repositories: expected a list of repositories")
			}
			for _, e := range v.Content {
				r, err := repo(e, false)
				if err != nil {
					return nil, err
				}
				s.Repos = append(s.Repos, r)
			}
		case "deployment":
			r, err := repo(v, true)
			if err != nil {
				return nil, err
			}
			s.Repos = append(s.Repos, r)
		default:
			return nil, at(k, "unknown key %q (expected name, repositories or deployment)", k.Value)
		}
	}
	if len(s.Repos) == 0 {
		return nil, at(root, "no repositories: list them under repositories (- path: ../orders)")
	}
	return s, s.check(file)
}

// check refuses two repositories of one name or one directory, and a directory that is none.
func (s *Spec) check(file string) error {
	names, dirs := map[string]string{}, map[string]string{}
	for _, r := range s.Repos {
		real := r.Dir
		if p, err := filepath.EvalSymlinks(r.Dir); err == nil {
			real = p // one directory reached through a link is listed once
		}
		if w, ok := dirs[real]; ok {
			return fmt.Errorf("%s: %s is listed already, by %s", r.Where, r.Path, w)
		}
		if w, ok := names[r.Name]; ok {
			hint := "give each a name in a system file (--system)"
			if file != "" {
				hint = "give one of them another name"
			}
			return fmt.Errorf("%s: repository name %q is taken by %s: %s", r.Where, r.Name, w, hint)
		}
		names[r.Name], dirs[real] = r.Where, r.Where
		switch fi, err := os.Stat(r.Dir); {
		case err != nil:
			return fmt.Errorf("%s: %s: no such directory", r.Where, r.Path)
		case !fi.IsDir():
			return fmt.Errorf("%s: %s is a file: a repository is a directory", r.Where, r.Path)
		}
	}
	return nil
}
