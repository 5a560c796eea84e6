package rules

import (
	"fmt"
	"strings"
)

// Suggest returns the candidate a mistyped word most likely meant, or "" when none is close:
// the one a word names without its prefix ("module-cycle" for "boundary/module-cycle"), else
// the nearest by edit distance, within a third of the word's length (at least 2). Ties go to
// the candidate listed first, so the suggestion is stable.
func Suggest(word string, candidates []string) string {
	lw := strings.ToLower(word)
	for _, c := range candidates {
		if _, rest, ok := strings.Cut(c, "/"); ok && strings.EqualFold(rest, word) {
			return c
		}
	}
	best, bestD := "", max(2, len([]rune(word))/3)+1
	for _, c := range candidates {
		if d := editDistance(lw, strings.ToLower(c)); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

// didYouMean is the ` (did you mean "x"?)` tail of an error, or "".
func didYouMean(word string, candidates []string) string {
	if s := Suggest(word, candidates); s != "" {
		return ` (did you mean "` + s + `"?)`
	}
	return ""
}

// unknownID is the error for an id that names nothing: with the nearest id when one is close,
// else with every id there is.
func unknownID(what, id string, ids []string) string {
	if hint := didYouMean(id, ids); hint != "" {
		return fmt.Sprintf("unknown %s %q%s", what, id, hint)
	}
	return fmt.Sprintf("unknown %s %q (%ss: %s)", what, id, what, strings.Join(ids, ", "))
}

// UnknownRule is the error for a rule id the catalog does not hold.
func UnknownRule(id string) string { return unknownID("rule", id, RuleIDs()) }

// UnknownQuestion is the error for a question id the pack does not hold.
func (p *Pack) UnknownQuestion(id string) string { return unknownID("question", id, p.QuestionIDs()) }

// editDistance is the Levenshtein distance between a and b, counted in runes.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// RuleIDs lists every rule's id, in the catalog's order.
func RuleIDs() []string {
	var ids []string
	for _, r := range All() {
		ids = append(ids, r.ID)
	}
	return ids
}

// QuestionIDs lists the pack's question ids, in its order.
func (p *Pack) QuestionIDs() []string {
	var ids []string
	for _, q := range p.Questions {
		ids = append(ids, q.ID)
	}
	return ids
}
