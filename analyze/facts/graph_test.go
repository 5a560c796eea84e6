package facts

import (
	"reflect"
	"testing"

	"github.com/cleave-dev/cleave/analyze/model"
)

func TestElementaryCycles(t *testing.T) {
	adj := map[string][]string{
		"a": {"b"},
		"b": {"a", "c"},
		"c": {"d"},
		"d": {"b"},
		"e": {"a"},
	}
	got := ElementaryCycles([]string{"a", "b", "c", "d", "e"}, adj)
	want := [][]string{{"a", "b"}, {"b", "c", "d"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("cycles = %v, want %v", got, want)
	}
}

func TestSyncChains(t *testing.T) {
	calls := []model.Call{
		{From: "a", To: "b", Sync: true}, {From: "b", To: "c", Sync: true}, {From: "c", To: "d", Sync: true},
		{From: "b", To: "e", Sync: true}, {From: "x", To: "y", Sync: false}, {From: "p", To: "q", Sync: true}, {From: "q", To: "p", Sync: true},
	}
	got := SyncChains(calls)
	want := [][]string{{"a", "b", "c", "d"}, {"a", "b", "e"}, {"p", "q"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("chains %v, want %v", got, want)
	}
	if d := (&Facts{SyncChains: got}).LongestChain(); d != 4 {
		t.Errorf("depth %d", d)
	}
}
