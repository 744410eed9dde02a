package generator

import (
	"math"
	"testing"
)

// TestContrast checks the WCAG 2 contrast ratio against values the WCAG documents and checkers give.
func TestContrast(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want float64
	}{
		{"#000000", "#ffffff", 21},
		{"#fff", "#fff", 1},
		{"#777777", "#ffffff", 4.48},
		{"#767676", "#ffffff", 4.54},
		{"#a8411a", "#fbf8f3", 5.77}, // the default theme's links
	} {
		if got := contrast(c.a, c.b); math.Abs(got-c.want) > 0.01 {
			t.Errorf("contrast(%s, %s) = %.3f, want %.2f", c.a, c.b, got, c.want)
		}
	}
	if readableOn("#ffd000") != "#14110b" || readableOn("#1d3b8a") != "#ffffff" {
		t.Error("readableOn should pick near-black on yellow and white on dark blue")
	}
}
