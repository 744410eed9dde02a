package output

import (
	"errors"
	"io/fs"
	"slices"
	"testing"
)

func TestApply(t *testing.T) {
	m := &Memory{}
	_ = m.WriteFile("a.html", []byte("a"))
	_ = m.WriteFile("b.html", []byte("b"))
	changed := m.Apply(map[string][]byte{"a.html": []byte("a"), "c.html": []byte("c")}, []string{"b.html", "missing.html"})
	if want := []string{"b.html", "c.html"}; !slices.Equal(changed, want) {
		t.Errorf("changed %v, want %v", changed, want)
	}
	if want := []string{"a.html", "c.html"}; !slices.Equal(m.Names(), want) {
		t.Errorf("files %v, want %v", m.Names(), want)
	}
}

func TestInjectBeforeBody(t *testing.T) {
	for in, want := range map[string]string{
		"<p>x</p></body></html>": "<p>x</p><s></body></html>",
		"<p>x</p></BODY>":        "<p>x</p><s></BODY>",
		"<p></body>x</body>":     "<p></body>x<s></body>",
		"<p>no body":             "<p>no body<s>",
	} {
		if got := string(InjectBeforeBody([]byte(in), []byte("<s>"))); got != want {
			t.Errorf("InjectBeforeBody(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestMemoryOpen(t *testing.T) {
	var m Memory
	if err := m.WriteFile("posts/a/card.png", []byte("PNG")); err != nil {
		t.Fatal(err)
	}
	data, err := fs.ReadFile(&m, "posts/a/card.png")
	if err != nil || string(data) != "PNG" {
		t.Fatalf("ReadFile: %q %v", data, err)
	}
	for _, bad := range []string{"posts/a/none.png", "../x", "/posts/a/card.png"} {
		if _, err := m.Open(bad); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("Open(%q): %v", bad, err)
		}
	}
}
