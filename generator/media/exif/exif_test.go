package exif_test

import (
	"bytes"
	"image"
	"image/jpeg"
	"math"
	"testing"

	goexif "github.com/rwcarlsen/goexif/exif"

	"github.com/vitrine-ssg/vitrine/generator/media/exif"
)

// TestRoundTrip writes an EXIF segment, reads it back with this package and with an independent EXIF
// library.
func TestRoundTrip(t *testing.T) {
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, image.NewGray(image.Rect(0, 0, 8, 8)), nil); err != nil {
		t.Fatal(err)
	}
	if info, err := exif.Read(buf.Bytes()); err != nil || info != (exif.Info{}) {
		t.Fatalf("a JPEG without EXIF: %+v %v", info, err)
	}
	gps := [2]float64{45.7741, -4.8318}
	data := exif.Insert(buf.Bytes(), exif.Build(exif.Fields{Orientation: 6, Artist: "Camille", Copyright: "© 2026 Camille Roussel", GPS: &gps}))
	info, err := exif.Read(data)
	if err != nil {
		t.Fatal(err)
	}
	if want := (exif.Info{Orientation: 6, Artist: "Camille", Copyright: "© 2026 Camille Roussel", HasGPS: true}); info != want {
		t.Errorf("Read: %+v, want %+v", info, want)
	}
	if _, err := jpeg.Decode(bytes.NewReader(data)); err != nil {
		t.Errorf("the JPEG no longer decodes: %v", err)
	}
	x, err := goexif.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	lat, long, err := x.LatLong()
	if err != nil || math.Abs(lat-gps[0]) > 1e-4 || math.Abs(long-gps[1]) > 1e-4 {
		t.Errorf("GPS %f, %f (%v), want %v", lat, long, err, gps)
	}
	o, err := x.Get(goexif.Orientation)
	if v, _ := o.Int(0); err != nil || v != 6 {
		t.Errorf("orientation %v %v", o, err)
	}
	if exif.Build(exif.Fields{}) != nil {
		t.Error("no fields, yet a segment")
	}
}
