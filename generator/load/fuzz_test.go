package load

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/vitrine-ssg/vitrine/generator/config"
	"github.com/vitrine-ssg/vitrine/generator/markdown"
	"github.com/vitrine-ssg/vitrine/generator/model"
)

// FuzzPage loads a site of one page whose whole file is the input, and one more page beside it. Whatever
// the input: no panic; an error names the file and a line inside it; a loaded page's URL, slug and
// aliases stay inside the output folder.
func FuzzPage(f *testing.F) {
	for _, s := range []string{
		"---\ntitle: A\ndate: 2026-01-10\ntags: [a, b]\n---\nBody [b](b.md).\n",
		"+++\ntitle = \"A\"\nslug = \"../x\"\naliases = [\"/a/\", \"../../b\"]\n+++\n",
		"---\nurl: /x/../../y/\nstart: 2026-12-01T19:00:00\ntimezone: Europe/Paris\nend: 2026-11-01\n---\n",
		"---\nimages: [../../../etc/passwd, /img/a.png]\nweight: 1e400\ndraft: \"yes\"\n---\n",
		"---\nlocation: {name: x, nope: y}\nstatus: maybe\n---\n",
		"\ufeff---\r\ntitle: CRLF\r\n---\r\n- - - - - x\r\n",
	} {
		f.Add(s)
	}
	cfg, err := config.Parse("vitrine.toml", []byte("baseURL = \"https://example.org/\"\n"))
	if err != nil {
		f.Fatal(err)
	}
	md := markdown.New(markdown.Options{Typography: "fr"})
	f.Fuzz(func(t *testing.T, src string) {
		fsys := fstest.MapFS{
			"content/posts/a.md": {Data: []byte(src)},
			"content/posts/b.md": {Data: []byte("---\ntitle: B\n---\nB.\n")},
		}
		site, err := Site(context.Background(), fsys, Options{Config: cfg, Markdown: md, Visibility: model.Visibility{Drafts: true, Future: true}})
		lines := 1 + strings.Count(src, "\n")
		if err != nil {
			for _, e := range unjoin(err) {
				var se *SourceError
				if !errors.As(e, &se) {
					// Errors between pages (two at one URL) name both files, without a line.
					if !strings.HasPrefix(e.Error(), "content/posts/") {
						t.Fatalf("an error that names no file: %v", e)
					}
					continue
				}
				if se.File != "content/posts/a.md" || se.Line < 0 || se.Line > lines+1 {
					t.Errorf("error at %s:%d for a file of %d lines: %v", se.File, se.Line, lines, se)
				}
				if !utf8.ValidString(se.Msg) {
					t.Errorf("invalid UTF-8 in %q", se.Msg)
				}
			}
			return
		}
		for _, p := range site.Pages {
			for _, u := range append([]string{p.URL}, p.Aliases...) {
				out := model.OutputPath(u)
				if !strings.HasPrefix(u, "/") || !filepath.IsLocal(out) || strings.Contains(u, "//") || strings.Contains(u, "\\") {
					t.Errorf("page %s: URL %q, written to %q", p.Source, u, out)
				}
			}
		}
	})
}

// unjoin flattens joined errors.
func unjoin(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var all []error
		for _, e := range j.Unwrap() {
			all = append(all, unjoin(e)...)
		}
		return all
	}
	return []error{err}
}

// FuzzFrontYAML checks that fromYAML, which reads text without a decoder, gives what the YAML library's
// Decode gives for every key and value (but timestamps, kept as text).
func FuzzFrontYAML(f *testing.F) {
	for _, s := range []string{
		"title: A\ndate: 2026-01-10\ntags: [a, 'b', \"c\"]\ndraft: no\nweight: 0x1F\n",
		"1: a\n~: b\n!!str 2: c\n<<: {x: y}\nk: !!binary aGk=\nl: |\n  text\n",
		"a: &x [1, .inf, .nan, null, ~, true, 'true']\nb: *x\nc: !!str 12\nd: !custom v\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		var node yaml.Node
		if yaml.Unmarshal([]byte(src), &node) != nil {
			return
		}
		budget := MaxYAMLValues
		got, err := fromYAML(&node, &budget)
		if err != nil && strings.Contains(err.Error(), "once aliases are expanded") {
			return // past the budget, which Decode does not have
		}
		want, werr := decodeAll(&node)
		// Printed rather than compared with reflect.DeepEqual, for which NaN is not NaN.
		if (err == nil) != (werr == nil) || fmt.Sprintf("%#v", got) != fmt.Sprintf("%#v", want) {
			t.Fatalf("fromYAML = %#v, %v; Decode gives %#v, %v", got, err, want, werr)
		}
	})
}

// decodeAll is fromYAML with every key and scalar decoded by the YAML library.
func decodeAll(n *yaml.Node) (any, error) {
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return nil, nil
		}
		return decodeAll(n.Content[0])
	case yaml.MappingNode:
		m := make(map[string]any, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			var key string
			if err := n.Content[i].Decode(&key); err != nil {
				return nil, err
			}
			v, err := decodeAll(n.Content[i+1])
			if err != nil {
				return nil, err
			}
			m[key] = v
		}
		return m, nil
	case yaml.SequenceNode:
		s := make([]any, 0, len(n.Content))
		for _, c := range n.Content {
			v, err := decodeAll(c)
			if err != nil {
				return nil, err
			}
			s = append(s, v)
		}
		return s, nil
	case yaml.AliasNode:
		return decodeAll(n.Alias)
	case yaml.ScalarNode:
		if n.ShortTag() == "!!timestamp" {
			return n.Value, nil
		}
	}
	var v any
	err := n.Decode(&v)
	return v, err
}
