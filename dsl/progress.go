package dsl

import (
	"sync"
	"time"

	"github.com/reckon-dev/reckon/analysis/progress"
	"github.com/reckon-dev/reckon/display"
	"github.com/reckon-dev/reckon/kernel"
)

// progressEvery is the least time between two renderings of a progress
// display: analysis code may report thousands of times a second, and
// building a bundle each time would cost more than the work it reports.
const progressEvery = 100 * time.Millisecond

// progressDelay is how long a command runs before its progress bar
// appears, so that quick commands leave no bar behind in the notebook.
const progressDelay = 300 * time.Millisecond

// progressDisplay is a progress bar shown in the cell and updated in place.
type progressDisplay struct {
	mu    sync.Mutex
	out   kernel.Output
	id    string
	start time.Time
	last  time.Time
	shown bool
	state display.Progress
}

// Progress returns the callback through which the command reports how far
// it has come. Once the command has run for progressDelay, a report shows
// a progress bar that later reports update in place, and the bar's final
// state is shown when the command ends.
func (c *Call) Progress() progress.Func {
	if c.Session.quietProgress {
		return nil
	}
	if c.progress == nil {
		c.progress = &progressDisplay{out: c.Out, id: c.Session.newDisplayID(), start: time.Now(), state: display.Progress{Task: c.Cmd.Name}}
	}
	return c.progress.report
}

func (p *progressDisplay) report(phase string, done, total int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.state.Phase, p.state.Done, p.state.Total = phase, done, total
	now := time.Now()
	if !p.shown && now.Sub(p.start) < progressDelay || p.shown && now.Sub(p.last) < progressEvery {
		return
	}
	p.send(now)
}

// send shows the current state; the caller holds p.mu.
func (p *progressDisplay) send(now time.Time) {
	p.state.Elapsed = now.Sub(p.start)
	b := kernel.Bundle(p.state.Bundle())
	if p.shown {
		p.out.Update(b, p.id)
	} else {
		p.out.Display(b, p.id)
		p.shown = true
	}
	p.last = now
}

// finishProgress shows the final state of the command's progress bar, if it
// showed one: done, or stopped by err.
func (c *Call) finishProgress(err error) {
	p := c.progress
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.shown {
		return
	}
	p.state.Finished, p.state.Stopped = err == nil, err != nil
	p.send(time.Now())
}
