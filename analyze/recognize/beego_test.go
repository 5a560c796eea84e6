package recognize

import "testing"

// The names beego gives a model's table, as its SnakeString and SnakeStringWithAcronym do.
func TestBeegoSnake(t *testing.T) {
	for _, c := range []struct{ in, snake, acronym string }{
		{"User", "user", "user"},
		{"OrderItem", "order_item", "order_item"},
		{"HTTPLog", "h_t_t_p_log", "http_log"},
		{"ArtifactReference", "artifact_reference", "artifact_reference"},
		{"_Hidden", "_hidden", "__hidden"},
		{"Job_Queue", "job__queue", "job__queue"},
		{"userID", "user_i_d", "user_id"},
	} {
		if got := BeegoSnake(c.in); got != c.snake {
			t.Errorf("BeegoSnake(%q) = %q, want %q", c.in, got, c.snake)
		}
		if got := BeegoSnakeAcronym(c.in); got != c.acronym {
			t.Errorf("BeegoSnakeAcronym(%q) = %q, want %q", c.in, got, c.acronym)
		}
	}
}
