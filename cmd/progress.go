package cmd

import (
	"fmt"
	"io"
	"sync"
	"time"
)

// progress keeps one line on a terminal's standard error up to date with the analysis's
// stage and the time it has taken, so a large repository does not look hung. It shows
// nothing for a run shorter than delay, and clears its line when the run ends.
type progress struct {
	w     io.Writer
	delay time.Duration
	start time.Time
	mu    sync.Mutex
	stage string
	shown bool
	done  chan struct{}
	wg    sync.WaitGroup
}

// defaultProgressDelay is how long a run goes before its progress shows: most repositories
// are analysed sooner, and a line that flashes is noise.
const defaultProgressDelay = 700 * time.Millisecond

var progressDelay = defaultProgressDelay

func startProgress(w io.Writer, delay time.Duration) *progress {
	p := &progress{w: w, delay: delay, start: time.Now(), done: make(chan struct{})}
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		t := time.NewTicker(250 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-p.done:
				return
			case <-t.C:
				p.mu.Lock()
				p.draw()
				p.mu.Unlock()
			}
		}
	}()
	return p
}

// Stage is the analysis's progress hook.
func (p *progress) Stage(s string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.stage = s
	p.draw()
}

// draw rewrites the line; the caller holds mu.
func (p *progress) draw() {
	elapsed := time.Since(p.start)
	if p.stage == "" || elapsed < p.delay {
		return
	}
	fmt.Fprintf(p.w, "\r\x1b[2Kcleave: %s… %ds", p.stage, int(elapsed.Seconds()))
	p.shown = true
}

// Stop ends the line, leaving the terminal as it was.
func (p *progress) Stop() {
	close(p.done)
	p.wg.Wait()
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.shown {
		fmt.Fprint(p.w, "\r\x1b[2K")
	}
}
