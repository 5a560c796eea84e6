package typed

import "testing"

func TestLookupEnv(t *testing.T) {
	env := map[string]string{"METRICS_COLLECT_FROM": "http://sales:3010", "DB_HOST": "db", "AUTH_HOST": "auth"}
	if k, v, ok := LookupEnv(env, "*_COLLECT_FROM"); !ok || k != "METRICS_COLLECT_FROM" || v != "http://sales:3010" {
		t.Errorf("*_COLLECT_FROM: %q %q %v", k, v, ok)
	}
	if _, _, ok := LookupEnv(env, "*_HOST"); ok {
		t.Errorf("*_HOST matches two variables: it must stay unknown")
	}
	if _, _, ok := LookupEnv(env, "COLLECT_FROM"); ok {
		t.Errorf("an exact name must not match a suffix")
	}
}
