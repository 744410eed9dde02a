package media

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Row is one row of a justified layout: the items [Start, End) of the list, shown side by side at one
// height, each as wide as its aspect ratio makes it.
type Row struct {
	Start, End int
	// Sum is the sum of the items' aspect ratios: a row of width W (gaps aside) is W/Sum high.
	Sum float64
	// Fill is the aspect ratio of the empty space that ends a last row too short to fill the width at
	// the target height, so that it is not stretched; 0 for a full row.
	Fill float64
}

// Justify breaks a list of photos of the given aspect ratios (width / height) into rows of equal height
// whose widths follow the photos, as Flickr or 500px lay them out: no photo is cropped. target is the
// ideal sum of the aspect ratios of a row, the width of the list divided by the ideal row height (a
// 1,100 px wide list with rows about 300 px high: 3.7).
//
// The breaks minimise, over all rows, the squared logarithm of each row's height over the ideal one, so
// that a row twice too high costs as much as one half as high; the last row costs nothing when it is
// shorter than the target, and is then not stretched (see Row.Fill). A ratio that is not a positive
// finite number counts as 1 (a square). The result depends on the ratios and target only.
func Justify(ratios []float64, target float64) []Row {
	n := len(ratios)
	if n == 0 {
		return nil
	}
	if !(target > 0) || math.IsInf(target, 0) {
		target = 1
	}
	r := make([]float64, n)
	for i, x := range ratios {
		if !(x > 0) || math.IsInf(x, 0) {
			x = 1
		}
		r[i] = x
	}
	// best[i] is the least cost of laying out the first i photos; from[i] where its last row starts.
	best := make([]float64, n+1)
	from := make([]int, n+1)
	for i := 1; i <= n; i++ {
		best[i] = math.Inf(1)
		sum := 0.0
		for j := i - 1; j >= 0; j-- {
			sum += r[j]
			// A row three times wider than the target is never the best choice once it holds two or
			// more photos: stopping here keeps the search linear in practice.
			if sum > 3*target && j < i-1 {
				break
			}
			c := rowCost(sum, target, i == n)
			if b := best[j] + c; b < best[i] {
				best[i], from[i] = b, j
			}
		}
	}
	var rows []Row
	for i := n; i > 0; i = from[i] {
		sum := 0.0
		for _, x := range r[from[i]:i] {
			sum += x
		}
		row := Row{Start: from[i], End: i, Sum: sum}
		if i == n && sum < target {
			row.Fill = target - sum
		}
		rows = append(rows, row)
	}
	for i, j := 0, len(rows)-1; i < j; i, j = i+1, j-1 {
		rows[i], rows[j] = rows[j], rows[i]
	}
	return rows
}

// rowCost is the cost of a row whose ratios add up to sum: the squared logarithm of its height over
// the target height. A last row shorter than the target is shown at the target height: no cost.
func rowCost(sum, target float64, last bool) float64 {
	if last && sum <= target {
		return 0
	}
	d := math.Log(target / sum)
	return d * d
}

// Ratio formats an aspect ratio for CSS (a flex-grow, an aspect-ratio): four decimals, no trailing
// zeros, the same bytes on every machine.
func Ratio(x float64) string {
	s := strconv.FormatFloat(x, 'f', 4, 64)
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}

// String writes the rows as the golden files show them: one row a line, its items' indexes, its
// height for a list 1,000 units wide and its fill.
func (r Row) String() string {
	var b strings.Builder
	for i := r.Start; i < r.End; i++ {
		if i > r.Start {
			b.WriteByte(' ')
		}
		b.WriteString(strconv.Itoa(i))
	}
	h := 1000 / (r.Sum + r.Fill)
	fmt.Fprintf(&b, " | height %.1f", h)
	if r.Fill > 0 {
		fmt.Fprintf(&b, " | fill %s", Ratio(r.Fill))
	}
	return b.String()
}
