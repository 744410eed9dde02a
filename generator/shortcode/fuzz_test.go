package shortcode

import (
	"bytes"
	"strings"
	"testing"

	"github.com/vitrine-ssg/vitrine/generator/markdown"
)

// FuzzExpand expands any body. Whatever the input: no panic; every line reported is a line of the
// body; every line of the expanded Markdown maps to one; and a body without a placeholder word of its
// own gets none back after Apply.
func FuzzExpand(f *testing.F) {
	for _, s := range []string{
		"{{< figure src=\"a.jpg\" >}}\n{{< details summary=\"x\" >}}\n*a*\n{{< /details >}}\n",
		"{{< highlight go >}}\nx\n{{< /highlight >}}\n{{% notice %}}y{{% /notice %}}\n",
		"{{</* youtube x */>}} {{< youtube id=\"abc\" title=\"t\" >}} {{< ref \"a\" >}} {{< param p >}}",
		"{{< unclosed \"quote >}}\n{{< /stray >}}\n{{< a `raw\nline` >}}",
		"- item\n  {{< vimeo 123 >}}\n> {{< x user=\"u\" id=\"1\" >}}\n",
	} {
		f.Add(s)
	}
	md := markdown.New(markdown.Options{Typography: "fr"})
	ctx := Context{
		Lang:   "fr",
		Ref:    func(t string) (string, bool) { return "/" + t + "/", !strings.Contains(t, "x") },
		Param:  func(n string) (any, bool) { return "<v>", n == "p" },
		Inline: func(s string) string { return s },
	}
	f.Fuzz(func(t *testing.T, src string) {
		lines := 1 + strings.Count(src, "\n")
		res := Expand([]byte(src), ctx)
		for _, p := range res.Errors {
			if p.Line < 1 || p.Line > lines {
				t.Errorf("error at line %d of %d: %s", p.Line, lines, p.Msg)
			}
		}
		for _, w := range res.Warnings {
			if w.Line < 1 || w.Line > lines {
				t.Errorf("warning at line %d of %d: %s", w.Line, lines, w.Msg)
			}
		}
		out := 1 + bytes.Count(res.Markdown, []byte("\n"))
		for l := 1; l <= out; l++ {
			if s := res.SourceLine(l); s < 1 || s > lines {
				t.Fatalf("line %d of the Markdown maps to line %d of %d", l, s, lines)
			}
		}
		conv, err := md.Convert(res.Markdown, nil)
		if err != nil {
			return // too deep a nesting: the loader reports it
		}
		if !strings.Contains(src, placeholderPrefix) && bytes.Contains(res.Apply(conv.HTML), []byte(placeholderPrefix)) {
			t.Errorf("a placeholder is left in the HTML of %q", src)
		}
	})
}
