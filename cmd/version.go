package cmd

import (
	"fmt"
	"io"
	"runtime"
	"runtime/debug"

	"github.com/spf13/cobra"

	"github.com/cleave-dev/cleave/reports"
)

// Set through -ldflags "-X github.com/cleave-dev/cleave/cmd.version=… -X …commit=… -X …date=…" by release builds.
var (
	version = ""
	commit  = ""
	date    = ""
)

// buildInfo returns version, commit and date: from the linker flags of a release build, else
// from the build information that `go install` records.
func buildInfo() (v, c, d string) {
	v, c, d = version, commit, date
	if bi, ok := debug.ReadBuildInfo(); ok {
		if v == "" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			v = bi.Main.Version
		}
		for _, s := range bi.Settings {
			switch {
			case s.Key == "vcs.revision" && c == "":
				c = s.Value
			case s.Key == "vcs.time" && d == "":
				d = s.Value
			}
		}
	}
	if v == "" {
		v = "devel"
	}
	return v, c, d
}

// Version is cleave's version as written into its output.
func Version() string {
	v, _, _ := buildInfo()
	return v
}

// VersionInfo is what `cleave version --format json` prints.
type VersionInfo struct {
	Version string `json:"version"`
	Commit  string `json:"commit"`
	Date    string `json:"date"`
	Go      string `json:"go"`
	OS      string `json:"os"`
	Arch    string `json:"arch"`
}

func newVersionCmd(ios *IO, g *global) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version, commit and build date (--format text or json)",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			if err := g.checkFormat("version"); err != nil {
				return err
			}
			v, c, d := buildInfo()
			if c == "" {
				c = "unknown"
			}
			if d == "" {
				d = "unknown"
			}
			info := VersionInfo{Version: v, Commit: c, Date: d, Go: runtime.Version(), OS: runtime.GOOS, Arch: runtime.GOARCH}
			return g.render(ios, renderers{
				"text": func(w io.Writer) error {
					_, err := fmt.Fprintf(w, "cleave %s\ncommit: %s\nbuilt:  %s\ngo:     %s %s/%s\n", v, c, d, info.Go, info.OS, info.Arch)
					return err
				},
				"json": func(w io.Writer) error { return reports.JSON(w, info) },
			})
		},
	}
}
