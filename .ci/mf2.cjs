// Reads the microformats2 of a built page with microformats-parser (what IndieWeb tools read) and checks
// that an article is a complete h-entry and the owner a complete h-card.
// Usage: node mf2.cjs PUBLIC_DIR ARTICLE_PATH BASE_URL
const fs = require("fs");
const path = require("path");
const { mf2 } = require(path.join(process.env.NPM_DIR, "node_modules/microformats-parser"));

const [dir, article, base] = process.argv.slice(2);
const problems = [];
function parse(page) {
  const html = fs.readFileSync(path.join(dir, page, "index.html"), "utf8");
  return mf2(html, { baseUrl: base + page });
}
function find(items, type) {
  for (const it of items) {
    if (it.type.includes(type)) return it;
    const sub = find(it.children || [], type);
    if (sub) return sub;
  }
  return null;
}

const home = parse("/");
const card = find(home.items, "h-card");
if (!card) problems.push("home: no h-card");
else for (const p of ["name", "url"]) if (!card.properties[p]) problems.push("home h-card: no " + p);
if (!(home.rels.me || []).length) problems.push("home: no rel=me links");

const entry = find(parse(article).items, "h-entry");
if (!entry) problems.push(article + ": no h-entry");
else {
  for (const p of ["name", "content", "published", "url", "category", "author"]) {
    if (!entry.properties[p]) problems.push(article + " h-entry: no " + p);
  }
  const author = (entry.properties.author || [])[0];
  if (author && typeof author === "object" && !author.properties.name) problems.push(article + " h-entry author: no name");
}
if (problems.length) {
  console.log(problems.join("\n"));
  process.exit(1);
}
console.log("microformats2: home h-card and " + article + " h-entry complete");
