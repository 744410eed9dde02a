// Command profile builds a site to disk as vitrine build does (with its build cache), prints how long each step took, and writes
// CPU and heap profiles on request, to see where a build's time and memory go:
//
//	go run ./bench/profile -s /tmp/corpus -d /tmp/out -cpuprofile cpu.prof -memprofile heap.prof
//	go tool pprof -top cpu.prof
//
// The heap profile is taken at the end of the build, before the output is committed.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"runtime/trace"
	"time"

	"github.com/vitrine-ssg/vitrine/generator"
	"github.com/vitrine-ssg/vitrine/generator/output"
)

func main() {
	source := flag.String("s", ".", "the site's folder")
	dest := flag.String("d", "", "output folder (default SOURCE/public)")
	cpu := flag.String("cpuprofile", "", "write a CPU profile to this file")
	mem := flag.String("memprofile", "", "write a heap profile to this file, taken at the end of the build")
	tr := flag.String("trace", "", "write an execution trace to this file (go tool trace), to see how busy the cores are")
	flag.Parse()
	if *tr != "" {
		f, err := os.Create(*tr)
		if err == nil {
			err = trace.Start(f)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "profile:", err)
			os.Exit(1)
		}
		defer f.Close()
		defer trace.Stop()
	}
	if err := run(*source, *dest, *cpu, *mem); err != nil {
		fmt.Fprintln(os.Stderr, "profile:", err)
		os.Exit(1)
	}
}

func run(source, dest, cpu, mem string) error {
	if dest == "" {
		dest = filepath.Join(source, "public")
	}
	if cpu != "" {
		f, err := os.Create(cpu)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	start := time.Now()
	cache := filepath.Join(source, ".vitrine", "cache")
	disk, err := output.NewIncremental(dest, filepath.Join(cache, "build", "output.manifest"))
	if err != nil {
		return err
	}
	res, err := generator.Build(context.Background(), generator.Options{
		Source:   os.DirFS(source),
		Writer:   disk,
		CacheDir: cache,
	})
	if err != nil {
		disk.Abort()
		return err
	}
	if mem != "" {
		runtime.GC()
		f, err := os.Create(mem)
		if err != nil {
			return err
		}
		if err := pprof.WriteHeapProfile(f); err != nil {
			return err
		}
		f.Close()
	}
	commit := time.Now()
	if err := disk.Commit(); err != nil {
		return err
	}
	written, kept := disk.Written()
	fmt.Printf("%-12s %8.3f s, %d files written, %d unchanged, %d pages rendered\n", "commit", time.Since(commit).Seconds(), written, kept, res.Rendered)
	for _, s := range res.Steps {
		fmt.Printf("%-12s %8.3f s\n", s.Name, s.Duration.Seconds())
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	fmt.Printf("%-12s %8.3f s, %d pages, %d files, heap %d MB in use, %d MB allocated, %d GCs\n", "total",
		time.Since(start).Seconds(), res.Pages, res.Files, ms.HeapInuse>>20, ms.TotalAlloc>>20, ms.NumGC)
	// Where the process's memory went, as the runtime sees it: the heap it holds (in use, or freed and not yet
	// returned to the system), goroutine stacks, and its own bookkeeping (spans, GC metadata, other).
	fmt.Printf("%-12s heap %d MB (%d MB idle, not returned), stacks %d MB, runtime %d MB, obtained %d MB\n", "memory",
		(ms.HeapSys-ms.HeapReleased)>>20, (ms.HeapIdle-ms.HeapReleased)>>20, ms.StackSys>>20,
		(ms.MSpanSys+ms.MCacheSys+ms.BuckHashSys+ms.GCSys+ms.OtherSys)>>20, ms.Sys>>20)
	return nil
}
