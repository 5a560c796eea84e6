package digest

import (
	"crypto/sha256"
	"encoding/hex"
	"testing"
)

func sum(v any) string {
	h := sha256.New()
	Write(h, v)
	return hex.EncodeToString(h.Sum(nil))
}

type inner struct {
	Name  string
	count int
	Tags  map[string][]int
}

type outer struct {
	A, B  *inner
	List  []inner
	Any   any
	Float float64
	Empty []string
}

func TestDistinct(t *testing.T) {
	shared := &inner{Name: "x"}
	cases := map[string]any{
		"nil":             nil,
		"zero int":        0,
		"zero string":     "",
		"empty slice":     []string{},
		"nil slice":       []string(nil),
		"one empty":       []string{""},
		"two strings":     []string{"a", "b"},
		"joined":          []string{"ab"},
		"split":           []string{"a", "bc"},
		"unexported":      inner{count: 1},
		"unexported zero": inner{},
		"map":             map[string]int{"a": 1},
		"map other":       map[string]int{"a": 2},
		"struct":          outer{A: shared, B: shared},
		"struct apart":    outer{A: &inner{Name: "x"}, B: &inner{Name: "x"}},
		"float":           outer{Float: 1},
		"empty field":     outer{Empty: []string{}},
		"int in any":      outer{Any: 1},
		"uint in any":     outer{Any: uint(1)},
		"bool":            true,
	}
	seen := map[string]string{}
	for name, v := range cases {
		s := sum(v)
		if other, ok := seen[s]; ok {
			t.Errorf("%s and %s digest alike", name, other)
		}
		seen[s] = name
	}
}

// The digest of a map does not depend on the order its entries come in, even where they
// share pointers with each other.
func TestStable(t *testing.T) {
	a, b := &inner{Name: "a"}, &inner{Name: "b"}
	build := func() any {
		m := map[string]*inner{}
		for i := range 50 {
			m[string(rune('a'+i))] = []*inner{a, b}[i%2]
		}
		return struct {
			M    map[string]*inner
			Tail *inner
		}{m, a}
	}
	want := sum(build())
	for range 20 {
		if got := sum(build()); got != want {
			t.Fatalf("digest changed between runs: %s, %s", got, want)
		}
	}
	cyc := &struct{ Next any }{}
	cyc.Next = cyc
	if sum(cyc) == "" {
		t.Fatal("no digest of a cyclic value")
	}
}
