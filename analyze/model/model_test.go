package model

import (
	"testing"
)

func TestModuleBaseName(t *testing.T) {
	for in, want := range map[string]string{
		"github.com/x/tool": "tool", "miniflux.app/v2": "miniflux", "example.com": "example",
		"github.com/x/y/v3": "y", "": "main", "v2": "v2",
	} {
		if got := ModuleBaseName(in); got != want {
			t.Errorf("ModuleBaseName(%q) = %q, want %q", in, got, want)
		}
	}
}
