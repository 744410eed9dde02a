// Parses every .ics file of a built site with node-ical and checks the properties RFC 5545 requires of
// each event (UID, DTSTAMP, DTSTART), as calendar applications read them.
// Usage: node ics.cjs PUBLIC_DIR
const fs = require("fs");
const path = require("path");
const ical = require(path.join(process.env.NPM_DIR, "node_modules/node-ical"));

const files = [];
(function walk(dir) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p);
    else if (e.name.endsWith(".ics")) files.push(p);
  }
})(process.argv[2]);

let problems = 0, events = 0;
for (const f of files) {
  const data = ical.sync.parseICS(fs.readFileSync(f, "utf8"));
  const evs = Object.values(data).filter((c) => c.type === "VEVENT");
  if (!evs.length) { console.log(f + ": no event"); problems++; }
  for (const ev of evs) {
    events++;
    for (const p of ["uid", "dtstamp", "start", "summary"]) {
      if (!ev[p]) { console.log(`${f}: event ${ev.uid}: no ${p}`); problems++; }
    }
    if (ev.start && isNaN(new Date(ev.start).getTime())) { console.log(`${f}: ${ev.uid}: bad start`); problems++; }
  }
}
if (!files.length) { console.log("no .ics file found"); process.exit(1); }
console.log(`node-ical: ${files.length} files, ${events} events` + (problems ? `, ${problems} problems` : ", all complete"));
process.exit(problems ? 1 : 0);
