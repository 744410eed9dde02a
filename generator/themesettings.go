package generator

import (
	"fmt"
	"math"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/vitrine-ssg/vitrine/generator/config"
	"github.com/vitrine-ssg/vitrine/generator/output"
	"github.com/vitrine-ssg/vitrine/themes"
)

// Palette is one colour scheme of a theme, from its theme.toml: what the contrast checks of the
// site's colours compare with.
type Palette struct {
	Background string `toml:"background"`
	Text       string `toml:"text"`
	Accent     string `toml:"accent"`
}

// themeSettings reads the fonts and colours a site sets without writing CSS ([params] fonts, accent,
// background, text and scheme) and returns the CSS that applies them, written after the theme's stylesheet, and a warning
// for each pair of colours that fails the contrast WCAG AA asks of text (4.5:1): text on the
// background, links (the accent) on the background, and a button's text on the accent.
func themeSettings(cfg config.Config, theme Theme) (css string, warnings []string, err error) {
	get := func(key string) (string, error) {
		v, ok := cfg.Params[key]
		if !ok {
			return "", nil
		}
		s, _ := v.(string)
		if key == "scheme" {
			if !slices.Contains([]string{"auto", "light", "dark"}, s) {
				return "", fmt.Errorf("%s: [params] scheme = %v: choose \"auto\" (the reader's setting), \"light\" or \"dark\"", config.FileName, v)
			}
			return s, nil
		}
		if _, ok := parseHex(s); !ok {
			return "", fmt.Errorf("%s: [params] %s = %v: give a colour as #rrggbb or #rgb", config.FileName, key, v)
		}
		return strings.ToLower(s), nil
	}
	accent, err := get("accent")
	if err != nil {
		return "", nil, err
	}
	background, err := get("background")
	if err != nil {
		return "", nil, err
	}
	text, err := get("text")
	if err != nil {
		return "", nil, err
	}
	scheme, err := get("scheme")
	if err != nil {
		return "", nil, err
	}
	if scheme == "" || scheme == "auto" {
		scheme = theme.Scheme
	}
	fontsCSS, err := fontFaces(cfg.Params["fonts"])
	if err != nil {
		return "", nil, err
	}
	if accent == "" && background == "" && text == "" {
		return fontsCSS, nil, nil
	}
	var vars []string
	onAccent := ""
	if accent != "" {
		onAccent = readableOn(accent)
		vars = append(vars, "--accent:"+accent, "--accent-hover:"+accent, "--on-accent:"+onAccent)
	}
	if background != "" {
		vars = append(vars, "--bg:"+background)
	}
	if text != "" {
		vars = append(vars, "--text:"+text)
	}
	css = fontsCSS + ":root,:root:root{" + strings.Join(vars, ";") + "}\n"

	// Each scheme the page may show is checked: both for a theme that follows the reader's setting.
	schemes := map[string]Palette{"light": theme.Light, "dark": theme.Dark}
	var names []string
	switch scheme {
	case "light", "dark":
		names = []string{scheme}
	default:
		names = []string{"light", "dark"}
	}
	for _, name := range names {
		p := schemes[name]
		bg, fg, ac := or(background, p.Background), or(text, p.Text), or(accent, p.Accent)
		pairs := []struct{ what, fg, bg string }{
			{"text " + fg + " on background " + bg, fg, bg},
			{"links (accent " + ac + ") on background " + bg, ac, bg},
		}
		if onAccent != "" {
			pairs = append(pairs, struct{ what, fg, bg string }{"button text " + onAccent + " on accent " + ac, onAccent, ac})
		}
		for _, pr := range pairs {
			if pr.fg == "" || pr.bg == "" {
				continue
			}
			if c := contrast(pr.fg, pr.bg); c < 4.5 {
				warnings = append(warnings, fmt.Sprintf("%s: [params] colours, %s scheme: %s have a contrast of %.2f:1, below the 4.5:1 WCAG AA asks of text: choose a darker or lighter colour",
					config.FileName, name, pr.what, c))
			}
		}
	}
	return css, warnings, nil
}

func or(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// readableOn returns the text colour with the better contrast on bg: white or near-black.
func readableOn(bg string) string {
	if contrast("#ffffff", bg) >= contrast("#14110b", bg) {
		return "#ffffff"
	}
	return "#14110b"
}

// parseHex reads #rgb or #rrggbb.
func parseHex(s string) ([3]float64, bool) {
	var c [3]float64
	if !strings.HasPrefix(s, "#") || (len(s) != 4 && len(s) != 7) {
		return c, false
	}
	h := s[1:]
	if len(h) == 3 {
		h = string([]byte{h[0], h[0], h[1], h[1], h[2], h[2]})
	}
	for i := range 3 {
		v, err := strconv.ParseUint(h[2*i:2*i+2], 16, 8)
		if err != nil {
			return c, false
		}
		c[i] = float64(v) / 255
	}
	return c, true
}

// luminance is the relative luminance of a colour as WCAG 2 defines it.
func luminance(s string) float64 {
	c, _ := parseHex(s)
	var l [3]float64
	for i, v := range c {
		if v <= 0.04045 {
			l[i] = v / 12.92
		} else {
			l[i] = math.Pow((v+0.055)/1.055, 2.4)
		}
	}
	return 0.2126*l[0] + 0.7152*l[1] + 0.0722*l[2]
}

// contrast is the WCAG 2 contrast ratio of two colours, from 1 to 21.
func contrast(a, b string) float64 {
	la, lb := luminance(a), luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

// fontFace is one font file of a pairing.
type fontFace struct {
	family string
	file   string // under themes/fonts/
	weight int
}

// fontPairing is a choice of [params] fonts: a typeface for headings and one for text.
type fontPairing struct {
	heading, body string
	faces         []fontFace
}

// fontPairings are the pairings a site may choose, each self-hosted (see themes/fonts/README.md).
var fontPairings = map[string]fontPairing{
	"classique": {heading: "Lora", body: "Inter", faces: []fontFace{
		{"Lora", "lora/lora-latin-700-normal.woff2", 700},
		{"Inter", "inter/inter-latin-400-normal.woff2", 400},
		{"Inter", "inter/inter-latin-700-normal.woff2", 700},
	}},
	"editorial": {heading: "Fraunces", body: "Work Sans", faces: []fontFace{
		{"Fraunces", "fraunces/fraunces-latin-700-normal.woff2", 700},
		{"Work Sans", "work-sans/work-sans-latin-400-normal.woff2", 400},
		{"Work Sans", "work-sans/work-sans-latin-700-normal.woff2", 700},
	}},
}

// fontsOf returns the pairing [params] fonts chooses, nil for the theme's own (system fonts).
func fontsOf(v any) (*fontPairing, error) {
	if v == nil || v == "system" {
		return nil, nil
	}
	s, _ := v.(string)
	p, ok := fontPairings[s]
	if !ok {
		return nil, fmt.Errorf("%s: [params] fonts = %v: choose \"classique\" (Lora and Inter), \"editorial\" (Fraunces and Work Sans) or \"system\"", config.FileName, v)
	}
	return &p, nil
}

// fontFaces returns the @font-face rules of the chosen pairing and the custom properties that put it
// first in the theme's font stacks; "" for none. The files are found beside the stylesheet's folder,
// in fonts/, whatever the site's base path; font-display: swap shows the text at once in a system font.
func fontFaces(v any) (string, error) {
	p, err := fontsOf(v)
	if p == nil || err != nil {
		return "", err
	}
	var b strings.Builder
	for _, f := range p.faces {
		fmt.Fprintf(&b, "@font-face{font-family:%q;font-style:normal;font-weight:%d;font-display:swap;src:url(../fonts/%s) format(\"woff2\")}\n",
			f.family, f.weight, path.Base(f.file))
	}
	fmt.Fprintf(&b, ":root,:root:root{--sans:%q,system-ui,sans-serif;--serif:%q,Georgia,serif}\n", p.body, p.heading)
	return b.String(), nil
}

// writeFonts publishes the files of the chosen pairing in fonts/.
func writeFonts(w output.Writer, v any) error {
	p, err := fontsOf(v)
	if p == nil || err != nil {
		return err
	}
	for _, f := range p.faces {
		data, err := themes.Font(f.file)
		if err != nil {
			return err
		}
		if err := w.WriteFile("fonts/"+path.Base(f.file), data); err != nil {
			return err
		}
	}
	return nil
}
