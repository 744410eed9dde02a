// Package cards draws social cards: the PNG images shown when a page is shared (OpenGraph, Twitter card,
// Instagram), with the page's title, a kicker line, the author and the site name on the theme's colours.
//
// A card is drawn with golang.org/x/image and the Go fonts, which cover French fully (œ, « », ’, …,
// capitals with accents). Characters a font lacks fall back gracefully: spaces become spaces (a narrow
// no-break space stays narrow), hyphens become "-", a letter loses the accents the font lacks (ễ → ê),
// compatibility characters become their plain letters (ｆ → f), and what remains (emoji, scripts the
// font does not cover) is left out rather than drawn as empty boxes.
//
// A card is cheap, about 1.5 ms of processor time at 1200×630 against 12 ms before (BenchmarkCard):
// everything but the kicker and the title (colour, accent shapes, footer) is drawn once per style and
// size and copied; glyphs are rasterised once per size and quarter-pixel position; edges are
// anti-aliased in 16 steps, which keeps a card within 256 colours, so it is written as a paletted PNG
// (one byte a pixel, no filter to choose), and the bands of rows the text leaves untouched are taken
// already compressed from the background. The author's photo is drawn with 80 colours (a median cut,
// with ordered dithering), so a card with it fits a palette too; a card that does not (a theme of
// unusual colours) is written in RGB, at several times the cost.
//
// Rendering is deterministic: the same Style and Card always give the same bytes, so a build can cache
// cards by Key and a rebuild only draws cards whose inputs changed (see Cache). The bytes are the same
// on every machine of one architecture; another architecture may round an anti-aliased edge differently
// (the compiler may fuse floating-point multiply-adds there), so a cache is best not shared across them.
package cards

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"sync/atomic"
)

// version is part of every Key. Bump it whenever a change to the drawing code changes the bytes of a
// card, so caches built by older versions are not reused.
const version = "cards/2"

// The sizes of the two cards a site needs.
const (
	OpenGraphWidth, OpenGraphHeight = 1200, 630  // og:image, Twitter summary_large_image
	SquareWidth, SquareHeight       = 1080, 1080 // Instagram
)

// maxSide bounds a card's width and height, so a typo cannot allocate gigabytes.
const maxSide = 4096

// Style is the look of a card: the theme's colours (CSS hex like "#1d3557"), the site name, the author.
// An empty colour takes a default (white background, near-black text, a deep blue accent).
type Style struct {
	Background, Foreground, Accent string
	SiteName                       string
	AuthorName                     string
	// AuthorPhoto holds the JPEG or PNG bytes of the author's photo, or nil: then the author's initials
	// are drawn in a circle. A JPEG's EXIF orientation is honoured.
	AuthorPhoto []byte
}

// Card is one card to draw.
type Card struct {
	Title  string
	Kicker string // small line above the title, e.g. "Article · 14 mars 2026" or "Événement · 5 décembre 2026"
	// Width and Height are in pixels: 1200×630 (OpenGraph) or 1080×1080 (Instagram square). A card
	// wider than tall gets the landscape layout, any other the square one; both scale with the size.
	Width, Height int
}

// renders counts calls to Render; tests read it to tell a cache hit from a redraw.
var renders atomic.Int64

// Render draws the card as PNG. The same inputs give the same bytes: nothing depends on the time or on
// map order.
func Render(style Style, card Card) ([]byte, error) {
	renders.Add(1)
	if card.Width <= 0 || card.Height <= 0 || card.Width > maxSide || card.Height > maxSide {
		return nil, fmt.Errorf("cards: size %d×%d: width and height must be between 1 and %d", card.Width, card.Height, maxSide)
	}
	pal, err := newPalette(style)
	if err != nil {
		return nil, err
	}
	img, bg, err := paint(style, card, pal)
	if err != nil {
		return nil, err
	}
	data, err := encodeCanvas(img, bg)
	img.release()
	if err != nil {
		return nil, fmt.Errorf("cards: encode png: %w", err)
	}
	return data, nil
}

// Key is a hash of everything that affects the bytes of the card (the style including the photo's bytes,
// the card, and the version of the drawing code), in hex. Equal keys mean equal PNGs.
func Key(style Style, card Card) string {
	h := sha256.New()
	var n [binary.MaxVarintLen64]byte
	field := func(b []byte) {
		h.Write(n[:binary.PutUvarint(n[:], uint64(len(b)))])
		h.Write(b)
	}
	var photo [sha256.Size]byte // no photo, nil or empty alike: initials
	if len(style.AuthorPhoto) > 0 {
		photo = sha256.Sum256(style.AuthorPhoto)
	}
	for _, s := range []string{version, style.Background, style.Foreground, style.Accent, style.SiteName,
		style.AuthorName, card.Title, card.Kicker} {
		field([]byte(s))
	}
	field(photo[:])
	field(binary.BigEndian.AppendUint64(nil, uint64(int64(card.Width))))
	field(binary.BigEndian.AppendUint64(nil, uint64(int64(card.Height))))
	return hex.EncodeToString(h.Sum(nil))
}

// errNoFont is returned if the bundled fonts cannot be parsed, which only a broken build can cause.
var errNoFont = errors.New("cards: parse bundled fonts")
