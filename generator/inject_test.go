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
