package main

import (
	"bytes"
	"os"
	"testing"
	"time"

	"github.com/vitrine-ssg/vitrine/generator"
)

func TestProgressLine(t *testing.T) {
	var out bytes.Buffer
	clock := time.Date(2026, 12, 8, 0, 0, 0, 0, time.UTC)
	l := &progressLine{w: &out, now: func() time.Time { return clock }}
	at := func(ms int, step string, done, total int) {
		clock = time.Date(2026, 12, 8, 0, 0, 0, ms*int(time.Millisecond), time.UTC)
		l.report(generator.Progress{Step: step, Done: done, Total: total})
	}
	// A quick step shows nothing.
	at(0, "images", 1, 2)
	at(100, "images", 2, 2)
	l.clear()
	if out.Len() != 0 {
		t.Fatalf("a step of 0.1 s wrote %q", out.String())
	}
	// A long one shows its count once it has lasted progressDelay, at most every progressEvery, and its end.
	at(1000, "cards", 1, 2000)
	at(1200, "cards", 100, 2000)
	at(1350, "cards", 200, 2000)
	at(1400, "cards", 300, 2000)
	at(1420, "cards", 301, 2000)
	at(1430, "cards", 2000, 2000)
	l.clear()
	want := "\r\x1b[KDrawing social cards 200/2000\r\x1b[KDrawing social cards 2000/2000\r\x1b[K"
	if out.String() != want {
		t.Errorf("wrote %q\nwant  %q", out.String(), want)
	}
}

func TestNoProgressLineOffTerminal(t *testing.T) {
	if newProgressLine(&bytes.Buffer{}) != nil {
		t.Error("a progress line on a buffer")
	}
	f, err := os.Create(t.TempDir() + "/log")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if newProgressLine(f) != nil {
		t.Error("a progress line in a file, as CI's logs are")
	}
	if progressOf(nil) != nil {
		t.Error("a build without a line is given a Progress")
	}
	var l *progressLine
	l.clear() // no line: nothing to clear, and no panic
}
