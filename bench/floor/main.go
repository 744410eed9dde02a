// Command floor is the benchmark's floor loop: for every Markdown file under a folder it splits and parses
// the YAML front matter, renders the body with goldmark (GFM, footnotes, heading ids) and highlights code
// blocks with chroma (CSS classes), on all cores, and writes nothing. No generator can build the corpus
// faster than this loop, so bench/run.sh reports vitrine's time as a multiple of it: what vitrine adds on
// top (templates, lists, taxonomies, feeds, sitemap, writing) is the part it owns.
//
// The loop depends on vitrine for nothing, so that work on the engine cannot move the floor.
//
//	go run ./bench/floor /tmp/corpus/content
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/alecthomas/chroma/v2"
	chromahtml "github.com/alecthomas/chroma/v2/formatters/html"
	"github.com/alecthomas/chroma/v2/lexers"
	"github.com/alecthomas/chroma/v2/styles"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/util"
	"go.yaml.in/yaml/v3"
)

func main() {
	workers := flag.Int("j", runtime.GOMAXPROCS(0), "number of workers")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: floor [-j N] DIR")
		os.Exit(2)
	}
	start := time.Now()
	files, bytesOut, err := run(flag.Arg(0), *workers)
	if err != nil {
		fmt.Fprintln(os.Stderr, "floor:", err)
		os.Exit(1)
	}
	fmt.Printf("floor: %d files, %d bytes of HTML in %s on %d workers\n", files, bytesOut, time.Since(start).Round(time.Millisecond), *workers)
}

// run converts every .md file under dir and returns how many files and HTML bytes it made.
func run(dir string, workers int) (int, int64, error) {
	var paths []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".md") {
			paths = append(paths, p)
		}
		return err
	})
	if err != nil {
		return 0, 0, err
	}
	md := goldmark.New(
		goldmark.WithExtensions(extension.GFM, extension.Footnote, highlighting{}),
		goldmark.WithParserOptions(parser.WithAutoHeadingID()),
	)
	jobs := make(chan string)
	var (
		mu    sync.Mutex
		total int64
		errs  []error
		wg    sync.WaitGroup
	)
	for range max(1, workers) {
		wg.Go(func() {
			var out bytes.Buffer
			var n int64
			for p := range jobs {
				out.Reset()
				if err := convert(md, p, &out); err != nil {
					mu.Lock()
					errs = append(errs, err)
					mu.Unlock()
				}
				n += int64(out.Len())
			}
			mu.Lock()
			total += n
			mu.Unlock()
		})
	}
	for _, p := range paths {
		jobs <- p
	}
	close(jobs)
	wg.Wait()
	if len(errs) > 0 {
		return 0, 0, errs[0]
	}
	return len(paths), total, nil
}

// frontMatter holds the fields every generator reads from an article.
type frontMatter struct {
	Title       string    `yaml:"title"`
	Date        time.Time `yaml:"date"`
	Description string    `yaml:"description"`
	Tags        []string  `yaml:"tags"`
	Categories  []string  `yaml:"categories"`
}

func convert(md goldmark.Markdown, path string, out *bytes.Buffer) error {
	src, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	body := src
	if rest, ok := bytes.CutPrefix(src, []byte("---\n")); ok {
		head, tail, found := bytes.Cut(rest, []byte("\n---\n"))
		if !found {
			return fmt.Errorf("%s: front matter not closed", path)
		}
		var fm frontMatter
		if err := yaml.Unmarshal(head, &fm); err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		body = tail
	}
	if err := md.Convert(body, out); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

// highlighting renders fenced code blocks with chroma, classes instead of inline styles, the way vitrine
// and Hugo (markup.highlight.noClasses = false) both do.
type highlighting struct{}

func (highlighting) Extend(m goldmark.Markdown) {
	m.Renderer().AddOptions(renderer.WithNodeRenderers(util.Prioritized(codeRenderer{
		formatter: chromahtml.New(chromahtml.WithClasses(true), chromahtml.WithLineNumbers(false)),
		style:     styles.Get("github"),
	}, 100)))
}

type codeRenderer struct {
	formatter *chromahtml.Formatter
	style     *chroma.Style
}

func (r codeRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindFencedCodeBlock, r.render)
}

func (r codeRenderer) render(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	n := node.(*ast.FencedCodeBlock)
	var code bytes.Buffer
	lines := n.Lines()
	for i := range lines.Len() {
		seg := lines.At(i)
		code.Write(seg.Value(src))
	}
	lexer := lexers.Get(string(n.Language(src)))
	if lexer == nil {
		lexer = lexers.Fallback
	}
	it, err := chroma.Coalesce(lexer).Tokenise(nil, code.String())
	if err != nil {
		return ast.WalkStop, err
	}
	if err := r.formatter.Format(w, r.style, it); err != nil {
		return ast.WalkStop, err
	}
	return ast.WalkSkipChildren, nil
}
