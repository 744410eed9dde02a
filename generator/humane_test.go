package generator_test

import (
	"strings"
	"testing"

	"github.com/vitrine-ssg/vitrine/generator"
)

// TestCardSummaryOrder checks that a card in a list shows the summary README's front-matter table
// promises: the front matter's summary, else the text before <!--more-->, else the description.
func TestCardSummaryOrder(t *testing.T) {
	mem, _ := mustBuild(t, `-- vitrine.toml --
baseURL = "https://example.org/"
-- content/posts/own.md --
---
title: Own
date: 2026-01-03
description: The description of own, for search engines.
summary: The *summary* of own, for lists.
---
The body of own.
-- content/posts/more.md --
---
title: More
date: 2026-01-02
description: The description of more.
---
The teaser of more.

<!--more-->

The rest of more.
-- content/posts/plain.md --
---
title: Plain
date: 2026-01-01
description: The description of plain & co.
---
The body of plain.
`, generator.Options{})
	assertFile(t, mem, "posts/index.html",
		`<div class="card-text"><p>The <em>summary</em> of own, for lists.</p>`,
		`<div class="card-text"><p>The teaser of more.</p>`,
		`<p class="card-text">The description of plain &amp; co.</p>`)
	list, _ := mem.Get("posts/index.html")
	for _, not := range []string{"The description of own", "The description of more"} {
		if strings.Contains(string(list), not) {
			t.Errorf("the list shows %q, not the summary", not)
		}
	}
}
