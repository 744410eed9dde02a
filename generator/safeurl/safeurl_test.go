package safeurl

import (
	"strings"
	"testing"
)

func TestLinkAndImage(t *testing.T) {
	for _, c := range []struct {
		url         string
		link, image bool
	}{
		{"/posts/a/", true, true},
		{"photo.jpg", true, true},
		{"#top", true, true},
		{"//cdn.example/a.png", true, true},
		{"https://example.org/", true, true},
		{"HTTP://example.org/", true, true},
		{"mailto:a@example.org", true, false},
		{"tel:+33123456789", true, false},
		{"webcal://example.org/events/calendar.ics", true, false},
		{"a:b/c.png", false, false}, // a scheme "a", unknown
		{"./a:b.png", true, true},
		{"javascript:alert(1)", false, false},
		{"JaVaScRiPt:alert(1)", false, false},
		{"  javascript:alert(1)", false, false},
		{"\x01javascript:alert(1)", false, false},
		{"java\tscript:alert(1)", false, false},
		{"java\r\nscript:alert(1)", false, false},
		{"vbscript:msgbox(1)", false, false},
		{"data:text/html,<script>alert(1)</script>", false, false},
		{"data:text/html;base64,PHNjcmlwdD4=", false, false},
		{"data:image/svg+xml,<svg onload=alert(1)>", false, false},
		{"data:image/png;base64,iVBORw0KGgo=", false, true},
		{"DATA:IMAGE/JPEG;base64,/9j/", false, true},
		{"file:///etc/passwd", false, false},
		{"blob:https://example.org/x", false, false},
		{"filesystem:https://example.org/x", false, false},
	} {
		if got := Link(c.url); got != c.link {
			t.Errorf("Link(%q) = %v, want %v", c.url, got, c.link)
		}
		if got := Image(c.url); got != c.image {
			t.Errorf("Image(%q) = %v, want %v", c.url, got, c.image)
		}
	}
}

// FuzzPolicy checks the policy against a second reading: whatever a browser would take for a
// javascript:, vbscript: or data: URL once it drops what it ignores is never safe as a link, and only a
// raster image's data: URL is safe as an image.
func FuzzPolicy(f *testing.F) {
	for _, s := range []string{"javascript:x", " \tJaVa\nScRiPt:x", "data:image/png,x", "data:text/html,x", "/a", "https://e.org/", "vbscript\x00:x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, u string) {
		var b strings.Builder
		for _, r := range strings.TrimFunc(u, func(r rune) bool { return r <= ' ' }) {
			if r != '\t' && r != '\n' && r != '\r' {
				b.WriteRune(r)
			}
		}
		low := strings.ToLower(b.String())
		for _, bad := range []string{"javascript:", "vbscript:", "data:", "file:"} {
			if strings.HasPrefix(low, bad) && Link(u) {
				t.Fatalf("Link(%q) is safe", u)
			}
		}
		if strings.HasPrefix(low, "data:") && Image(u) && !strings.HasPrefix(low, "data:image/") {
			t.Fatalf("Image(%q) is safe", u)
		}
		if Link(u) && Scheme(u) != "" && !strings.HasPrefix(low, Scheme(u)+":") {
			t.Fatalf("Scheme(%q) = %q", u, Scheme(u))
		}
	})
}
