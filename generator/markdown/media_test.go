package markdown

import (
	"fmt"
	"io"
	"reflect"
	"testing"
)

func TestParseEmbed(t *testing.T) {
	for _, c := range []struct {
		url      string
		kind, id string
	}{
		{"https://www.youtube.com/watch?v=dQw4w9WgXcQ", EmbedYouTube, "dQw4w9WgXcQ"},
		{"https://youtu.be/dQw4w9WgXcQ", EmbedYouTube, "dQw4w9WgXcQ"},
		{"https://m.youtube.com/shorts/dQw4w9WgXcQ", EmbedYouTube, "dQw4w9WgXcQ"},
		{"https://vimeo.com/76979871", EmbedVimeo, "76979871"},
		{"https://player.vimeo.com/video/76979871", EmbedVimeo, "76979871"},
		{"https://www.tiktok.com/@camille/video/7234567890123456789", EmbedTikTok, "7234567890123456789"},
		{"https://www.instagram.com/p/C1a2B3c4D5e/", EmbedInstagram, "C1a2B3c4D5e"},
		{"https://www.instagram.com/reel/C1a2B3c4D5e/", EmbedInstagram, "C1a2B3c4D5e"},
		{"clip.mp4", EmbedVideo, ""},
		{"videos/Clip.WEBM", EmbedVideo, ""},
		{"https://www.youtube.com/channel/UC123", "", ""},
		{"https://www.instagram.com/camille/", "", ""},
		{"https://example.org/clip.mp4", "", ""},
		{"javascript:alert(1)", "", ""},
		{"photo.jpg", "", ""},
	} {
		e, ok := ParseEmbed(c.url)
		if ok != (c.kind != "") || ok && (e.Kind != c.kind || e.ID != c.id) {
			t.Errorf("ParseEmbed(%q) = %+v, %v; want %s %q", c.url, e, ok, c.kind, c.id)
		}
	}
}

// recorder is a Media that records what it is asked and writes a marker.
type recorder struct {
	images []Image
	embeds []Embed
}

func (r *recorder) Image(w io.Writer, img Image) bool {
	r.images = append(r.images, img)
	fmt.Fprintf(w, "[image %s]", img.Dest)
	return true
}

func (r *recorder) Embed(w io.Writer, e Embed) bool {
	r.embeds = append(r.embeds, e)
	fmt.Fprintf(w, "[embed %s %s]\n", e.Kind, e.ID)
	return true
}

func TestMedia(t *testing.T) {
	src := "Intro.\n\n" +
		"![Une miche](miche.jpg \"La miche du vendredi\")\n\n" +
		"Texte ![](icone.png) en ligne.\n\n" +
		"https://youtu.be/dQw4w9WgXcQ\n\n" +
		"[Le fournil en vidéo](https://vimeo.com/76979871)\n\n" +
		"Voir https://youtu.be/dQw4w9WgXcQ dans le texte.\n\n" +
		"![Le pétrissage](petrissage.mp4)\n\n" +
		"https://www.instagram.com/p/C1a2B3c4D5e/\n"
	var r recorder
	res, err := New(Options{}).ConvertWith([]byte(src), nil, &r)
	if err != nil {
		t.Fatal(err)
	}
	want := []Image{
		{Dest: "miche.jpg", Alt: "Une miche", Title: "La miche du vendredi", Figure: true, First: true, Line: 3},
		{Dest: "icone.png", Line: 5},
	}
	if !reflect.DeepEqual(r.images, want) {
		t.Errorf("images:\n got %+v\nwant %+v", r.images, want)
	}
	wantEmbeds := []Embed{
		{Kind: EmbedYouTube, ID: "dQw4w9WgXcQ", URL: "https://youtu.be/dQw4w9WgXcQ", Line: 7},
		{Kind: EmbedVimeo, ID: "76979871", URL: "https://vimeo.com/76979871", Title: "Le fournil en vidéo", Line: 9},
		{Kind: EmbedVideo, URL: "petrissage.mp4", Title: "Le pétrissage", Line: 13},
		{Kind: EmbedInstagram, ID: "C1a2B3c4D5e", URL: "https://www.instagram.com/p/C1a2B3c4D5e/", Line: 15},
	}
	if !reflect.DeepEqual(r.embeds, wantEmbeds) {
		t.Errorf("embeds:\n got %+v\nwant %+v", r.embeds, wantEmbeds)
	}
	assertContains(t, res.HTML, []string{
		"[image miche.jpg]", "<p>Texte [image icone.png] en ligne.</p>", "[embed youtube dQw4w9WgXcQ]",
		`<p>Voir <a href="https://youtu.be/dQw4w9WgXcQ">https://youtu.be/dQw4w9WgXcQ</a> dans le texte.</p>`,
	}, []string{"<p>[embed", "<p>[image miche"})
}

// TestMediaDefault checks the rendering without a Media: figures with their caption, embeds as the
// links they were.
func TestMediaDefault(t *testing.T) {
	res := convert(t, Options{}, "![Une miche](miche.jpg \"La miche\")\n\n[Le fournil](https://vimeo.com/76979871)\n\n![x](javascript:alert(1))\n", nil)
	assertContains(t, res.HTML, []string{
		`<figure><img src="miche.jpg" alt="Une miche" title="La miche"><figcaption>La miche</figcaption></figure>`,
		`<p><a href="https://vimeo.com/76979871">Le fournil</a></p>`,
		// An image whose URL the policy refuses becomes its alt text, and is reported with its line.
		`<p>x</p>`,
	}, []string{"javascript"})
	if want := []LinkError{{Line: 5, Dest: "javascript:alert(1)"}}; !reflect.DeepEqual(res.UnsafeURLs, want) {
		t.Errorf("UnsafeURLs = %+v, want %+v", res.UnsafeURLs, want)
	}
}
