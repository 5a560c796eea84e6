package typed

import (
	"testing"

	"github.com/cleave-dev/cleave/analyze/astutil"
)

func TestNames(t *testing.T) {
	for in, want := range map[string]string{
		"postgres://app:secret@db:5432/shop?sslmode=disable": "postgres://app:***@db:5432/shop?sslmode=disable",
		"user:pw@tcp(db:3306)/shop":                          "user:***@tcp(db:3306)/shop",
		"host=db user=app password=secret dbname=shop":       "host=db user=app password=*** dbname=shop",
		"postgres://db/shop":                                 "postgres://db/shop",
	} {
		if got := RedactDSN(in); got != want {
			t.Errorf("RedactDSN(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{"gopkg.in/yaml.v3": "yaml", "github.com/jackc/pgx/v5": "pgx",
		"github.com/go-sql-driver/mysql": "mysql", "github.com/mattn/go-sqlite3": "sqlite3", "github.com/foo/bar-baz": "bar_baz"} {
		if got := astutil.GuessName(in); got != want {
			t.Errorf("guessName(%q) = %q, want %q", in, got, want)
		}
	}
}
