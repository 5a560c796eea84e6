package cmd

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/cleave-dev/cleave/analyze"
	"github.com/cleave-dev/cleave/internal/safefs"
	"github.com/cleave-dev/cleave/reports"
)

// CacheInfo is what `cleave cache status --format json` prints.
type CacheInfo struct {
	// Dir is the cache's directory; "" when caching is off (CLEAVE_CACHE_DIR=off, or no user
	// cache directory).
	Dir     string `json:"dir"`
	Entries int    `json:"entries"`
	Bytes   int64  `json:"bytes"`
	// Listings, Facts and Scans count the entries by kind: package listings, facts of the
	// typed pass, and the scans of a repository's files.
	Listings int `json:"listings"`
	Facts    int `json:"facts"`
	Scans    int `json:"scans"`
}

func newCacheCmd(ios *IO, g *global) *cobra.Command {
	c := &cobra.Command{
		Use:   "cache",
		Short: "Show or empty cleave's cache of package listings, typed facts and file scans",
		Long: `cleave caches what the go command lists of a tree's packages, so that a run after an edit
that leaves every file's imports as they were does not list them again, and what its typed
pass finds (tables, connections, calls), so that a run after an edit the pass cannot see (a
body with no database, transport or configuration code, off every call path to such code)
does not parse and type-check the tree again; and what it reads of each file by its tokens
(its functions, the names their bodies mention), by the file's content, so that only the
files that changed are read that way again. The cache lives in $CLEAVE_CACHE_DIR, else in
cleave/ under the user cache directory; CLEAVE_CACHE_DIR=off, or --no-cache on a command,
turns it off. Results are the same with and without it.`,
		Args: cobra.NoArgs,
	}
	status := &cobra.Command{
		Use:   "status",
		Short: "Print where the cache is and what it holds (--format text or json)",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			if err := g.checkFormat("cache"); err != nil {
				return err
			}
			info := CacheInfo{Dir: cacheDirFor(ios)}
			if info.Dir != "" {
				byKind, size, err := analyze.CacheCounts(info.Dir)
				if err != nil {
					return fmt.Errorf("cache: %w", err)
				}
				info.Listings, info.Facts, info.Scans, info.Bytes = byKind["list"], byKind["facts"], byKind["scans"], size
				info.Entries = info.Listings + info.Facts + info.Scans
			}
			return g.render(ios, renderers{
				"text": func(w io.Writer) error {
					if info.Dir == "" {
						_, err := fmt.Fprintln(w, "cache: off")
						return err
					}
					_, err := fmt.Fprintf(w, "cache:   %s\nentries: %d (%s): %s, %s, %s\n", info.Dir, info.Entries, safefs.Size(info.Bytes),
						reports.Plural(info.Listings, "package listing"), reports.Plural(info.Facts, "set")+" of typed facts",
						reports.Plural(info.Scans, "set")+" of file scans")
					return err
				},
				"json": func(w io.Writer) error { return reports.JSON(w, info) },
			})
		},
	}
	clean := &cobra.Command{
		Use:   "clean",
		Short: "Remove every entry of the cache",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			dir := cacheDirFor(ios)
			if dir == "" {
				fmt.Fprintln(ios.ErrOut, "cache: off, nothing to clean")
				return nil
			}
			n, size, _ := analyze.CacheStatus(dir)
			if err := analyze.CleanCache(dir); err != nil {
				return fmt.Errorf("cache: %w", err)
			}
			if !g.quiet {
				fmt.Fprintf(ios.ErrOut, "cache: removed %d entries (%s) from %s\n", n, safefs.Size(size), dir)
			}
			return nil
		},
	}
	c.AddCommand(status, clean)
	return c
}
