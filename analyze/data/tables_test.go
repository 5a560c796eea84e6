package data

import "testing"

func TestLocalDSN(t *testing.T) {
	for _, c := range []struct {
		setting string
		local   bool
	}{
		{"dsn::memory:", true},
		{"dsn:file::memory:?cache=shared", true},
		{"dsn:file:test.db?cache=shared&mode=rwc", true},
		{"dsn:data/app.db", true},
		{"dsn:/var/lib/app/app.sqlite3", true},
		{"dsn:sqlite3://local.db", true},
		{"dsn:app?mode=memory", true},
		{"dsn:postgres://shop:***@db:5432/shop", false},
		{"dsn:user:***@tcp(db:3306)/shop", false},
		{"dsn:host=db dbname=shop sslmode=disable", false},
		{"dsn:postgres://db/app.db", false}, // a server database that happens to be called app.db
		{"env:DATABASE_URL", false},
	} {
		if got := localDSN(c.setting); got != c.local {
			t.Errorf("localDSN(%q) = %v, want %v", c.setting, got, c.local)
		}
	}
}
