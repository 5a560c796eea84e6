package sqltables

import (
	"fmt"
	"sort"
	"strings"
	"testing"
)

func show(as []Access) string {
	var parts []string
	for _, a := range as {
		parts = append(parts, fmt.Sprintf("%s:%s", a.Table, a.Op))
	}
	return strings.Join(parts, " ")
}

func TestParse(t *testing.T) {
	cases := []struct{ sql, want string }{
		{"SELECT * FROM %s WHERE id = $1", ""}, // a format verb: the table comes at run time
		{"DELETE FROM %s_archive USING orders WHERE x", "orders:read"},
		{"SELECT * FROM {{.Table}} JOIN users u ON true", "users:read"},
		{`SELECT * FROM "%s" WHERE id = $1`, ""}, // quoted, the verb reaches the parser as a name
		{"UPDATE `{{.Table}}` SET x = 1; SELECT 1 FROM orders", "orders:read"},
		{"SELECT id, name FROM users WHERE id = $1", "users:read"},
		{"select * from Users u join orders o on o.user_id = u.id", "orders:read users:read"},
		{"SELECT a.x FROM accounts AS a LEFT OUTER JOIN ledger l USING (account_id)", "accounts:read ledger:read"},
		{"SELECT * FROM a, b x, c WHERE a.id = x.id", "a:read b:read c:read"},
		{`SELECT * FROM "Order Items" oi, public.products p`, "Order Items:read products:read"},
		{"SELECT * FROM `shop`.`carts`", "shop.carts:read"},
		{"SELECT * FROM [dbo].[Invoices]", "Invoices:read"},
		{"INSERT INTO orders (id, total) VALUES ($1, $2) RETURNING id", "orders:write"},
		{"INSERT INTO archive SELECT * FROM orders WHERE created < now()", "archive:write orders:read"},
		{"INSERT INTO t (a) VALUES (?) ON CONFLICT (a) DO UPDATE SET a = excluded.a", "t:write"},
		{"INSERT INTO t (a) VALUES (?) ON DUPLICATE KEY UPDATE a = VALUES(a)", "t:write"},
		{"INSERT IGNORE INTO t SET a = 1", "t:write"},
		{"UPDATE orders SET status = 'paid' WHERE id = :id", "orders:write"},
		{"UPDATE ONLY stock s SET qty = qty - 1 FROM reservations r WHERE r.sku = s.sku", "reservations:read stock:write"},
		{"DELETE FROM sessions WHERE expires < now()", "sessions:write"},
		{"DELETE FROM a USING b WHERE a.id = b.id", "a:write b:read"},
		{"TRUNCATE TABLE events, audit RESTART IDENTITY", "audit:write events:write"},
		{"MERGE INTO stock t USING deliveries d ON t.sku = d.sku WHEN MATCHED THEN UPDATE SET qty = t.qty + d.qty", "deliveries:read stock:write"},
		{"WITH recent AS (SELECT * FROM orders WHERE day = $1), big AS (SELECT * FROM recent WHERE total > 100) SELECT * FROM big JOIN users ON users.id = big.user_id", "orders:read users:read"},
		{"WITH RECURSIVE tree(id) AS (SELECT id FROM nodes UNION ALL SELECT n.id FROM nodes n JOIN tree ON n.parent = tree.id) SELECT * FROM tree", "nodes:read"},
		{"SELECT * FROM users WHERE id IN (SELECT user_id FROM bans)", "bans:read users:read"},
		{"SELECT * FROM (SELECT * FROM inner_t) sub", "inner_t:read"},
		{"SELECT * FROM generate_series(1, 10) g, lateral unnest(arr) x", ""},
		{"SELECT EXTRACT(YEAR FROM created_at), TRIM(BOTH ' ' FROM name) FROM people", "people:read"},
		{"SELECT * FROM t WHERE a IS DISTINCT FROM b", "t:read"},
		{"SELECT * FROM jobs WHERE state = 'new' FOR UPDATE SKIP LOCKED", "jobs:read"},
		{"SELECT * FROM jobs FOR NO KEY UPDATE", "jobs:read"},
		{"-- name: GetAuthor :one\nSELECT * FROM authors /* the table */ WHERE id = $1 LIMIT 1", "authors:read"},
		{"SELECT 'FROM fake' AS x, \"col\" FROM real_t", "real_t:read"},
		{"SELECT now()::date FROM t1", "t1:read"},
		{" FROM users WHERE", "users:read"}, // a fragment
		{"ALTER TABLE user_sessions ALTER COLUMN ip SET DATA TYPE inet USING ip::inet", ""},
		{"FETCH NEXT FROM my_cursor", ""},
		{"DECLARE c CURSOR FOR SELECT id FROM users; FETCH NEXT FROM c", "users:read"},
		{"SELECT column_name FROM information_schema.columns WHERE table_name = 'x'", ""},
		{"SELECT name FROM sqlite_schema WHERE type = 'table'", ""},
		{"SELECT seq FROM sqlite_sequence WHERE name = 'posts'", ""},
		{"SELECT name FROM sqlite_master", ""},
		{"SELECT * FROM pg_stat_activity", ""},
		{"users u", ""},
		{"SELECT 1", ""},
		{"", ""},
		{"SELECT * FROM", ""},
		{"DELETE FROM", ""},
		{"UPDATE", ""},
	}
	for _, c := range cases {
		if got := show(Parse(c.sql)); got != c.want {
			t.Errorf("Parse(%q)\n got %q\nwant %q", c.sql, got, c.want)
		}
	}
}

func TestStatement(t *testing.T) {
	for s, want := range map[string]bool{
		"SELECT id FROM users":           true,
		"  (SELECT 1)":                   true,
		"WITH x AS (SELECT 1) SELECT 2":  true,
		"select id from users":           false, // lower case: only trusted where it reaches a database call
		"Update the user's profile":      false,
		"DELETE":                         false,
		"Selected from the list":         false,
		"INSERT INTO t VALUES (1)":       true,
		"failed to SELECT from the pool": false,
	} {
		if got := Statement(s); got != want {
			t.Errorf("Statement(%q) = %v, want %v", s, got, want)
		}
	}
}

func TestStarts(t *testing.T) {
	for s, want := range map[string]bool{
		"select id from users":                true,
		"  -- q\n(SELECT 1)":                  true,
		"with x as (select 1) select 2":       true,
		"Test campaign":                       false,
		"<p>turn it into a tracking link</p>": false,
		"update":                              false,
		`{"insert": "into the table"}`:        false,
	} {
		if got := Starts(s); got != want {
			t.Errorf("Starts(%q) = %v, want %v", s, got, want)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"SELECT * FROM a JOIN b ON a.x = b.x", "WITH c AS (SELECT 1 FROM t) DELETE FROM c USING d",
		"INSERT INTO \"x\" SELECT * FROM `y`", "UPDATE [a].[b] SET c = $1", "/* unterminated", "'unterminated",
		"SELECT EXTRACT(YEAR FROM x) FROM (((", "MERGE INTO t USING s ON 1 WHEN MATCHED THEN DELETE",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, a := range Parse(s) {
			if a.Table == "" || (a.Op != Read && a.Op != Write) {
				t.Fatalf("Parse(%q) gave %+v", s, a)
			}
			if reserved[strings.ToUpper(a.Table)] && !strings.Contains(s, `"`+a.Table) && !strings.Contains(s, "`"+a.Table) && !strings.Contains(s, "["+a.Table) {
				t.Fatalf("Parse(%q) took keyword %q for a table", s, a.Table)
			}
		}
		Statement(s)
		for n := range CTEs(s) {
			if n != strings.ToLower(n) || n == "" {
				t.Fatalf("CTEs(%q) gave %q, not a lower-case name", s, n)
			}
		}
	})
}

// The names a text declares as common table expressions, for the query it is put in front of.
func TestCTEs(t *testing.T) {
	for _, c := range []struct {
		sql  string
		want []string
	}{
		{"WITH new_items(kind, id) AS (VALUES ", []string{"new_items"}},
		{"WITH RECURSIVE tree AS (SELECT id FROM nodes), Leaves AS (SELECT 1) ", []string{"leaves", "tree"}},
		{"SELECT * FROM users", nil},
		{"with latest as (select 1) select * from latest", []string{"latest"}},
	} {
		var got []string
		for n := range CTEs(c.sql) {
			got = append(got, n)
		}
		sort.Strings(got)
		if strings.Join(got, ",") != strings.Join(c.want, ",") {
			t.Errorf("CTEs(%q) = %v, want %v", c.sql, got, c.want)
		}
	}
}
