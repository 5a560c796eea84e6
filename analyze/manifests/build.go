package manifests

import (
	"bufio"
	"bytes"
	"path"
	"slices"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/cleave-dev/cleave/analyze/astutil"
	"github.com/cleave-dev/cleave/analyze/model"
)

// Shipping is what the repository's build manifests say about which main packages ship.
type Shipping struct {
	named map[string][]string // main package dir -> manifests that build it
	// byManifest is the other way round: manifest -> main package dirs it builds.
	byManifest map[string][]string
	// open is set when a manifest builds something cleave cannot pin to a main package
	// (a pattern, a template): then no main is called a tool for being left out.
	open bool
}

func (s *Shipping) Names(dir string) bool { return len(s.named[dir]) > 0 }

// Known reports whether the manifests give the full list of what ships.
func (s *Shipping) Known() bool { return len(s.named) > 0 && !s.open }

// By says what builds or runs a main package: "built by Dockerfile", "k8s/orders.yaml runs Deployment orders".
func (s *Shipping) By(dir string) string {
	var parts []string
	for _, m := range s.named[dir] {
		if strings.Contains(m, " ") {
			parts = append(parts, m)
		} else {
			parts = append(parts, "built by "+m)
		}
	}
	return strings.Join(parts, "; ")
}

func (s *Shipping) Describe() string {
	files := map[string]bool{}
	var dirs []string
	for d, fs := range s.named {
		dirs = append(dirs, d)
		for _, f := range fs {
			files[f] = true
		}
	}
	sort.Strings(dirs)
	var fl []string
	for f := range files {
		if i := strings.IndexByte(f, ' '); i > 0 {
			f = f[:i] // "docker-compose.yml builds service x": the file
		}
		if !slices.Contains(fl, f) {
			fl = append(fl, f)
		}
	}
	sort.Strings(fl)
	const most = 4
	if len(dirs) > most {
		dirs = append(dirs[:most:most], "…")
	}
	return strings.Join(fl, ", ") + " build " + strings.Join(dirs, ", ")
}

func (s *Shipping) Add(dir, manifest string) {
	if !slices.Contains(s.named[dir], manifest) {
		s.named[dir] = append(s.named[dir], manifest)
		s.byManifest[manifest] = append(s.byManifest[manifest], dir)
	}
}

// ReadManifests reads the build manifests found by the walk and pins what they build to main packages.
func ReadManifests(root string, files []string, mains []*model.Package) (*Shipping, []model.Warning) {
	s := &Shipping{named: map[string][]string{}, byManifest: map[string][]string{}}
	var warns []model.Warning
	readErrs := forEachFile(root, files, func(f string, data []byte) {
		var targets []buildTarget
		var err error
		if strings.Contains(path.Base(f), "goreleaser") {
			targets, err = goreleaserTargets(data)
			if err != nil {
				warns = append(warns, model.Warning{Subject: f, Message: "not read: " + astutil.FirstLine(err.Error())})
				return
			}
		} else if IsMakefile(path.Base(f)) {
			targets = makeTargets(data)
		} else {
			targets = dockerTargets(data)
		}
		for _, t := range targets {
			dirs := t.resolve(path.Dir(f), mains)
			if dirs == nil {
				s.open = true
			}
			for _, d := range dirs {
				s.Add(d, f)
			}
		}
	})
	return s, append(warns, readErrs...)
}

// buildTarget is one package argument of a build: a relative path, an import path or a pattern.
type buildTarget struct {
	arg     string
	workdir string // for Dockerfiles: the WORKDIR in force, absolute in the image
}

// resolve returns the main package dirs the target builds, or nil when it cannot tell.
func (t buildTarget) resolve(manifestDir string, mains []*model.Package) []string {
	arg := strings.TrimSuffix(t.arg, "/")
	if strings.Contains(arg, "{{") || strings.Contains(arg, "$") {
		return nil
	}
	if strings.HasSuffix(arg, ".go") {
		arg = path.Dir(arg)
	}
	var out []string
	if prefix, ok := strings.CutSuffix(arg, "..."); ok {
		prefix = strings.TrimSuffix(prefix, "/")
		for _, m := range mains {
			if rel := relArg(prefix); rel == "." || model.PathMatches(m.Dir, rel) || strings.HasPrefix(m.Path, prefix) {
				out = append(out, m.Dir)
			}
		}
		return model.NonNil(out)
	}
	if arg == "." || arg == "" {
		// The working directory: the main whose directory ends the WORKDIR, else the one beside the manifest, else the root.
		best := ""
		wd := strings.Trim(t.workdir, "/")
		for _, m := range mains {
			if m.Dir != "." && (wd == m.Dir || strings.HasSuffix(wd, "/"+m.Dir)) && len(m.Dir) > len(best) {
				best = m.Dir
			}
		}
		if best != "" {
			return []string{best}
		}
		for _, want := range []string{manifestDir, "."} {
			for _, m := range mains {
				if m.Dir == want {
					return []string{m.Dir}
				}
			}
		}
		return nil
	}
	if !strings.HasPrefix(arg, ".") {
		for _, m := range mains {
			if m.Path == arg {
				return []string{m.Dir}
			}
		}
	}
	rel := relArg(arg)
	for _, cand := range []string{path.Join(manifestDir, rel), rel} {
		for _, m := range mains {
			if m.Dir == cand {
				return []string{m.Dir}
			}
		}
	}
	for _, m := range mains { // a build context other than the repository root
		if strings.HasSuffix(m.Dir, "/"+rel) {
			out = append(out, m.Dir)
		}
	}
	if len(out) == 1 {
		return out
	}
	return nil
}

func relArg(arg string) string {
	return path.Clean(strings.TrimPrefix(arg, "./"))
}

// goFlagsWithValue are the go build flags that take the next argument as their value.
var goFlagsWithValue = map[string]bool{
	"-o": true, "-p": true, "-ldflags": true, "-gcflags": true, "-asmflags": true, "-tags": true,
	"-mod": true, "-modfile": true, "-overlay": true, "-pkgdir": true, "-toolexec": true,
	"-buildmode": true, "-compiler": true, "-gccgoflags": true, "-installsuffix": true,
	"-covermode": true, "-coverpkg": true, "-pgo": true, "-C": true, "-exec": true,
}

// dockerTargets finds the packages built by `go build` and `go install` in a Dockerfile's RUN lines.
func dockerTargets(data []byte) []buildTarget {
	var out []buildTarget
	workdir := "/"
	for _, line := range dockerInstructions(data) {
		word, rest, _ := strings.Cut(strings.TrimSpace(line), " ")
		switch strings.ToUpper(word) {
		case "FROM":
			workdir = "/"
		case "WORKDIR":
			wd := strings.Trim(strings.TrimSpace(rest), `"'`)
			if strings.HasPrefix(wd, "/") {
				workdir = path.Clean(wd)
			} else {
				workdir = path.Join(workdir, wd)
			}
		case "RUN":
			for _, cmd := range splitShell(rest) {
				out = append(out, goBuildArgs(cmd, workdir)...)
			}
		}
	}
	return out
}

// dockerInstructions joins continuation lines and drops comments.
func dockerInstructions(data []byte) []string {
	var out []string
	var cur strings.Builder
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for sc.Scan() {
		line := strings.TrimRight(sc.Text(), " \t\r")
		if t := strings.TrimSpace(line); strings.HasPrefix(t, "#") {
			continue
		}
		if strings.HasSuffix(line, `\`) {
			cur.WriteString(strings.TrimSuffix(line, `\`))
			cur.WriteByte(' ')
			continue
		}
		cur.WriteString(line)
		out = append(out, cur.String())
		cur.Reset()
	}
	if cur.Len() > 0 {
		out = append(out, cur.String())
	}
	return out
}

// splitShell splits a shell command line into simple commands and their words; quoting is
// honoured, and &&, ||, ; and | end a command.
func splitShell(s string) [][]string {
	var cmds [][]string
	var words []string
	var w strings.Builder
	inWord := false
	var quote rune
	flushWord := func() {
		if inWord {
			words = append(words, w.String())
			w.Reset()
			inWord = false
		}
	}
	flushCmd := func() {
		flushWord()
		if len(words) > 0 {
			cmds = append(cmds, words)
			words = nil
		}
	}
	rs := []rune(s)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case quote != 0:
			if r == quote {
				quote = 0
			} else {
				w.WriteRune(r)
			}
		case r == '"' || r == '\'':
			quote, inWord = r, true
		case r == ' ' || r == '\t':
			flushWord()
		case r == ';' || r == '|' || r == '&':
			flushCmd()
		default:
			w.WriteRune(r)
			inWord = true
		}
	}
	flushCmd()
	return cmds
}

// goBuildArgs returns the package arguments of a `go build` or `go install` command.
func goBuildArgs(words []string, workdir string) []buildTarget {
	i := 0
	for i < len(words) && (strings.Contains(words[i], "=") && !strings.HasPrefix(words[i], "-") || words[i] == "env") {
		i++ // VAR=value prefixes
	}
	if i+1 >= len(words) || path.Base(words[i]) != "go" || (words[i+1] != "build" && words[i+1] != "install") {
		return nil
	}
	var out []buildTarget
	args := 0
	for j := i + 2; j < len(words); j++ {
		w := words[j]
		if strings.HasPrefix(w, "-") {
			name, _, hasValue := strings.Cut(w, "=")
			name = "-" + strings.TrimLeft(name, "-")
			if !hasValue && goFlagsWithValue[name] {
				if name == "-C" && j+1 < len(words) {
					workdir = path.Join(workdir, words[j+1])
				}
				j++
			}
			continue
		}
		args++
		if strings.Contains(w, "@") { // go install tool@version: not this repository
			continue
		}
		out = append(out, buildTarget{arg: w, workdir: workdir})
	}
	if args == 0 {
		out = append(out, buildTarget{arg: ".", workdir: workdir})
	}
	return out
}

// goreleaserTargets returns the main packages of a .goreleaser.yaml's builds.
func goreleaserTargets(data []byte) ([]buildTarget, error) {
	var doc struct {
		Builds []struct {
			Main    string `yaml:"main"`
			Dir     string `yaml:"dir"`
			Skip    any    `yaml:"skip"`
			Builder string `yaml:"builder"`
		} `yaml:"builds"`
	}
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, err
	}
	if doc.Builds == nil {
		return []buildTarget{{arg: "."}}, nil
	}
	var out []buildTarget
	for _, b := range doc.Builds {
		if b.Skip == true || b.Builder == "prebuilt" {
			continue
		}
		main := b.Main
		if main == "" {
			main = "."
		}
		arg := path.Join(b.Dir, main)
		if !strings.HasPrefix(arg, ".") {
			arg = "./" + arg
		}
		out = append(out, buildTarget{arg: arg})
	}
	return out, nil
}

// IsMakefile reports whether a file is a Makefile (or a make include).
func IsMakefile(name string) bool {
	return name == "Makefile" || name == "makefile" || name == "GNUmakefile" || strings.HasSuffix(name, ".mk")
}

// makeTargets finds the packages a Makefile's recipes build with go build or go install, run
// from the Makefile's directory. go run is no build: what it runs is a tool of the developers.
func makeTargets(data []byte) []buildTarget {
	var out []buildTarget
	for _, line := range dockerInstructions(data) { // the same continuation and comment rules
		if !strings.HasPrefix(line, "\t") {
			continue // recipes are the tab-indented lines
		}
		recipe := strings.TrimLeft(strings.TrimSpace(line), "@-+")
		for _, cmd := range splitShell(recipe) {
			out = append(out, goBuildArgs(cmd, "")...)
		}
	}
	return out
}
