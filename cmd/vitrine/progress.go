package main

import (
	"fmt"
	"io"
	"os"
	"time"

	"golang.org/x/term"

	"github.com/vitrine-ssg/vitrine/generator"
)

// progressLine shows how far the long steps of a build are (images encoded, social cards drawn) on one
// line of a terminal, rewritten in place: "Drawing social cards 812/2000". A step that ends within
// progressDelay shows nothing, so a rebuild that finds everything in its cache stays quiet, and the line
// is rewritten at most every progressEvery. Twenty lines of code do it: a progress-bar library would
// bring a dependency tree for a line of text, and golang.org/x/term, which tells a terminal, is
// already one.
type progressLine struct {
	w     io.Writer
	now   func() time.Time
	step  string
	start time.Time // when the current step reported first
	last  time.Time // when the line was last written
	shown bool      // the line holds text to clear
}

const (
	progressDelay = 300 * time.Millisecond
	progressEvery = 100 * time.Millisecond
)

var progressWords = map[string]string{"images": "Encoding images", "cards": "Drawing social cards"}

// newProgressLine returns a progress line on w when w is a terminal, else nil: a log or CI keeps the
// build's one summary line.
func newProgressLine(w io.Writer) *progressLine {
	f, ok := w.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return nil
	}
	return &progressLine{w: w, now: time.Now}
}

// report is a generator.Options.Progress.
func (l *progressLine) report(p generator.Progress) {
	now := l.now()
	if p.Step != l.step {
		l.step, l.start, l.last = p.Step, now, time.Time{}
	}
	if now.Sub(l.start) < progressDelay || (p.Done < p.Total && now.Sub(l.last) < progressEvery) {
		return
	}
	l.last, l.shown = now, true
	words := progressWords[p.Step]
	if words == "" {
		words = p.Step
	}
	fmt.Fprintf(l.w, "\r\x1b[K%s %d/%d", words, p.Done, p.Total)
}

// clear erases the line, before the build's summary or its errors are written.
func (l *progressLine) clear() {
	if l != nil && l.shown {
		fmt.Fprint(l.w, "\r\x1b[K")
		l.shown = false
	}
}

// progressOf returns the Options.Progress of a build that reports to l: nil for no line.
func progressOf(l *progressLine) func(generator.Progress) {
	if l == nil {
		return nil
	}
	return l.report
}
