package model

import (
	"path/filepath"
	"strings"
	"testing"
	"unicode"
)

// FuzzSlugify checks that a slug is one clean URL segment (letters, digits, _ and single inner hyphens)
// whatever the name, that slugging a slug changes nothing, and that its page's file stays inside the
// output folder.
func FuzzSlugify(f *testing.F) {
	for _, s := range []string{"Été à Lyon", "../../etc/passwd", "a//b\\c", "Œuvre — n°1 ?", "\u202f.\u00a0", "東京 2026", "ǅ ß ﬁ", "already-a-slug", "-x--y-", "Hello, World_2!", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		slug := Slugify(s)
		if fast, ok := slugifyASCII(s); ok && fast != slugifyFold(s) {
			t.Errorf("slugifyASCII(%q) = %q, but slugifyFold gives %q", s, fast, slugifyFold(s))
		}
		if slug == "" {
			return
		}
		if Slugify(slug) != slug {
			t.Errorf("Slugify(%q) = %q, but Slugify(%q) = %q", s, slug, slug, Slugify(slug))
		}
		if strings.HasPrefix(slug, "-") || strings.HasSuffix(slug, "-") || strings.Contains(slug, "--") {
			t.Errorf("Slugify(%q) = %q", s, slug)
		}
		for _, r := range slug {
			if !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '_' && r != '-' {
				t.Errorf("Slugify(%q) = %q holds %q", s, slug, r)
			}
		}
		if out := OutputPath("/posts/" + slug + "/"); !filepath.IsLocal(out) {
			t.Errorf("%q is written to %q", slug, out)
		}
	})
}
