package media_test

import (
	"context"
	"testing"
	"testing/fstest"

	"github.com/vitrine-ssg/vitrine/generator/media"
	"github.com/vitrine-ssg/vitrine/generator/media/exif"
	"github.com/vitrine-ssg/vitrine/generator/model"
	"github.com/vitrine-ssg/vitrine/generator/output"
)

// BenchmarkFirstBuild measures what a photo costs the first build, with an empty cache: decoding a
// 12-megapixel JPEG, turning it upright, and encoding it at the default widths in WebP and JPEG (eight
// files), then its share and square JPEGs. The figures to read are per megapixel of source: ms/MP of
// wall time, and cpu-ms/MP of processor time, which a busy machine does not inflate.
func BenchmarkFirstBuild(b *testing.B) {
	const w, h = 4000, 3000
	fsys := fstest.MapFS{"a.jpg": {Data: photo(b, w, h, exif.Fields{Orientation: 1, GPS: &lyon})}}
	files := []model.MediaFile{{Source: "a.jpg", Dir: "p/"}}
	b.ResetTimer()
	cpu := cpuTime()
	for range b.N {
		p := media.New(fsys, media.Options{})
		im, err := p.Plan("a.jpg", "p/")
		if err != nil {
			b.Fatal(err)
		}
		if err := p.Write(context.Background(), &output.Memory{}, files, nil); err != nil {
			b.Fatal(err)
		}
		if _, _, _, _, err := p.Social(im); err != nil {
			b.Fatal(err)
		}
	}
	cpu = cpuTime() - cpu
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N)/(w*h/1e6), "ms/MP")
	b.ReportMetric(float64(cpu.Milliseconds())/float64(b.N)/(w*h/1e6), "cpu-ms/MP")
}
