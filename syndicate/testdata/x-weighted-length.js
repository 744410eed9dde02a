// Makes x-weighted-length.json: texts and their length as twitter-text 3.1.0 (npm) weighs them, the
// reference for countX. Run with `npm install twitter-text@3.1.0 && node x-weighted-length.js`.
const tt = require('twitter-text');
const parts = ["Bonjour", "é", "à", "«", "»", "\u00a0", "\u202f", ":", "!", "?", "…", "’", "中文", "한국어", "😀",
  "❤️", "❤", "👩‍💻", "🇫🇷", "🇦🇦", "1️⃣", "1\u20e3", "👍🏽", "👍\ufe0f🏽", "☀", "☀\ufe0e", "☀️", "©", "©️", "™", "→", "—",
  "🤷‍♀️", "🤷‍♀", "🧑‍🚀", "🥲", "🏴󠁧󠁢󠁳󠁣󠁴󠁿", "👩‍❤️‍👨", "❤️‍🔥", "e\u0301", "ß", "\n",
  "https://example.org/a?b=c", "https://camille-roussel.example/posts/x/?utm_source=x&utm_medium=social&utm_campaign=x",
  "example.org", "vitrine.fr", "bsky.social", "x.com/foo.", "(https://e.org/a)", "Node.js", "IMG_4521.JPG", "#Lyon",
  "#RéseauxSociaux", "@someone", "e.org»", "lien:https://e.org/x", "www.google.com/search?q=a+b", "mail@example.com",
  "https://fr.wikipedia.org/wiki/Lyon_(ville)", "http://xn--bcher-kva.example", "https://t.co/abc", "é.fr",
  "a_b.com", "https://EXAMPLE.ORG/A.", "test.org+", "\"vitrine.fr\"", "camille-roussel.example"];
let seed = 42;
const rnd = n => (seed = (seed * 1103515245 + 12345) % 2147483648) % n;
const texts = [...parts];
for (let i = 0; i < 600; i++) {
  let s = '';
  for (let j = 1 + rnd(8); j > 0; j--) s += parts[rnd(parts.length)] + (rnd(3) ? ' ' : '');
  texts.push(s);
}
const cases = texts.map(text => ({ text, length: tt.parseTweet(text).weightedLength }));
require('fs').writeFileSync('x-weighted-length.json', JSON.stringify(cases, null, 1) + '\n');
