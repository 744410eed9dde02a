package cards

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// testPhoto returns a JPEG of w×h pixels: a gradient with a dark disc in the middle, like a portrait.
func testPhoto(t testing.TB, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			c := color.RGBA{uint8(200 * x / w), uint8(120 + 100*y/h), 180, 255}
			if dx, dy := x-w/2, y-h/2; dx*dx+dy*dy < (min(w, h)/4)*(min(w, h)/4) {
				c = color.RGBA{60, 40, 30, 255}
			}
			img.SetRGBA(x, y, c)
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 85}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

var (
	longTitle = "Été à Lyon : comment photographier la lumière du soir sur la Saône sans trépied ni flash, même en hiver"
	baseStyle = Style{Background: "#fbf8f3", Foreground: "#221d17", Accent: "#a8411a",
		SiteName: "camille-roussel.example", AuthorName: "Camille Roussel"}
	og     = Card{Title: longTitle, Kicker: "Article · 14 mars 2026", Width: OpenGraphWidth, Height: OpenGraphHeight}
	square = Card{Title: longTitle, Kicker: "Événement · 5 décembre 2026", Width: SquareWidth, Height: SquareHeight}
)

// The tests that render run in parallel, after the tests that count renders (TestCache…) are done.

func TestRenderIsDeterministicAndSized(t *testing.T) {
	t.Parallel()
	withPhoto := baseStyle
	withPhoto.AuthorPhoto = testPhoto(t, 300, 200)
	for _, c := range []struct {
		style Style
		card  Card
	}{{withPhoto, og}, {withPhoto, square}, {baseStyle, og}, {Style{}, square}} {
		style, card := c.style, c.card
		{
			name := fmt.Sprintf("%dx%d photo=%v", card.Width, card.Height, style.AuthorPhoto != nil)
			a, err := Render(style, card)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			b, err := Render(style, card)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if !bytes.Equal(a, b) {
				t.Errorf("%s: two renders differ", name)
			}
			img, err := png.Decode(bytes.NewReader(a))
			if err != nil {
				t.Fatalf("%s: decode: %v", name, err)
			}
			if got := img.Bounds().Size(); got != image.Pt(card.Width, card.Height) {
				t.Errorf("%s: size %v", name, got)
			}
		}
	}
}

func TestRenderConcurrently(t *testing.T) {
	t.Parallel()
	style := baseStyle
	style.AuthorPhoto = testPhoto(t, 120, 160)
	want, err := Render(style, og)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			got, err := Render(style, og)
			if err != nil || !bytes.Equal(got, want) {
				t.Errorf("concurrent render differs (err %v)", err)
			}
		})
	}
	wg.Wait()
}

func TestRenderErrors(t *testing.T) {
	for name, c := range map[string]struct {
		style Style
		card  Card
		want  string
	}{
		"no size":      {baseStyle, Card{Title: "x"}, "size 0×0"},
		"huge":         {baseStyle, Card{Title: "x", Width: 100000, Height: 10}, "between 1 and"},
		"bad colour":   {Style{Background: "navy"}, og, `background colour: "navy" is not a CSS hex colour`},
		"bad hex":      {Style{Accent: "#12345g"}, og, "accent colour"},
		"broken photo": {Style{AuthorPhoto: []byte("not an image")}, og, "author photo"},
	} {
		_, err := Render(c.style, c.card)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want it to contain %q", name, err, c.want)
		}
	}
}

// titleOf lays out a card's title in the box the card gives it.
func titleOf(t *testing.T, style Style, card Card) (titleLayout, titleBox) {
	t.Helper()
	fs, err := fonts()
	if err != nil {
		t.Fatal(err)
	}
	box := newFrame(fs, style, card).title
	return layoutTitle(fs.bold, card.Title, box), box
}

// checkFits fails the test if a line is wider than the box or the lines overflow it.
func checkFits(t *testing.T, lay titleLayout, box titleBox) {
	t.Helper()
	if len(lay.lines) == 0 || len(lay.lines) > box.maxLines {
		t.Fatalf("%d lines, want 1 to %d: %q", len(lay.lines), box.maxLines, lay.lines)
	}
	if lay.face.size < box.minSize-0.001 || lay.face.size > box.maxSize+0.001 {
		t.Errorf("size %.1f outside [%.1f, %.1f]", lay.face.size, box.minSize, box.maxSize)
	}
	for _, line := range lay.lines {
		if w := fromFixed(lay.face.measure(line)); w > box.width {
			t.Errorf("line %q is %.1f px wide, box %.1f", line, w, box.width)
		}
	}
	if h := float64(len(lay.lines)-1)*lay.lineHeight + lay.face.size; h > box.height {
		t.Errorf("%d lines take %.1f px, box %.1f", len(lay.lines), h, box.height)
	}
}

func TestLongFrenchTitleFits(t *testing.T) {
	for _, card := range []Card{og, square} {
		lay, box := titleOf(t, baseStyle, card)
		checkFits(t, lay, box)
		if got := strings.Join(lay.lines, " "); got != longTitle {
			t.Errorf("%dx%d: lines %q lose words of the title", card.Width, card.Height, lay.lines)
		}
		for _, line := range lay.lines {
			if strings.HasPrefix(line, ":") {
				t.Errorf("line %q starts with a colon", line)
			}
		}
		t.Logf("%dx%d: %.0f px, %q", card.Width, card.Height, lay.face.size, lay.lines)
	}
	// A short title takes the largest size.
	short := og
	short.Title = "Bonjour"
	if lay, box := titleOf(t, baseStyle, short); lay.face.size != box.maxSize || len(lay.lines) != 1 {
		t.Errorf("short title: %.1f px, %d lines", lay.face.size, len(lay.lines))
	}
}

func TestTooLongTitleIsCut(t *testing.T) {
	card := og
	card.Title = strings.Repeat("Une phrase qui continue encore et encore, ", 20)
	lay, box := titleOf(t, baseStyle, card)
	checkFits(t, lay, box)
	if lay.face.size != box.minSize {
		t.Errorf("size %.1f, want the minimum %.1f", lay.face.size, box.minSize)
	}
	if last := lay.lines[len(lay.lines)-1]; !strings.HasSuffix(last, "…") {
		t.Errorf("last line %q has no ellipsis", last)
	}
}

func TestLongWordIsBroken(t *testing.T) {
	card := og
	card.Title = "Anticonstitutionnellement" + strings.Repeat("extraordinairement", 3) + " fin"
	lay, box := titleOf(t, baseStyle, card)
	checkFits(t, lay, box)
	if len(lay.lines) < 2 || !strings.HasSuffix(lay.lines[0], "-") {
		t.Errorf("lines %q: want the word cut with a hyphen", lay.lines)
	}
}

func TestOddSizes(t *testing.T) {
	t.Parallel()
	for _, size := range []image.Point{{1, 1}, {300, 8}, {8, 300}, {2400, 1260}} {
		card := Card{Title: longTitle, Kicker: "Article", Width: size.X, Height: size.Y}
		data, err := Render(baseStyle, card)
		if err != nil {
			t.Fatalf("%v: %v", size, err)
		}
		if w, h, err := Size(data); err != nil || w != size.X || h != size.Y {
			t.Errorf("%v: got %d×%d, %v", size, w, h, err)
		}
	}
}

// FuzzLayoutTitle checks that whatever the title, its lines fit the box.
func FuzzLayoutTitle(f *testing.F) {
	for _, s := range []string{longTitle, "", " ", "a", strings.Repeat("x", 300), "« » : ; ! ?", "\u202f\u00a0🎉",
		strings.Repeat("mot ", 200)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, title string) {
		card := og
		card.Title = title
		lay, box := titleOf(t, baseStyle, card)
		if prepare(lay.face.font, title) == "" {
			return
		}
		checkFits(t, lay, box)
	})
}

func TestPrepare(t *testing.T) {
	fs, err := fonts()
	if err != nil {
		t.Fatal(err)
	}
	for in, want := range map[string]string{
		"œ « » ’ … É Ç":                   "œ « » ’ … É Ç", // the Go fonts have them
		"«\u202fÇa\u00a0va\u202f?\u202f»": "«\u202fÇa\u00a0va\u202f?\u202f»",
		"Cafe\u0301":                      "Café",          // decomposed accents are composed
		"ｆｉｎ\u2011de\u2011saison":         "fin-de-saison", // fullwidth letters, no-break hyphens
		"Nguyễn":                          "Nguyên",        // a letter the font lacks keeps the accents it has
		"Fête 🎉 ici":                      "Fête ici",
		"  a\tb\n c\u200b ":               "a b c",
		"bad \xff utf8":                   "bad utf8",
	} {
		if got := prepare(fs.bold, in); got != want {
			t.Errorf("prepare(%q) = %q, want %q", in, got, want)
		}
	}
	// Every rune French needs has a glyph in every font we draw with.
	var buf [1]byte
	_ = buf
	for _, f := range []struct {
		name string
		font *fontSet
	}{{"go", fs}} {
		for _, r := range "œŒ«»’…ÉÈÊËÀÂÎÏÔÛÙÜŸÇæÆ€\u00a0" {
			for _, ff := range []*textFace{newFace(f.font.bold, 20, 0), newFace(f.font.regular, 20, 0)} {
				if _, ok := ff.face.GlyphAdvance(r); !ok {
					t.Errorf("%s font lacks %q", f.name, r)
				}
			}
		}
	}
	// The narrow no-break space is drawn narrower than a space.
	face := newFace(fs.bold, 40, 0)
	if nn, sp := face.measure("a\u202fb"), face.measure("a b"); nn >= sp || nn <= face.measure("ab") {
		t.Errorf("narrow no-break space: %v, space %v", nn, sp)
	}
}

func TestBreakUnitsKeepsFrenchPunctuation(t *testing.T) {
	got := breakUnits("« Bonjour » dit-il : ça va ? Oui !")
	want := []string{"« Bonjour »", "dit-il :", "ça", "va ?", "Oui !"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("breakUnits = %q, want %q", got, want)
	}
}

func TestKickerContrast(t *testing.T) {
	p, err := newPalette(Style{Background: "#1d3557", Foreground: "#f1faee", Accent: "#457b9d"})
	if err != nil {
		t.Fatal(err)
	}
	if p.kicker != p.fg {
		t.Errorf("low-contrast accent kept for the kicker: %v", p.kicker)
	}
	p, err = newPalette(Style{Background: "#fff", Foreground: "#000", Accent: "#a8411a"})
	if err != nil {
		t.Fatal(err)
	}
	if p.kicker != p.accent {
		t.Errorf("readable accent replaced: %v", p.kicker)
	}
	if c := contrast(color.RGBA{0, 0, 0, 255}, color.RGBA{255, 255, 255, 255}); c < 20.9 || c > 21.1 {
		t.Errorf("contrast of black on white = %.2f, want 21", c)
	}
}

func TestKey(t *testing.T) {
	photo := testPhoto(t, 64, 64)
	style := baseStyle
	style.AuthorPhoto = photo
	base := Key(style, og)
	if len(base) != 64 || strings.Trim(base, "0123456789abcdef") != "" {
		t.Fatalf("key %q is not hex", base)
	}
	// The same inputs in fresh values give the same key.
	same := style
	same.AuthorPhoto = bytes.Clone(photo)
	if Key(same, og) != base {
		t.Error("key changed for equal inputs")
	}
	changed := map[string]func(*Style, *Card){
		"title":      func(_ *Style, c *Card) { c.Title += "!" },
		"kicker":     func(_ *Style, c *Card) { c.Kicker = "Projet" },
		"size":       func(_ *Style, c *Card) { c.Width, c.Height = SquareWidth, SquareHeight },
		"background": func(s *Style, _ *Card) { s.Background = "#ffffff" },
		"foreground": func(s *Style, _ *Card) { s.Foreground = "#000000" },
		"accent":     func(s *Style, _ *Card) { s.Accent = "#1d3557" },
		"site":       func(s *Style, _ *Card) { s.SiteName = "autre" },
		"author":     func(s *Style, _ *Card) { s.AuthorName = "Camille R." },
		"photo": func(s *Style, _ *Card) {
			s.AuthorPhoto = bytes.Clone(photo)
			s.AuthorPhoto[len(photo)/2] ^= 1
		},
		"no photo": func(s *Style, _ *Card) { s.AuthorPhoto = nil },
		// Fields must not run into each other.
		"shifted": func(s *Style, _ *Card) { s.SiteName, s.AuthorName = s.SiteName+s.AuthorName[:1], s.AuthorName[1:] },
	}
	for name, change := range changed {
		s, c := style, og
		change(&s, &c)
		if Key(s, c) == base {
			t.Errorf("key unchanged when the %s changes", name)
		}
	}
}

// small returns the card at a fifth of its size: the cache does not care, and the race detector is slow.
func small(c Card) Card {
	c.Width, c.Height = c.Width/5, c.Height/5
	return c
}

func TestCache(t *testing.T) {
	og, square := small(og), small(square)
	dir := filepath.Join(t.TempDir(), "cache", "cards")
	c := Cache{Dir: dir}
	path := filepath.Join(dir, Key(baseStyle, og)+".png")

	before := renders.Load()
	first, err := c.Get(baseStyle, og)
	if err != nil {
		t.Fatal(err)
	}
	if n := renders.Load() - before; n != 1 {
		t.Fatalf("first Get rendered %d times", n)
	}
	if stored, err := os.ReadFile(path); err != nil || !bytes.Equal(stored, first) {
		t.Fatalf("cache file: %v", err)
	}
	second, err := c.Get(baseStyle, og)
	if err != nil {
		t.Fatal(err)
	}
	if n := renders.Load() - before; n != 1 || !bytes.Equal(first, second) {
		t.Errorf("second Get rendered again (%d renders) or differs", n)
	}

	// Damaged entries are drawn again and replaced.
	for name, damage := range map[string][]byte{
		"garbage":   []byte("not a png"),
		"truncated": first[:len(first)/2],
		"bit flip":  flip(first, len(first)/2),
		"empty":     {},
		"wrong size": func() []byte {
			b, _ := Render(baseStyle, square)
			return b
		}(),
	} {
		if err := os.WriteFile(path, damage, 0o644); err != nil {
			t.Fatal(err)
		}
		before := renders.Load()
		got, err := c.Get(baseStyle, og)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if n := renders.Load() - before; n != 1 || !bytes.Equal(got, first) {
			t.Errorf("%s: %d renders, same bytes %v", name, n, bytes.Equal(got, first))
		}
		if stored, _ := os.ReadFile(path); !bytes.Equal(stored, first) {
			t.Errorf("%s: entry not replaced", name)
		}
	}
	// No temporary files are left behind.
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 {
		t.Errorf("cache folder holds %d files, want 1", len(entries))
	}

	// Concurrent Gets of new and cached cards agree.
	want := make([][]byte, 2)
	cards := make([]Card, 2)
	for i := range cards {
		cards[i] = og
		cards[i].Title = fmt.Sprintf("Carte %d", i)
		if want[i], err = Render(baseStyle, cards[i]); err != nil {
			t.Fatal(err)
		}
	}
	var wg sync.WaitGroup
	for i := range 6 {
		wg.Go(func() {
			got, err := c.Get(baseStyle, cards[i%2])
			if err != nil || !bytes.Equal(got, want[i%2]) {
				t.Errorf("concurrent Get %d: %v", i, err)
			}
		})
	}
	wg.Wait()
}

func TestCacheDisabled(t *testing.T) {
	og := small(og)
	before := renders.Load()
	for range 2 {
		got, err := Cache{}.Get(baseStyle, og)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := png.DecodeConfig(bytes.NewReader(got)); err != nil {
			t.Fatal(err)
		}
	}
	if n := renders.Load() - before; n != 2 {
		t.Errorf("Dir \"\" rendered %d times for 2 Gets, want 2", n)
	}
}

func TestCacheUnwritable(t *testing.T) {
	og := small(og)
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := (Cache{Dir: filepath.Join(file, "cards")}).Get(baseStyle, og); err == nil || !strings.Contains(err.Error(), "cards: cache") {
		t.Errorf("error %v", err)
	}
}

func flip(b []byte, i int) []byte {
	b = bytes.Clone(b)
	b[i] ^= 0x10
	return b
}

func TestSize(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 37, 21))
	var p, g bytes.Buffer
	if err := png.Encode(&p, img); err != nil {
		t.Fatal(err)
	}
	if err := gif.Encode(&g, img, nil); err != nil {
		t.Fatal(err)
	}
	rotated := withOrientation(t, testPhoto(t, 40, 30), 6)
	for name, c := range map[string]struct {
		data          []byte
		width, height int
	}{
		"jpeg":         {testPhoto(t, 300, 200), 300, 200},
		"png":          {p.Bytes(), 37, 21},
		"gif":          {g.Bytes(), 37, 21},
		"jpeg turned":  {rotated, 30, 40},
		"jpeg upright": {withOrientation(t, testPhoto(t, 40, 30), 1), 40, 30},
	} {
		w, h, err := Size(c.data)
		if err != nil || w != c.width || h != c.height {
			t.Errorf("%s: Size = %d, %d, %v; want %d, %d", name, w, h, err, c.width, c.height)
		}
	}
	if _, _, err := Size([]byte("<svg/>")); err == nil {
		t.Error("Size of SVG: no error")
	}
}

// withOrientation inserts an EXIF block with the given orientation after a JPEG's SOI marker.
func withOrientation(t testing.TB, jpg []byte, o uint16) []byte {
	t.Helper()
	var tiff bytes.Buffer
	tiff.WriteString("MM\x00\x2a")
	binary.Write(&tiff, binary.BigEndian, uint32(8))      // IFD0 offset
	binary.Write(&tiff, binary.BigEndian, uint16(1))      // one entry
	binary.Write(&tiff, binary.BigEndian, uint16(0x0112)) // Orientation
	binary.Write(&tiff, binary.BigEndian, uint16(3))      // SHORT
	binary.Write(&tiff, binary.BigEndian, uint32(1))      // count
	binary.Write(&tiff, binary.BigEndian, o)
	binary.Write(&tiff, binary.BigEndian, uint16(0))
	binary.Write(&tiff, binary.BigEndian, uint32(0)) // no next IFD
	seg := append([]byte("Exif\x00\x00"), tiff.Bytes()...)
	var out bytes.Buffer
	out.Write(jpg[:2])
	out.Write([]byte{0xFF, 0xE1})
	binary.Write(&out, binary.BigEndian, uint16(len(seg)+2))
	out.Write(seg)
	out.Write(jpg[2:])
	return out.Bytes()
}

func TestOrientedPhoto(t *testing.T) {
	// A photo dark on its left half, taken with the camera turned: EXIF 6 says to turn it a quarter
	// clockwise, which puts the dark half on top.
	img := image.NewRGBA(image.Rect(0, 0, 64, 64))
	for y := range 64 {
		for x := range 64 {
			v := uint8(240)
			if x < 32 {
				v = 20
			}
			img.SetRGBA(x, y, color.RGBA{v, v, v, 255})
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 95}); err != nil {
		t.Fatal(err)
	}
	got, err := scalePhoto(withOrientation(t, buf.Bytes(), 6), 32)
	if err != nil {
		t.Fatal(err)
	}
	if top, bottom := got.RGBAAt(16, 4).R, got.RGBAAt(16, 28).R; top > 60 || bottom < 200 {
		t.Errorf("turned photo: top %d, bottom %d; want dark on top", top, bottom)
	}
}

func BenchmarkRender(b *testing.B) {
	withPhoto := baseStyle
	withPhoto.AuthorPhoto = testPhoto(b, 400, 400)
	for _, c := range []struct {
		name  string
		style Style
		card  Card
	}{
		{"og", withPhoto, og},
		{"og-initials", baseStyle, og},
		{"square", withPhoto, square},
	} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := Render(c.style, c.card); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// cardTitles are titles of the length a blog's are, cycled through by BenchmarkCard so that each card
// draws other words, as a build does.
var cardTitles = []string{
	"Bonjour, Lyon !",
	"Comment j’ai réparé mon vélo cargo en une après-midi",
	"Été à Lyon : photographier la lumière du soir sur la Saône sans trépied",
	"Assemblée générale 2026 : le compte rendu, les votes et la suite",
	"Pourquoi nous avons quitté les réseaux sociaux (et ce qui a changé)",
	"Atelier « répare ton œuvre » : bilan d’une année de bénévolat",
	"Trois recettes d’hiver, simples et sans gaspillage",
	"Notes de lecture : « La Horde du Contrevent », vingt ans après",
}

func withPhoto(b *testing.B) Style {
	s := baseStyle
	s.AuthorPhoto = testPhoto(b, 400, 400)
	return s
}

// BenchmarkCard draws one card as a build draws them: the landscape card and the square one of a site
// without an author photo, and the landscape one with a photo, each time with another title. Besides ns/op it reports the processor time
// per card (cpu-ms/card, all threads: the garbage collector's share included, what a busy machine does
// not inflate) and the bytes per card.
func BenchmarkCard(b *testing.B) {
	for _, c := range []struct {
		name  string
		style Style
		card  Card
	}{{"og", baseStyle, og}, {"square", baseStyle, square}, {"og-photo", withPhoto(b), og}} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			var size, i int
			cpu := cpuTime()
			for b.Loop() {
				card := c.card
				card.Title = cardTitles[i%len(cardTitles)]
				i++
				data, err := Render(c.style, card)
				if err != nil {
					b.Fatal(err)
				}
				size += len(data)
			}
			b.ReportMetric(float64((cpuTime()-cpu).Microseconds())/1000/float64(i), "cpu-ms/card")
			b.ReportMetric(float64(size)/float64(i), "B/card")
		})
	}
}

func TestCacheFile(t *testing.T) {
	c := Cache{Dir: t.TempDir()}
	card := small(og)
	card.Title = "Un titre pour File"
	before := renders.Load()
	name, drawn, err := c.File(baseStyle, card)
	if err != nil {
		t.Fatal(err)
	}
	stored, err := os.ReadFile(filepath.Join(c.Dir, name))
	if err != nil || drawn == nil || !bytes.Equal(stored, drawn) {
		t.Fatalf("first File: %d bytes returned, the file %d bytes (err %v): want the card drawn, stored and returned", len(drawn), len(stored), err)
	}
	again, data, err := c.File(baseStyle, card)
	if err != nil || again != name || data != nil {
		t.Errorf("second File: %q, %d bytes, %v; want %q and no bytes: the card is in the cache", again, len(data), err, name)
	}
	if n := renders.Load() - before; n != 1 {
		t.Errorf("%d renders, want 1", n)
	}
}
