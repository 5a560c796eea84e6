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

func TestPathMatches(t *testing.T) {
	for _, c := range []struct {
		path     string
		prefixes []string
		want     bool
	}{
		{"github.com/jackc/pgx", []string{"github.com/jackc/pgx"}, true},
		{"github.com/jackc/pgx/v5", []string{"github.com/jackc/pgx"}, true},
		{"github.com/jackc/pgx/v5/pgxpool", []string{"database/sql", "github.com/jackc/pgx"}, true},
		{"github.com/jackc/pgxpool", []string{"github.com/jackc/pgx"}, false},
		{"github.com/jackc", []string{"github.com/jackc/pgx"}, false},
		{"database/sql", nil, false},
		{"database/sql/driver", []string{"database/sql/"}, false},
		{"database/sql//x", []string{"database/sql/"}, true},
	} {
		if got := PathMatches(c.path, c.prefixes...); got != c.want {
			t.Errorf("PathMatches(%q, %q) = %v, want %v", c.path, c.prefixes, got, c.want)
		}
	}
	if n := testing.AllocsPerRun(100, func() {
		PathMatches("github.com/aws/aws-sdk-go-v2/service/dynamodb/types", "database/sql", "github.com/aws/aws-sdk-go-v2/service/dynamodb")
	}); n != 0 {
		t.Errorf("PathMatches allocates %v times a call", n)
	}
}
