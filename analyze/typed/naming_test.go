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
	for tag, want := range map[string]string{
		`env:"PRICING_URL" envDefault:"http://pricing:8080"`: "${PRICING_URL:-http://pricing:8080}",
		`conf:"default:http://auth-service:6000"`:            "http://auth-service:6000",
		`conf:"env:AUTH,default:auth:6001"`:                  "auth:6001",
		`envconfig:"ORDERS_URL" default:"http://orders"`:     "${ORDERS_URL:-http://orders}",
		`env:"X"`:                "${X}",
		`json:"url" yaml:"url"`:  "",
		`mapstructure:"default"`: "",
	} {
		if got := configValue(tag); got != want {
			t.Errorf("configValue(%s) = %q, want %q", tag, got, want)
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
