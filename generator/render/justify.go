package render

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/vitrine-ssg/vitrine/generator/media"
	"github.com/vitrine-ssg/vitrine/generator/model"
)

// JustifiedRow is one row of a justified layout (see media.Justify) as templates see it. A theme writes
// each row as a flex container whose items grow by their Ratio from a zero basis: they share the row's
// width in proportion to their aspect ratios, so that they are all as high, whatever the width.
type JustifiedRow struct {
	Items []JustifiedItem
	// Fill is the flex-grow of an empty item that ends a last row too short to fill the width, so
	// that its photos keep the others' height rather than grow; "" for a full row.
	Fill string
}

// JustifiedItem is one photo of a row: a gallery's picture, or a page shown by its cover.
type JustifiedItem struct {
	Index   int // in the list given to justify
	Picture *model.Picture
	Page    *PageView
	Ratio   string // width / height, for CSS: "1.5"
	// Share is the part of the row's width the item takes, for the sizes of its picture: "0.375".
	Share string
}

// defaultRatio is the aspect ratio given to a page without a cover of known size: a 3:2 frame.
const defaultRatio = 1.5

// justify lays out a list of pictures ([]*model.Picture) or of pages ([]*PageView, by their covers)
// in justified rows whose aspect ratios add up to about target (the list's width over the ideal row
// height).
func justify(list any, target float64) ([]JustifiedRow, error) {
	var items []JustifiedItem
	var ratios []float64
	switch l := list.(type) {
	case []*model.Picture:
		for i, p := range l {
			r := ratioOf(p.Width, p.Height)
			items, ratios = append(items, JustifiedItem{Index: i, Picture: p}), append(ratios, r)
		}
	case []*PageView:
		for i, p := range l {
			r := defaultRatio
			switch {
			case p.Cover != nil:
				r = ratioOf(p.Cover.Width, p.Cover.Height)
			case p.Share != nil && p.Share.Width > 0 && p.Share.Height > 0:
				r = ratioOf(p.Share.Width, p.Share.Height)
			}
			items, ratios = append(items, JustifiedItem{Index: i, Page: p}), append(ratios, r)
		}
	case nil:
		return nil, nil
	default:
		return nil, fmt.Errorf("justify: give a gallery or a list of pages, not %T", list)
	}
	var rows []JustifiedRow
	for _, r := range media.Justify(ratios, target) {
		row := JustifiedRow{Items: items[r.Start:r.End]}
		for i := range row.Items {
			row.Items[i].Ratio = media.Ratio(ratios[r.Start+i])
			row.Items[i].Share = media.Ratio(ratios[r.Start+i] / (r.Sum + r.Fill))
		}
		if r.Fill > 0 {
			row.Fill = media.Ratio(r.Fill)
		}
		rows = append(rows, row)
	}
	return rows, nil
}

func ratioOf(w, h int) float64 {
	if w <= 0 || h <= 0 {
		return defaultRatio
	}
	return float64(w) / float64(h)
}

// cropRatio reads [params] crop, the aspect ratio ("4:3") to which a site asks lists and galleries to
// cut their photos, as CSS writes it ("4 / 3"); "" when the site keeps photos whole.
func cropRatio(params map[string]any) (string, error) {
	v, ok := params["crop"]
	if !ok {
		return "", nil
	}
	s, _ := v.(string)
	if s == "" || s == "none" || s == "false" {
		if b, isBool := v.(bool); isBool && b {
			return "", fmt.Errorf(`vitrine.toml: [params] crop = true: give the ratio to crop to, like crop = "4:3"`)
		}
		return "", nil
	}
	w, h, ok := strings.Cut(s, ":")
	a, errA := strconv.Atoi(strings.TrimSpace(w))
	b, errB := strconv.Atoi(strings.TrimSpace(h))
	if !ok || errA != nil || errB != nil || a <= 0 || b <= 0 || a > 100 || b > 100 {
		return "", fmt.Errorf(`vitrine.toml: [params] crop = %q: give WIDTH:HEIGHT like "4:3" or "1:1" (or remove it to show photos whole)`, s)
	}
	return strconv.Itoa(a) + " / " + strconv.Itoa(b), nil
}

// homeSections are the blocks a home page may show, in the default order.
var homeSections = []string{"services", "posts", "projects", "events"}

// readHomeSections reads [params] home, the blocks of the home page in their order
// (["projects", "services", "posts", "events"]); the default order when it is not set.
func readHomeSections(params map[string]any) ([]string, error) {
	v, ok := params["home"]
	if !ok {
		return homeSections, nil
	}
	list, ok := v.([]any)
	if !ok {
		return nil, fmt.Errorf(`vitrine.toml: [params] home: give a list of blocks, like home = ["projects", "services", "posts", "events"]`)
	}
	out := make([]string, 0, len(list))
	for _, e := range list {
		s, _ := e.(string)
		if !slices.Contains(homeSections, s) {
			return nil, fmt.Errorf(`vitrine.toml: [params] home: %v is not a block of the home page: choose among "services", "posts", "projects" and "events"`, e)
		}
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out, nil
}
