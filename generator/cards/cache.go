package cards

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"os"
	"path/filepath"

	"github.com/vitrine-ssg/vitrine/generator/output"
)

// Cache stores rendered cards in a folder, one file per Key (e.g. SITE/.vitrine/cache/cards/KEY.png),
// so a rebuild only draws the cards whose inputs changed. An empty Dir disables it.
//
// It is safe for concurrent use, also by several processes: an entry is written to a temporary file and
// renamed into place, so a reader sees a whole file or none. An entry that is unreadable, truncated or
// corrupt is drawn again and replaced. Nothing is ever removed: deleting the folder empties the cache.
type Cache struct{ Dir string }

// Get returns the card's PNG from the cache, or renders and stores it.
func (c Cache) Get(style Style, card Card) ([]byte, error) {
	if c.Dir == "" {
		return Render(style, card)
	}
	path := filepath.Join(c.Dir, Key(style, card)+".png")
	if data, err := os.ReadFile(path); err == nil && validPNG(data, card.Width, card.Height) {
		return data, nil
	}
	data, err := Render(style, card)
	if err != nil {
		return nil, err
	}
	if err := output.WriteAtomic(path, data); err != nil {
		return nil, fmt.Errorf("cards: cache: %w", err)
	}
	return data, nil
}

// File returns the name, within Dir, of the file holding the card's PNG, drawing and storing it first
// when the cache has none: a build that copies it from there (and a writer that knows the copy is
// already in place) need not read it at all. When it drew the card, it returns its bytes too, which
// spares the build reading back the file it just wrote; else data is nil. Entries are written whole
// (see output.WriteAtomic); one found here is not checked as Get checks it. File must not be used with
// an empty Dir.
func (c Cache) File(style Style, card Card) (name string, data []byte, err error) {
	name = Key(style, card) + ".png"
	if st, err := os.Stat(filepath.Join(c.Dir, name)); err == nil && st.Mode().IsRegular() && st.Size() > 0 {
		return name, nil, nil
	}
	if data, err = c.Get(style, card); err != nil {
		return "", nil, err
	}
	return name, data, nil
}

var pngSignature = []byte("\x89PNG\r\n\x1a\n")

// validPNG checks a cache entry without decoding its pixels: the PNG signature, every chunk's length and
// CRC, an IHDR of the expected size first and an IEND last. That catches truncated and damaged files
// for a fraction of the cost of decoding them.
func validPNG(data []byte, width, height int) bool {
	if !bytes.HasPrefix(data, pngSignature) {
		return false
	}
	data = data[len(pngSignature):]
	first := true
	for len(data) >= 12 {
		n := binary.BigEndian.Uint32(data)
		if uint64(n)+12 > uint64(len(data)) {
			return false
		}
		chunk := data[4 : 8+n] // type and contents, what the CRC covers
		if crc32.ChecksumIEEE(chunk) != binary.BigEndian.Uint32(data[8+n:]) {
			return false
		}
		typ, body := string(chunk[:4]), chunk[4:]
		if first {
			if typ != "IHDR" || len(body) < 8 ||
				binary.BigEndian.Uint32(body) != uint32(width) || binary.BigEndian.Uint32(body[4:]) != uint32(height) {
				return false
			}
			first = false
		}
		data = data[12+n:]
		if typ == "IEND" {
			return len(data) == 0
		}
	}
	return false
}
