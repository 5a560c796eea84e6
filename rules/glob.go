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
