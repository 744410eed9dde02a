package markdown

import "testing"

func TestText(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"<p>Un <em>été</em> &amp; l&#39;hiver.</p>\n<p>Deux.</p>", "Un été & l'hiver. Deux."},
		{"<ul><li>a</li><li>b</li></ul>", "a b"},
		{"<p>Prix : 10\u00a0€</p><script>x()</script><style>p{}</style>", "Prix : 10\u00a0€"},
		{"ligne<br>suivante", "ligne suivante"},
		{"ligne<br/>suivante", "ligne suivante"},
		{`<p>Voir<script>var x = "<p>";</script> ceci</p><style>p{}</style>`, "Voir ceci"},
		{"<p> \n début\u2003\u2003fin\t</p>", "début fin"},
		{"<p>\u00a0Bonjour\u202f!</p>", "\u00a0Bonjour\u202f!"},
		{"a</script>b", "ab"},
		{"<h2>Titre</h2><p>texte</p>", "Titre texte"},
	} {
		if got := Text(tc.in); got != tc.want {
			t.Errorf("Text(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
