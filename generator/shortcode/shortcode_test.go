package shortcode

import (
	"slices"
	"strings"
	"testing"

	"github.com/vitrine-ssg/vitrine/generator/markdown"
)

// convert expands and converts a body as the loader does.
func convert(t *testing.T, src string, ctx Context) (string, *Result) {
	t.Helper()
	md := markdown.New(markdown.Options{})
	res := Expand([]byte(src), ctx)
	out, err := md.Convert(res.Markdown, nil)
	if err != nil {
		t.Fatal(err)
	}
	return string(res.Apply(out.HTML)), res
}

func TestBuiltins(t *testing.T) {
	ctx := Context{
		Lang: "en",
		Ref: func(target string) (string, bool) {
			if strings.HasPrefix(target, "blog/post") {
				_, frag, _ := strings.Cut(target, "#")
				if frag != "" {
					frag = "#" + frag
				}
				return "/blog/post/" + frag, true
			}
			return "", false
		},
		Param: func(name string) (any, bool) {
			if name == "city" {
				return "Lyon & Co", true
			}
			return nil, false
		},
	}
	for _, c := range []struct {
		name, src string
		want      []string
		not       []string
	}{
		{"figure", `{{< figure src="a.jpg" alt="A cat" title="Cat" caption="on a mat" width="300" link="big.jpg" >}}`,
			[]string{`<figure><a href="big.jpg"><img src="a.jpg" alt="A cat" width="300" loading="lazy"></a><figcaption><strong>Cat</strong> on a mat</figcaption></figure>`}, []string{"<p><figure"}},
		{"youtube positional", "Intro\n\n{{< youtube 0RKpf3rK57I >}}\n\nAfter",
			[]string{`<p><a href="https://www.youtube-nocookie.com/embed/0RKpf3rK57I?autoplay=1">https://www.youtube-nocookie.com/embed/0RKpf3rK57I?autoplay=1</a></p>`, "<p>After</p>"}, []string{"<iframe", "youtube.com/"}},
		{"youtube named", `{{< youtube id="0RKpf3rK57I" start=30 title="A [talk] *live*" >}}`, []string{`<p><a href="https://www.youtube-nocookie.com/embed/0RKpf3rK57I?autoplay=1&amp;start=30">A [talk] *live*</a></p>`}, nil},
		{"youtube inline", `See {{< youtube id="0RKpf3rK57I" title="this" >}} now.`, []string{`<p>See <a href="https://www.youtube-nocookie.com/embed/0RKpf3rK57I?autoplay=1">this</a> now.</p>`}, nil},
		{"vimeo", `{{< vimeo 55073825 >}}`, []string{`href="https://player.vimeo.com/video/55073825?autoplay=1&amp;dnt=1"`}, []string{"<iframe"}},
		{"vimeo with query", `{{< vimeo id="55073825?h=2f3c4d" >}}`, []string{`href="https://player.vimeo.com/video/55073825?autoplay=1&amp;dnt=1&amp;h=2f3c4d"`}, nil},
		{"spaces around =", `{{< figure src = "a.jpg" alt= "A cat" >}}`, []string{`<img src="a.jpg" alt="A cat"`}, nil},
		{"x", `{{< x user="SanDiegoZoo" id="1453110110599868418" >}}`, []string{`<p class="link-card link-card-x"><a href="https://x.com/SanDiegoZoo/status/1453110110599868418" rel="noopener"><span class="link-card-network">X</span> <span class="link-card-title">See the post by @SanDiegoZoo on X</span></a></p>`}, []string{"<script"}},
		{"tweet", `{{< tweet user="a" id="12" >}}`, []string{`https://x.com/a/status/12`}, nil},
		{"instagram", `{{< instagram CxOWiQNP2MO >}}`, []string{`<p class="link-card link-card-instagram"><a href="https://www.instagram.com/p/CxOWiQNP2MO/"`}, []string{"<script"}},
		{"gist", `{{< gist spf13 7896402 "img.html" >}}`, []string{`<a href="https://gist.github.com/spf13/7896402#file-img-html" rel="noopener"><span class="link-card-network">GitHub Gist</span> <span class="link-card-title">See the code (img.html)</span>`}, []string{"<script"}},
		{"details", "{{< details summary=\"More\" open=true >}}\nSome *text*.\n{{< /details >}}", []string{"<details open><summary>More</summary>\n<p>Some <em>text</em>.</p>\n</details>"}, []string{"<p><details"}},
		{"highlight", "{{< highlight go \"linenos=table\" >}}\nfunc main() {}\n{{< /highlight >}}", []string{`<pre class="chroma" tabindex="0"><code class="language-go">`}, []string{"highlight"}},
		{"ref", `[post]({{< ref "blog/post.md" >}}) and [intro]({{< relref "blog/post#intro" >}})`, []string{`<a href="/blog/post/">post</a>`, `<a href="/blog/post/#intro">intro</a>`}, nil},
		{"param", `In {{< param city >}}.`, []string{"<p>In Lyon &amp; Co.</p>"}, nil},
		{"comment", "a {{< comment >}}hidden{{< /comment >}} b", []string{"<p>a  b</p>"}, []string{"hidden"}},
		{"escaped", "`{{</* figure src=\"a.jpg\" */>}}`", []string{`<code>{{&lt; figure src=&quot;a.jpg&quot; &gt;}}</code>`}, nil},
		{"percent", "{{% details summary=\"S\" %}}\n**bold**\n{{% /details %}}", []string{"<summary>S</summary>", "<strong>bold</strong>"}, nil},
		{"unknown paired", "{{< notice warning >}}\nBe **careful**.\n{{< /notice >}}", []string{"<p>Be <strong>careful</strong>.</p>"}, []string{"{{", "notice"}},
		{"unknown alone", "a {{< mywidget x=1 >}} b", []string{"<p>a  b</p>"}, []string{"{{", "mywidget"}},
		{"nested", "{{< details summary=\"S\" >}}\n{{< vimeo 55073825 >}}\n{{< /details >}}", []string{"<summary>S</summary>", "player.vimeo.com/video/55073825"}, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, res := convert(t, c.src, ctx)
			if len(res.Errors) > 0 {
				t.Fatalf("errors: %v", res.Errors)
			}
			for _, w := range c.want {
				if !strings.Contains(got, w) {
					t.Errorf("missing %q in\n%s", w, got)
				}
			}
			for _, w := range c.not {
				if strings.Contains(got, w) {
					t.Errorf("unexpected %q in\n%s", w, got)
				}
			}
			if strings.Contains(got, placeholderPrefix) {
				t.Errorf("placeholder left in\n%s", got)
			}
		})
	}
}

func TestUnknownAndErrorsHaveLines(t *testing.T) {
	src := "# Title\n\n{{< highlight go >}}\na\nb\n{{< /highlight >}}\n\n{{< tabs >}}\nx\n{{< /tabs >}}\n\n[a]({{< ref \"nowhere\" >}})\n{{< param missing >}}\n{{< figure >}}\n{{< youtube \"bad id\" >}}\n{{< unclosed \n"
	res := Expand([]byte(src), Context{Ref: func(string) (string, bool) { return "", false }})
	if len(res.Warnings) != 1 || res.Warnings[0].Line != 8 || res.Warnings[0].Name != "tabs" {
		t.Errorf("warnings: %+v", res.Warnings)
	}
	var lines []int
	for _, e := range res.Errors {
		lines = append(lines, e.Line)
	}
	want := []int{16, 12, 13, 14, 15}
	if len(lines) != len(want) {
		t.Fatalf("errors %+v, want lines %v", res.Errors, want)
	}
	for i := range want {
		if lines[i] != want[i] {
			t.Errorf("errors %+v, want lines %v", res.Errors, want)
			break
		}
	}
}

func TestSourceLine(t *testing.T) {
	src := "one\n{{< details summary=\"s\" >}}\nthree\n{{< /details >}}\nfive [x](a.md)\n"
	res := Expand([]byte(src), Context{})
	md := string(res.Markdown)
	for i, l := range strings.Split(md, "\n") {
		if strings.Contains(l, "five") {
			if got := res.SourceLine(i + 1); got != 5 {
				t.Errorf("line of %q = %d, want 5\n%s", l, got, md)
			}
		}
		if strings.Contains(l, "three") {
			if got := res.SourceLine(i + 1); got != 3 {
				t.Errorf("line of %q = %d, want 3\n%s", l, got, md)
			}
		}
	}
}

func TestNoShortcode(t *testing.T) {
	if Has([]byte("plain {{ text }} here")) {
		t.Error("Has found a shortcode in plain text")
	}
}

// TestFigureURLPolicy: the URLs of a figure go through the policy. A refused link or attribution link
// is left out, the image kept; a refused image leaves the figure out. Each is a warning with its line.
func TestFigureURLPolicy(t *testing.T) {
	src := "a\n{{< figure src=\"a.jpg\" link=\"javascript:alert('fig')\" >}}\n" +
		"{{< figure src=\"javascript:alert(1)\" alt=\"x\" >}}\n" +
		"{{< figure src=\"data:text/html,<script>alert(1)</script>\" link=\"/ok/\" >}}\n" +
		"{{< figure src=\"b.jpg\" attr=\"Moi\" attrlink=\" VBScript:msgbox(1)\" link=\"data:text/html,x\" >}}\n" +
		"{{< figure src=\"data:image/png;base64,iVBORw0KGgo=\" link=\"https://ok.example/\" >}}\n"
	res := Expand([]byte(src), Context{})
	out := strings.ToLower(string(res.Apply(res.Markdown)))
	for _, bad := range []string{"javascript", "vbscript", "data:text", "<script"} {
		if strings.Contains(out, bad) {
			t.Errorf("%q reached the page:\n%s", bad, out)
		}
	}
	for _, want := range []string{`<img src="a.jpg"`, `<img src="b.jpg"`, `<a href="https://ok.example/"><img src="data:image/png;base64,ivborw0kggo="`, "moi"} {
		if !strings.Contains(out, want) {
			t.Errorf("no %s in:\n%s", want, out)
		}
	}
	var lines []int
	for _, w := range res.Warnings {
		lines = append(lines, w.Line)
		if w.Name != "figure" || !strings.Contains(w.Msg, "left out") {
			t.Errorf("warning %+v", w)
		}
	}
	if want := []int{2, 3, 4, 5, 5}; !slices.Equal(lines, want) {
		t.Errorf("warnings at lines %v, want %v: %+v", lines, want, res.Warnings)
	}
}
