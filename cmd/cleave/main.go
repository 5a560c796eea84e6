// Command cleave helps a team decide, and then keep, the right architecture for a Go system.
package main

import (
	"os"

	"github.com/cleave-dev/cleave/cmd"
	"github.com/cleave-dev/cleave/internal/gctune"
)

func main() {
	gctune.Tune()
	os.Exit(cmd.Main())
}
