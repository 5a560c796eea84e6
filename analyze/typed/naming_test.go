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

func TestConfigValue(t *testing.T) {
	path := []string{"Collect", "From"}
	for _, tc := range []struct {
		tag  string
		path []string
		want string
	}{
		{`env:"PRICING_URL" envDefault:"http://pricing:8080"`, nil, "${PRICING_URL:-http://pricing:8080}"},
		{`conf:"default:http://auth-service:6000"`, nil, "http://auth-service:6000"},
		{`conf:"default:http://localhost:3010/debug/vars"`, path, "${*_COLLECT_FROM:-http://localhost:3010/debug/vars}"},
		{`conf:"default:0.0.0.0:4010"`, []string{"Web", "DebugHost"}, "${*_WEB_DEBUG_HOST:-0.0.0.0:4010}"},
		{`conf:"env:AUTH,default:auth:6001"`, path, "${*_AUTH:-auth:6001}"},
		{`conf:"mask"`, []string{"DB", "APIHost"}, "${*_DB_API_HOST}"},
		{`envconfig:"ORDERS_URL" default:"http://orders"`, nil, "${*_ORDERS_URL:-http://orders}"},
		{`env:"X"`, path, "${X}"},
		{`json:"url" yaml:"url"`, path, ""},
		{`mapstructure:"default"`, nil, ""},
	} {
		if got := configValue(tc.tag, tc.path); got != tc.want {
			t.Errorf("configValue(%s, %v) = %q, want %q", tc.tag, tc.path, got, tc.want)
		}
	}
}

func TestOrigin(t *testing.T) {
	for in, want := range map[string]string{
		"${AUTH_URL}/v1/authorize":         "${AUTH_URL}",
		"http://auth-service:6000/v1/auth": "http://auth-service:6000",
		"orders:8080/x":                    "orders:8080",
	} {
		if got := origin(in); got != want {
			t.Errorf("origin(%q) = %q, want %q", in, got, want)
		}
	}
}
