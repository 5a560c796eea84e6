package load

import (
	"encoding/json"
	"os"
	"path/filepath"
	"time"
)

// FactsCache keeps, by a digest of everything they were computed from, the facts that the
// typed pass and what reads its results found (tables, connections, calls, kinds reached):
// a run whose inputs the typed pass reads the same as a run before (see analyze's factsKey)
// takes them instead of parsing and type-checking the repository again. The zero value
// caches nothing.
type FactsCache struct{ Dir string }

// maxFactsEntries bounds the cache of facts: past it, the entries least recently used go.
const maxFactsEntries = 64

func (c FactsCache) file(key string) string { return filepath.Join(c.Dir, "facts", key+".json") }

// Get decodes the entry of key into v; false when there is none, or it does not decode.
func (c FactsCache) Get(key string, v any) bool {
	if c.Dir == "" {
		return false
	}
	file := c.file(key)
	data, err := os.ReadFile(file)
	if err != nil || json.Unmarshal(data, v) != nil {
		return false // a damaged entry is a miss, and is replaced
	}
	now := time.Now()
	_ = os.Chtimes(file, now, now) // most recently used
	return true
}

// Put stores v as the entry of key.
func (c FactsCache) Put(key string, v any) {
	if c.Dir != "" {
		if file := c.file(key); storeJSON(file, v) {
			prune(filepath.Dir(file), maxFactsEntries)
		}
	}
}
