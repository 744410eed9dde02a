package generator_test

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/vitrine-ssg/vitrine/generator"
	"github.com/vitrine-ssg/vitrine/generator/output"
)

// BenchmarkBuild builds the site in $VITRINE_BENCH_SITE (e.g. a corpus from bench/corpus) in memory.
func BenchmarkBuild(b *testing.B) {
	dir := os.Getenv("VITRINE_BENCH_SITE")
	if dir == "" {
		b.Skip("set VITRINE_BENCH_SITE to a site folder, e.g. one written by go run ./bench/corpus")
	}
	for b.Loop() {
		_, err := generator.Build(context.Background(), generator.Options{Source: os.DirFS(dir), Writer: &output.Memory{}, Now: time.Now()})
		if err != nil {
			b.Fatal(err)
		}
	}
}
