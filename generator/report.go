package generator

import (
	"cmp"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/vitrine-ssg/vitrine/generator/model"
)

// Report sums a build up for someone who comes from another generator: the pages built, by kind, and
// those the build left something out of (a shortcode it does not know), by kind and by feature.
type Report struct {
	Built       map[model.Kind]int
	Unsupported map[model.Kind]int // pages with at least one notice
	Features    map[string]int     // feature → uses
	Notices     []SourceNotice     // every notice, by file and line
}

// SourceNotice is a notice with the file it is in.
type SourceNotice struct {
	File string
	model.Notice
}

func (n SourceNotice) String() string {
	if n.Line == 0 {
		return fmt.Sprintf("%s: warning: %s", n.File, n.Msg)
	}
	return fmt.Sprintf("%s:%d: warning: %s", n.File, n.Line, n.Msg)
}

// NewReport reads the report of a built site.
func NewReport(site *model.Site) *Report {
	r := &Report{Built: map[model.Kind]int{}, Unsupported: map[model.Kind]int{}, Features: map[string]int{}}
	for _, p := range site.Pages {
		r.Built[p.Kind]++
		if len(p.Unsupported) == 0 {
			continue
		}
		r.Unsupported[p.Kind]++
		for _, n := range p.Unsupported {
			r.Features[n.Feature]++
			r.Notices = append(r.Notices, SourceNotice{File: p.Source, Notice: n})
		}
	}
	slices.SortFunc(r.Notices, func(a, b SourceNotice) int {
		return cmp.Or(strings.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line), strings.Compare(a.Msg, b.Msg))
	})
	return r
}

// WriteSummary writes the counts: pages built by kind, pages with features left out by kind, and the
// features by number of uses.
func (r *Report) WriteSummary(w io.Writer) {
	fmt.Fprintf(w, "Pages built: %s, each list once (its pages 2, 3… not counted)\n", counts(r.Built))
	if len(r.Notices) == 0 {
		fmt.Fprintln(w, "Pages with features left out: none")
		return
	}
	fmt.Fprintf(w, "Pages with features left out: %s\n", counts(r.Unsupported))
	features := slices.Sorted(maps.Keys(r.Features))
	slices.SortStableFunc(features, func(a, b string) int { return cmp.Compare(r.Features[b], r.Features[a]) })
	for _, f := range features {
		uses := "uses"
		if r.Features[f] == 1 {
			uses = "use"
		}
		fmt.Fprintf(w, "  %s: %d %s\n", f, r.Features[f], uses)
	}
}

// counts writes "12 (article 10, page 2)".
func counts(m map[model.Kind]int) string {
	total := 0
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(m)) {
		total += m[k]
		parts = append(parts, fmt.Sprintf("%s %d", k, m[k]))
	}
	return fmt.Sprintf("%d (%s)", total, strings.Join(parts, ", "))
}
