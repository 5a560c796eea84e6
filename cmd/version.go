package cmd

import (
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/spf13/cobra"
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

func newVersionCmd(ios *IO) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version, commit and build date",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			v, c, d := buildInfo()
			if c == "" {
				c = "unknown"
			}
			if d == "" {
				d = "unknown"
			}
			_, err := fmt.Fprintf(ios.Out, "cleave %s\ncommit: %s\nbuilt:  %s\ngo:     %s %s/%s\n", v, c, d, runtime.Version(), runtime.GOOS, runtime.GOARCH)
			return err
		},
	}
}
