package media

import (
	"bytes"
	"encoding/binary"
	"errors"

	"github.com/vitrine-ssg/vitrine/generator/media/exif"
)

func isJPEG(data []byte) bool { return bytes.HasPrefix(data, []byte("\xFF\xD8\xFF")) }

// Strip returns an image file without its metadata, its pixels untouched: a JPEG without its EXIF, XMP,
// IPTC and comment segments (the colour profile and Adobe colour transform stay), with keep's tags
// written back; a PNG without its text, EXIF and time chunks; a WebP without its EXIF and XMP chunks.
// Other files are returned as they are.
func Strip(data []byte, keep exif.Fields) ([]byte, error) {
	switch {
	case isJPEG(data):
		return stripJPEG(data, keep)
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		return stripPNG(data)
	case len(data) >= 12 && string(data[:4]) == "RIFF" && string(data[8:12]) == "WEBP":
		return stripWebP(data)
	}
	return data, nil
}

var errTruncated = errors.New("truncated image file")

func stripJPEG(data []byte, keep exif.Fields) ([]byte, error) {
	out := make([]byte, 0, len(data))
	out = append(out, data[:2]...)
	i := 2
	for {
		if i+4 > len(data) || data[i] != 0xFF {
			return nil, errTruncated
		}
		m := data[i+1]
		if m == 0xFF { // fill byte
			i++
			continue
		}
		if m == 0xDA { // start of scan: the rest is image data
			return exif.Insert(append(out, data[i:]...), exif.Build(keep)), nil
		}
		n := int(binary.BigEndian.Uint16(data[i+2:]))
		if n < 2 || i+2+n > len(data) {
			return nil, errTruncated
		}
		seg := data[i : i+2+n]
		body := seg[4:]
		drop := m == 0xFE || // comment
			m >= 0xE1 && m <= 0xEF && // application segments but the colour ones
				!(m == 0xE2 && bytes.HasPrefix(body, []byte("ICC_PROFILE\x00"))) &&
				!(m == 0xEE && bytes.HasPrefix(body, []byte("Adobe")))
		if !drop {
			out = append(out, seg...)
		}
		i += 2 + n
	}
}

func stripPNG(data []byte) ([]byte, error) {
	out := append([]byte(nil), data[:8]...)
	for i := 8; i < len(data); {
		if i+12 > len(data) {
			return nil, errTruncated
		}
		n := int(binary.BigEndian.Uint32(data[i:]))
		if n < 0 || i+12+n > len(data) {
			return nil, errTruncated
		}
		switch string(data[i+4 : i+8]) {
		case "tEXt", "zTXt", "iTXt", "eXIf", "tIME":
		default:
			out = append(out, data[i:i+12+n]...)
		}
		i += 12 + n
	}
	return out, nil
}

func stripWebP(data []byte) ([]byte, error) {
	out := append([]byte(nil), data[:12]...)
	for i := 12; i < len(data); {
		if i+8 > len(data) {
			return nil, errTruncated
		}
		n := int(binary.LittleEndian.Uint32(data[i+4:]))
		end := i + 8 + n + n%2
		if n < 0 || end > len(data) {
			return nil, errTruncated
		}
		chunk := data[i:end]
		switch string(chunk[:4]) {
		case "EXIF", "XMP ":
		case "VP8X":
			c := append([]byte(nil), chunk...)
			if len(c) > 8 {
				c[8] &^= 0x08 | 0x04 // EXIF and XMP flags
			}
			out = append(out, c...)
		default:
			out = append(out, chunk...)
		}
		i = end
	}
	binary.LittleEndian.PutUint32(out[4:], uint32(len(out)-8))
	return out, nil
}
