package generator_test

import (
	"strings"
	"testing"

	"github.com/vitrine-ssg/vitrine/generator"
)

// TestBaseURLFlagChecked: --baseURL replaces vitrine.toml's and is checked as strictly.
func TestBaseURLFlagChecked(t *testing.T) {
	const archive = `
-- vitrine.toml --
baseURL = "https://example.org/"
-- content/posts/a.md --
A.
`
	for _, bad := range []string{`https://example.org/a"b/`, "https://example.org/\r\nX: y", "javascript:alert(1)", "https://example.org/<x>/"} {
		if _, _, err := build(t, archive, generator.Options{BaseURL: bad}); err == nil || !strings.Contains(err.Error(), "baseURL") {
			t.Errorf("--baseURL %q: %v, want an error", bad, err)
		}
	}
}

// unsafeURLSite puts an unsafe URL in every place content gives one: shortcodes, Markdown links,
// images, reference definitions and autolinks, front matter (an event's online and registration links,
// a page's images), with raw HTML allowed so that goldmark's own filter is out of the way.
const unsafeURLSite = `
-- vitrine.toml --
baseURL = "https://example.org/"
title = "Site"
[author]
name = "Asso"
email = "contact@example.org"
[markup]
unsafe = true
-- content/posts/a.md --
---
title: A
date: 2026-01-10
images: ["javascript:alert('img')", "data:image/png;base64,iVBORw0KGgo="]
---
{{< figure src="a.png" link="javascript:alert('fig')" >}}

{{< figure src="javascript:alert('src')" >}}

{{< figure src="b.png" link=" VBScript:msgbox(1)" attr="Moi" attrlink="data:text/html,<script>alert(1)</script>" >}}

[l](vbscript:alert(1)) ![i](data:text/html;base64,PHNjcmlwdD4=) [r][ref] <javascript:alert(1)>

![t](javascript:alert(2) "titre")

[ref]: JAVASCRIPT:alert('refdef')
-- content/events/e.md --
---
title: E
start: 2026-12-05T14:00:00+01:00
online: "javascript:alert('online')"
registration: "  vbscript:alert('reg')"
---
x
`

// TestUnsafeURLsEverywhere builds the site above and checks every output (pages, feeds, feed.json,
// JSON-LD, calendars, sitemap) for the unsafe URLs, and the warnings for each file and line.
func TestUnsafeURLsEverywhere(t *testing.T) {
	mem, res := mustBuild(t, unsafeURLSite, generator.Options{})
	for _, name := range mem.Names() {
		data, _ := mem.Get(name)
		// The text of the autolink stays, as text.
		low := strings.ReplaceAll(strings.ToLower(string(data)), "</a> javascript:alert(1)</p>", "")
		if strings.HasPrefix(name, "search-index/") {
			// The same text in the search results' excerpt, shown as text by the script.
			low = strings.ReplaceAll(low, "r javascript:alert(1) t", "")
		}
		for _, bad := range []string{"javascript:", "vbscript:", "data:text"} {
			if strings.Contains(low, bad) {
				i := strings.Index(low, bad)
				t.Errorf("%s holds %s: …%s…", name, bad, data[max(0, i-80):min(len(data), i+40)])
			}
		}
		if strings.HasSuffix(name, ".html") {
			checkHTML(t, name, data)
		}
	}
	assertFile(t, mem, "posts/a/index.html", `<img src="a.png"`, `<img src="b.png"`, "Moi", `<a href="#">l</a>`, `<a href="#">r</a>`)
	assertFile(t, mem, "feed.json", `<img src=\"https://example.org/posts/a/a.png\"`)
	warnings := strings.Join(res.Warnings, "\n")
	for _, want := range []string{
		"content/posts/a.md:4: images", "content/posts/a.md:6: figure", "content/posts/a.md:8: figure",
		"content/posts/a.md:10: figure", "content/posts/a.md:12: URL \"vbscript:", "content/posts/a.md:12: URL \"data:text",
		"content/posts/a.md:12: URL \"JAVASCRIPT:", "content/posts/a.md:12: URL \"javascript:alert(1)\"",
		"content/posts/a.md:14: URL \"javascript:alert(2)\"",
		"content/events/e.md:4: online", "content/events/e.md:5: registration",
	} {
		if !strings.Contains(warnings, want) {
			t.Errorf("no warning %q in:\n%s", want, warnings)
		}
	}
}
