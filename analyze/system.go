package analyze

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sync"

	"github.com/cleave-dev/cleave/analyze/model"
	"github.com/cleave-dev/cleave/analyze/system"
	"github.com/cleave-dev/cleave/rules"
)

// RunSystem analyses the repositories of a system, several at once, each as Run would with
// its own configuration (config returns it for a repository's directory; nil for none), and
// merges them into one result (see package system). opts.Dir and opts.Config are not used.
func RunSystem(ctx context.Context, spec *system.Spec, opts Options, config func(dir string) (*rules.Config, error)) (*model.Result, error) {
	repos := make([]system.Repo, len(spec.Repos))
	code := make([]bool, len(spec.Repos))
	for i, rs := range spec.Repos {
		d, err := system.ReadDeployment(rs.Dir) // one walk tells its role and reads its manifests
		if err != nil {
			return nil, &LoadError{fmt.Errorf("repository %s (%s): %w", rs.Name, rs.Path, err)}
		}
		repos[i].RepoSpec, repos[i].Deploy = rs, d
		code[i] = !rs.Deployment && d.GoModule
	}
	if !slices.Contains(code, true) {
		return nil, &LoadError{noModule{"no repository of the system holds a Go module (looked for go.mod files under each): nothing to analyse"}}
	}
	var progressMu sync.Mutex
	errs := make([]error, len(repos))
	// Each analysis uses every core in its typed pass; two at once keep them busy while the
	// other waits on the go command.
	sem := make(chan struct{}, max(1, min(2, runtime.GOMAXPROCS(0))))
	var wg sync.WaitGroup
	for i := range repos {
		r := &repos[i]
		if !code[i] {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			o := opts
			o.Dir, o.Open = r.Dir, true
			if opts.Progress != nil {
				o.Progress = func(stage string) {
					progressMu.Lock()
					defer progressMu.Unlock()
					opts.Progress(r.Name + ": " + stage)
				}
			}
			cfg, err := config(r.Dir)
			if err != nil {
				errs[i] = err
				return
			}
			o.Config = cfg
			res, fs, err := runRepo(ctx, o)
			if err != nil {
				var le *LoadError
				if errors.As(err, &le) {
					err = &LoadError{fmt.Errorf("repository %s (%s): %w", r.Name, r.Path, le.Err)}
				}
				errs[i] = err
				return
			}
			r.Res, r.Facts = res, fs
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	res := system.Merge(spec, repos, opts.Version)
	res.SchemaVersion = SchemaVersion
	return res, nil
}
