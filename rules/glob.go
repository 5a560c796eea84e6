package rules

import (
	"fmt"
	"path"
	"strings"
)

// Glob is a slash-separated directory pattern relative to the analysed root. Each segment is
// a path.Match pattern, and a segment "**" stands for any number of segments (none included).
type Glob struct {
	raw  string
	segs []string
}

// ParseGlob checks and compiles a directory pattern.
func ParseGlob(s string) (Glob, error) {
	if s == "" {
		return Glob{}, fmt.Errorf("empty path")
	}
	if strings.Contains(s, `\`) {
		return Glob{}, fmt.Errorf("path %q: use / to separate directories", s)
	}
	if strings.HasPrefix(s, "/") {
		return Glob{}, fmt.Errorf("path %q: must be relative to the repository root", s)
	}
	t := strings.TrimSuffix(strings.TrimPrefix(s, "./"), "/")
	if t == "" || t == "." {
		return Glob{raw: ".", segs: nil}, nil
	}
	if path.Clean(t) != t {
		return Glob{}, fmt.Errorf("path %q: not a clean path (want %q)", s, path.Clean(t))
	}
	segs := strings.Split(t, "/")
	for _, seg := range segs {
		if seg == ".." {
			return Glob{}, fmt.Errorf("path %q: must stay inside the repository (no ..)", s)
		}
		if seg != "**" && strings.Contains(seg, "**") {
			return Glob{}, fmt.Errorf("path %q: ** must be a whole path segment", s)
		}
		if _, err := path.Match(seg, ""); err != nil {
			return Glob{}, fmt.Errorf("path %q: bad pattern in %q", s, seg)
		}
	}
	return Glob{raw: t, segs: segs}, nil
}

func (g Glob) String() string { return g.raw }

// Literal reports whether the pattern has no wildcards.
func (g Glob) Literal() bool {
	for _, s := range g.segs {
		if strings.ContainsAny(s, "*?[") {
			return false
		}
	}
	return true
}

// Match reports whether dir is exactly matched by the pattern.
func (g Glob) Match(dir string) bool {
	return matchSegs(g.segs, splitDir(dir), false)
}

// Contains reports whether dir is matched by the pattern or lies below a directory it matches.
func (g Glob) Contains(dir string) bool {
	return matchSegs(g.segs, splitDir(dir), true)
}

func splitDir(dir string) []string {
	if dir == "" || dir == "." {
		return nil
	}
	return strings.Split(dir, "/")
}

func matchSegs(pat, segs []string, prefix bool) bool {
	for len(pat) > 0 {
		if pat[0] == "**" {
			for i := 0; i <= len(segs); i++ {
				if matchSegs(pat[1:], segs[i:], prefix) {
					return true
				}
			}
			return false
		}
		if len(segs) == 0 {
			return false
		}
		if ok, _ := path.Match(pat[0], segs[0]); !ok {
			return false
		}
		pat, segs = pat[1:], segs[1:]
	}
	return prefix || len(segs) == 0
}

// literalOverlap reports whether two literal patterns claim a common directory:
// one is the other or lies below it.
func literalOverlap(a, b Glob) bool {
	n := min(len(a.segs), len(b.segs))
	for i := 0; i < n; i++ {
		if a.segs[i] != b.segs[i] {
			return false
		}
	}
	return true
}

// Under rebases a pattern written for a directory onto one of its subdirectories, rel (a clean
// relative path, "" or "." for the directory itself): the pattern as it reads inside rel, and
// false when it can name nothing there. A pattern that names rel or a directory above it
// covers all of rel and becomes "."; one that reaches rel through ** keeps its ** part, which
// may still match anywhere below.
func (g Glob) Under(rel string) (Glob, bool) {
	segs := g.segs
	for _, r := range splitDir(rel) {
		if len(segs) == 0 {
			return Glob{raw: "."}, true
		}
		if segs[0] == "**" {
			return Glob{raw: strings.Join(segs, "/"), segs: segs}, true
		}
		if ok, _ := path.Match(segs[0], r); !ok {
			return Glob{}, false
		}
		segs = segs[1:]
	}
	if len(segs) == 0 {
		return Glob{raw: "."}, true
	}
	return Glob{raw: strings.Join(segs, "/"), segs: segs}, true
}

// globsUnder rebases each pattern (Under), dropping those that name nothing inside rel; nil
// stays nil (a default), and a list that loses every pattern is empty, not nil.
func globsUnder(gs []Glob, rel string) []Glob {
	if gs == nil {
		return nil
	}
	out := []Glob{}
	for _, g := range gs {
		if u, ok := g.Under(rel); ok {
			out = append(out, u)
		}
	}
	return out
}
