// Package exif reads and writes the little of EXIF that vitrine needs: a JPEG's orientation and the
// credit tags (artist, copyright) a site may choose to keep, and, for the demo site's sample photos, a
// segment holding an orientation and a GPS position.
//
// EXIF is a TIFF structure inside a JPEG APP1 segment that starts with "Exif\x00\x00". Only the first
// image file directory (IFD0) and the GPS directory it points to are read or written.
package exif

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math"
	"sort"
)

// Tags of IFD0 and of the GPS IFD.
const (
	TagOrientation = 0x0112
	TagArtist      = 0x013B
	TagCopyright   = 0x8298
	TagGPSIFD      = 0x8825

	tagGPSVersion   = 0x0000
	tagGPSLatRef    = 0x0001
	tagGPSLat       = 0x0002
	tagGPSLongRef   = 0x0003
	tagGPSLong      = 0x0004
	typeByte        = 1
	typeASCII       = 2
	typeShort       = 3
	typeLong        = 4
	typeRational    = 5
	exifHeader      = "Exif\x00\x00"
	jpegSOI         = "\xFF\xD8"
	markerAPP1      = 0xE1
	maxSegmentBytes = 0xFFFF - 2
)

// Info is what Read finds in IFD0.
type Info struct {
	// Orientation is 1 to 8 as EXIF defines it (1: as stored; 6: rotate 90° clockwise to display);
	// 0 when absent.
	Orientation int
	Artist      string
	Copyright   string
	// HasGPS reports a GPS directory.
	HasGPS bool
}

// Segment returns the payload of the first EXIF APP1 segment of a JPEG (starting at the TIFF header), or
// nil when there is none.
func Segment(jpeg []byte) []byte {
	if !bytes.HasPrefix(jpeg, []byte(jpegSOI)) {
		return nil
	}
	for i := 2; i+4 <= len(jpeg); {
		if jpeg[i] != 0xFF {
			return nil
		}
		m := jpeg[i+1]
		if m == 0xD8 || m >= 0xD0 && m <= 0xD7 || m == 0x01 {
			i += 2
			continue
		}
		if m == 0xDA || m == 0xD9 { // start of scan: no more metadata
			return nil
		}
		n := int(binary.BigEndian.Uint16(jpeg[i+2:]))
		if n < 2 || i+2+n > len(jpeg) {
			return nil
		}
		body := jpeg[i+4 : i+2+n]
		if m == markerAPP1 && bytes.HasPrefix(body, []byte(exifHeader)) {
			return body[len(exifHeader):]
		}
		i += 2 + n
	}
	return nil
}

// Read reads IFD0 of a JPEG's EXIF. A JPEG without EXIF gives a zero Info and no error.
func Read(jpeg []byte) (Info, error) {
	tiff := Segment(jpeg)
	if tiff == nil {
		return Info{}, nil
	}
	return ReadTIFF(tiff)
}

var errShort = errors.New("exif: truncated TIFF structure")

// ReadTIFF reads IFD0 of an EXIF TIFF structure.
func ReadTIFF(tiff []byte) (Info, error) {
	var info Info
	if len(tiff) < 8 {
		return info, errShort
	}
	var bo binary.ByteOrder
	switch string(tiff[:2]) {
	case "II":
		bo = binary.LittleEndian
	case "MM":
		bo = binary.BigEndian
	default:
		return info, errors.New("exif: not a TIFF structure")
	}
	off := int(bo.Uint32(tiff[4:]))
	if off < 8 || off+2 > len(tiff) {
		return info, errShort
	}
	n := int(bo.Uint16(tiff[off:]))
	if off+2+12*n > len(tiff) {
		return info, errShort
	}
	for k := range n {
		e := tiff[off+2+12*k:]
		tag, typ, count := bo.Uint16(e), bo.Uint16(e[2:]), int(bo.Uint32(e[4:]))
		switch tag {
		case TagOrientation:
			if typ == typeShort {
				info.Orientation = int(bo.Uint16(e[8:]))
			}
		case TagArtist, TagCopyright:
			if typ != typeASCII {
				continue
			}
			var s []byte
			if count <= 4 {
				s = e[8 : 8+count]
			} else if at := int(bo.Uint32(e[8:])); at >= 0 && at+count <= len(tiff) {
				s = tiff[at : at+count]
			}
			str := string(bytes.TrimRight(s, "\x00"))
			if tag == TagArtist {
				info.Artist = str
			} else {
				info.Copyright = str
			}
		case TagGPSIFD:
			info.HasGPS = true
		}
	}
	if info.Orientation < 1 || info.Orientation > 8 {
		info.Orientation = 0
	}
	return info, nil
}

// Fields are what Build writes. Zero values are left out.
type Fields struct {
	Orientation int
	Artist      string
	Copyright   string
	// GPS, when set, is a position in decimal degrees (north and east positive).
	GPS *[2]float64
}

// Build returns a JPEG APP1 segment (marker included) holding fields, or nil when they are all zero.
func Build(f Fields) []byte {
	type entry struct {
		tag, typ uint16
		count    uint32
		data     []byte // the value, padded into the entry when it fits in 4 bytes
	}
	bo := binary.BigEndian
	short := func(v int) []byte { return bo.AppendUint16(nil, uint16(v)) }
	ascii := func(s string) []byte { return append([]byte(s), 0) }
	var ifd0 []entry
	if f.Orientation != 0 {
		ifd0 = append(ifd0, entry{TagOrientation, typeShort, 1, short(f.Orientation)})
	}
	if f.Artist != "" {
		ifd0 = append(ifd0, entry{TagArtist, typeASCII, uint32(len(f.Artist) + 1), ascii(f.Artist)})
	}
	if f.Copyright != "" {
		ifd0 = append(ifd0, entry{TagCopyright, typeASCII, uint32(len(f.Copyright) + 1), ascii(f.Copyright)})
	}
	var gps []entry
	if f.GPS != nil {
		dms := func(deg float64) []byte {
			deg = math.Abs(deg)
			d := math.Floor(deg)
			m := math.Floor((deg - d) * 60)
			s := math.Round(((deg-d)*60 - m) * 60 * 100)
			var b []byte
			for _, v := range [][2]uint32{{uint32(d), 1}, {uint32(m), 1}, {uint32(s), 100}} {
				b = bo.AppendUint32(bo.AppendUint32(b, v[0]), v[1])
			}
			return b
		}
		lat, lon := f.GPS[0], f.GPS[1]
		latRef, lonRef := "N", "E"
		if lat < 0 {
			latRef = "S"
		}
		if lon < 0 {
			lonRef = "W"
		}
		gps = []entry{
			{tagGPSVersion, typeByte, 4, []byte{2, 3, 0, 0}},
			{tagGPSLatRef, typeASCII, 2, ascii(latRef)},
			{tagGPSLat, typeRational, 3, dms(lat)},
			{tagGPSLongRef, typeASCII, 2, ascii(lonRef)},
			{tagGPSLong, typeRational, 3, dms(lon)},
		}
		ifd0 = append(ifd0, entry{TagGPSIFD, typeLong, 1, nil}) // offset filled below
	}
	if len(ifd0) == 0 {
		return nil
	}
	sort.Slice(ifd0, func(i, j int) bool { return ifd0[i].tag < ifd0[j].tag })

	ifdSize := func(es []entry) int {
		n := 2 + 12*len(es) + 4
		for _, e := range es {
			if len(e.data) > 4 {
				n += len(e.data) + len(e.data)%2
			}
		}
		return n
	}
	gpsAt := 8 + ifdSize(ifd0)
	for i := range ifd0 {
		if ifd0[i].tag == TagGPSIFD {
			ifd0[i].data = bo.AppendUint32(nil, uint32(gpsAt))
		}
	}
	tiff := []byte("MM\x00\x2A\x00\x00\x00\x08")
	writeIFD := func(es []entry, at int) {
		extra := at + 2 + 12*len(es) + 4
		var tail []byte
		tiff = bo.AppendUint16(tiff, uint16(len(es)))
		for _, e := range es {
			tiff = bo.AppendUint16(tiff, e.tag)
			tiff = bo.AppendUint16(tiff, e.typ)
			tiff = bo.AppendUint32(tiff, e.count)
			if len(e.data) <= 4 {
				v := make([]byte, 4)
				copy(v, e.data)
				tiff = append(tiff, v...)
				continue
			}
			tiff = bo.AppendUint32(tiff, uint32(extra+len(tail)))
			tail = append(tail, e.data...)
			if len(e.data)%2 == 1 {
				tail = append(tail, 0)
			}
		}
		tiff = bo.AppendUint32(tiff, 0) // no next IFD
		tiff = append(tiff, tail...)
	}
	writeIFD(ifd0, 8)
	if gps != nil {
		writeIFD(gps, gpsAt)
	}
	payload := append([]byte(exifHeader), tiff...)
	if len(payload) > maxSegmentBytes {
		return nil
	}
	seg := []byte{0xFF, markerAPP1}
	seg = binary.BigEndian.AppendUint16(seg, uint16(len(payload)+2))
	return append(seg, payload...)
}

// Insert returns a JPEG with segment (an APP1 from Build) placed right after the start of image and
// the JFIF APP0 segment when there is one.
func Insert(jpeg, segment []byte) []byte {
	if len(segment) == 0 || !bytes.HasPrefix(jpeg, []byte(jpegSOI)) {
		return jpeg
	}
	at := 2
	if len(jpeg) > 6 && jpeg[2] == 0xFF && jpeg[3] == 0xE0 {
		at = 4 + int(binary.BigEndian.Uint16(jpeg[4:]))
	}
	out := make([]byte, 0, len(jpeg)+len(segment))
	out = append(out, jpeg[:at]...)
	out = append(out, segment...)
	return append(out, jpeg[at:]...)
}
