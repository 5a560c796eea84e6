package load

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/cleave-dev/cleave/internal/safefs"
)

// ScanCache keeps what the prefetch read of a repository's files by their tokens (typed's
// ScanStore): one entry a repository and cleave executable, in the scans directory of the
// cache, by the digests of the files' contents. The zero value caches nothing.
type ScanCache struct{ Dir, Root string }

// maxScanEntries bounds the cache of scans: past it, the entries least recently used go.
const maxScanEntries = 16

// maxScanBytes bounds what an entry is read of: past it, it is no entry cleave wrote.
const maxScanBytes = 256 << 20

func (c ScanCache) file() string {
	if c.Dir == "" {
		return ""
	}
	h := sha256.New()
	fmt.Fprintf(h, "cleave scans 1\x00%s\x00", c.Root)
	if ToolStamp(h) != nil {
		return ""
	}
	return filepath.Join(c.Dir, "scans", hex.EncodeToString(h.Sum(nil))[:32]+".bin")
}

// Load returns the entry's content, nil when there is none.
func (c ScanCache) Load() []byte {
	file := c.file()
	if file == "" {
		return nil
	}
	data, err := safefs.ReadFile(file, maxScanBytes)
	if err != nil {
		return nil
	}
	now := time.Now()
	_ = os.Chtimes(file, now, now) // most recently used
	return data
}

// Save replaces the entry whole.
func (c ScanCache) Save(data []byte) {
	if file := c.file(); file != "" && len(data) <= maxScanBytes && storeFile(file, data) {
		prune(filepath.Dir(file), maxScanEntries)
	}
}
