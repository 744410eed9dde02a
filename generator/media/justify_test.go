package media

import (
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// justifySets are photos of known sizes, as a photographer's galleries mix them: portraits (2:3, 4:5),
// landscapes (3:2, 4:3, 16:9), squares and panoramas.
var justifySets = []struct {
	name   string
	target float64
	sizes  [][2]int
}{
	{"demo-mix", 3.7, [][2]int{{3600, 2400}, {2400, 3600}, {3200, 2133}, {2000, 3000}, {4000, 1000}, {1200, 1200}, {1600, 1200}, {1080, 1350}, {1920, 1080}, {2400, 3600}, {3000, 2000}}},
	{"project-column", 2.5, [][2]int{{3600, 2400}, {2400, 3600}, {3200, 2133}, {2000, 3000}, {6000, 1500}}},
	{"portraits-only", 3.7, [][2]int{{2000, 3000}, {2000, 3000}, {1080, 1350}, {2000, 3000}, {2000, 3000}, {1080, 1350}, {2000, 3000}}},
	{"one-panorama", 3.7, [][2]int{{8000, 1000}}},
	{"short-last-row", 3.7, [][2]int{{3000, 2000}, {3000, 2000}, {3000, 2000}, {2000, 3000}}},
	{"broken-sizes", 2, [][2]int{{0, 0}, {1200, 800}, {-5, 10}}},
}

// TestJustifyGolden checks the row breaks of known sets of photos against testdata/justify.golden
// (go test -update rewrites it): a change of the layout's rule shows as a diff to review.
func TestJustifyGolden(t *testing.T) {
	var b strings.Builder
	for _, set := range justifySets {
		ratios := make([]float64, len(set.sizes))
		fmt.Fprintf(&b, "# %s, target %s\n", set.name, Ratio(set.target))
		for i, s := range set.sizes {
			ratios[i] = float64(s[0]) / float64(s[1])
			fmt.Fprintf(&b, "%d: %dx%d\n", i, s[0], s[1])
		}
		for _, r := range Justify(ratios, set.target) {
			b.WriteString(r.String() + "\n")
		}
		b.WriteString("\n")
	}
	path := filepath.Join("testdata", "justify.golden")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test -update creates it)", err)
	}
	if b.String() != string(want) {
		t.Errorf("row breaks differ from %s (go test -update rewrites it; review the diff):\n--- got\n%s\n--- want\n%s", path, b.String(), want)
	}
}

// TestJustifyInvariants checks what holds for any list: every photo in exactly one row, in order;
// only the last row may have a fill, and a filled row is exactly as wide as the target.
func TestJustifyInvariants(t *testing.T) {
	for n := 0; n < 40; n++ {
		ratios := make([]float64, n)
		for i := range ratios {
			ratios[i] = []float64{1.5, 0.6667, 1.3333, 0.8, 4, 1, 1.7778}[(i*5+n)%7]
		}
		for _, target := range []float64{1.5, 2.5, 3.7, 6} {
			rows := Justify(ratios, target)
			next := 0
			for i, r := range rows {
				if r.Start != next || r.End <= r.Start {
					t.Fatalf("n=%d target=%v: row %d is [%d,%d), want it to start at %d", n, target, i, r.Start, r.End, next)
				}
				next = r.End
				sum := 0.0
				for _, x := range ratios[r.Start:r.End] {
					sum += x
				}
				if math.Abs(sum-r.Sum) > 1e-9 {
					t.Errorf("n=%d: row %d sum %v, want %v", n, i, r.Sum, sum)
				}
				if r.Fill != 0 && (i != len(rows)-1 || math.Abs(r.Sum+r.Fill-target) > 1e-9) {
					t.Errorf("n=%d target=%v: row %d of %d has fill %v with sum %v", n, target, i, len(rows), r.Fill, r.Sum)
				}
			}
			if next != n {
				t.Fatalf("n=%d target=%v: rows end at %d", n, target, next)
			}
		}
	}
}

func TestRatio(t *testing.T) {
	for x, want := range map[float64]string{1.5: "1.5", 2.0 / 3: "0.6667", 4: "4", 1.77777: "1.7778", 0.00001: "0"} {
		if got := Ratio(x); got != want {
			t.Errorf("Ratio(%v) = %q, want %q", x, got, want)
		}
	}
}
