// Package scaffold writes a new site: vitrine.toml, starter content for a freelancer or an association
// in French or English, a .gitignore, and the files that deploy it from a git push on the chosen host.
//
// The files are text/template templates embedded from templates/, with {% and %} as delimiters so that
// GitHub's ${{ … }} expressions and TOML's [[tables]] pass through untouched:
//
//	templates/site/LANG/KIND/…   starter content and vitrine.toml, by language and kind of site
//	templates/common/…           files every site gets (.gitignore)
//	templates/host/HOST/…        the CI or server files of one host
//	templates/syndicate/CI/…     a CI file that only syndicates, for hosts that deploy by themselves
//	                              (Netlify, Cloudflare Pages), on the forge CI that runs it
//	templates/partials/*.tmpl    {% define %}d pieces shared by the CI files: GitHub Actions jobs, and
//	                              the shell of every syndication job (sync.tmpl)
//
// Every syndication job starts from the branch head (not from the commit that triggered it), never
// runs beside another one (GitHub's concurrency group, GitLab's resource_group, a lock branch on
// Woodpecker), commits what vitrine wrote with a rebase-and-retry loop, and also runs on a schedule
// (Options.Schedule, hourly by default): posts whose slot came, event reminders, and vitrine backfeed.
//
// Files returns the files without touching the disk; Write refuses to overwrite an existing site.
package scaffold

import (
	"bytes"
	"cmp"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"text/template"
	"time"
	"unicode/utf8"
)

//go:embed all:templates
var templates embed.FS

// Kinds, languages and hosts init knows, the default first.
var (
	Kinds     = []string{"freelance", "association"}
	Languages = []string{"fr", "en"}
	Hosts     = []string{"github", "gitlab", "netlify", "cloudflare", "codeberg", "s3", "self"}
)

// Options describe the site to create. Title and BaseURL are required; the rest have defaults.
type Options struct {
	Kind string // "freelance" (a person: Person in JSON-LD) or "association" (an Organization, with events)
	Lang string // "fr" or "en": the language of the site and of its starter content
	Host string // where it is deployed: one of Hosts

	Title       string
	BaseURL     string // the deployed site's address, e.g. https://camille.example/
	Author      string // the person, or the association's name; default Title
	Description string // the home page's description; a default per kind and language

	Mastodon  string // profile: https://piaille.fr/@camille or @camille@piaille.fr
	Bluesky   string // handle (camille.bsky.social) or profile URL
	LinkedIn  string // profile URL
	Instagram string // profile URL

	// VitrineVersion is the version CI installs, e.g. v0.4.0: builds stay the same until it is changed.
	VitrineVersion string
	Branch         string // the branch that deploys; default "main"
	Bucket         string // host s3: s3://bucket[/prefix]; default s3://SITE-NAME
	Endpoint       string // host s3: the S3 endpoint URL, empty for AWS
	Region         string // host s3: the bucket's region
	ServerDir      string // host self: the folder holding releases/ and current; default /var/www/SITE-NAME
	// Schedule is when syndication also runs without a push, as a cron expression of five fields in
	// UTC: posts whose slot has come, event reminders, replies (vitrine backfeed). Default DefaultSchedule;
	// "off" for none.
	Schedule string
	// CI is the forge whose CI syndicates for hosts that deploy by themselves (netlify, cloudflare):
	// one of CIs, default github.
	CI  string
	Now time.Time

	// Legal fills [legal], the legal notice: written when its Status is set (see config.Legal).
	Legal Legal
}

// Legal is what vitrine init writes in [legal]; vitrine check then names what the law still asks.
type Legal struct {
	Status    string // auto-entrepreneur, societe, association, particulier
	Address   string
	SIRET     string
	Publisher string // default the author
	Email     string
	Phone     string
}

// DefaultSchedule is hourly, at minute 17: the top of the hour is when every scheduled job on a forge
// starts, and GitHub delays or drops some of them then.
const DefaultSchedule = "17 * * * *"

// CIs are the forges whose CI can run the syndication of a site Netlify or Cloudflare deploys.
var CIs = []string{"github", "gitlab", "codeberg"}

// File is one file to write, its path slash-separated and relative to the site's folder.
type File struct {
	Path string
	Data []byte
	Mode fs.FileMode
}

// data is what templates see: the options, normalized, and values derived from them.
type data struct {
	Options
	Name           string // the site's short name: a slug of the title
	Ident          string // Name with underscores, for identifiers (nginx variables)
	Domain         string // the host name of BaseURL
	SyndicateNeeds string // the GitHub Actions job the syndicate job waits for, if any
	MastodonURL    string
	MastodonServer string
	BlueskyHandle  string
	BlueskyURL     string
	Syndicates     bool   // a Mastodon or Bluesky account is configured
	Cron           string // Schedule, "" for none
	WoodpeckerCron string // Schedule in Woodpecker's syntax, which starts with seconds
	Year           int
	Today          string // 2026-03-14
	EventStart     string // an upcoming event: RFC 3339 in the site's time zone
	EventEnd       string
	PastStart      string // an event a month ago
	PastEnd        string
	Timezone       string
	CompatDate     string // Cloudflare's compatibility_date
}

// Validate checks and completes the options: defaults set, accounts normalized.
func (o *Options) Validate() error {
	var errs []error
	o.Kind = strings.ToLower(strings.TrimSpace(o.Kind))
	o.Lang = strings.ToLower(strings.TrimSpace(o.Lang))
	o.Host = strings.ToLower(strings.TrimSpace(o.Host))
	if st := o.Legal.Status; st != "" && !slices.Contains([]string{"auto-entrepreneur", "societe", "association", "particulier"}, st) {
		errs = append(errs, fmt.Errorf("legal status %q: give auto-entrepreneur, societe, association or particulier", st))
	}
	if o.Kind == "" {
		o.Kind = Kinds[0]
	}
	if o.Lang == "" {
		o.Lang = Languages[0]
	}
	if o.Host == "" {
		o.Host = Hosts[0]
	}
	if !slices.Contains(Kinds, o.Kind) {
		errs = append(errs, fmt.Errorf("unknown kind %q: use %s", o.Kind, strings.Join(Kinds, " or ")))
	}
	if !slices.Contains(Languages, o.Lang) {
		errs = append(errs, fmt.Errorf("unknown language %q: use %s", o.Lang, strings.Join(Languages, " or ")))
	}
	if !slices.Contains(Hosts, o.Host) {
		errs = append(errs, fmt.Errorf("unknown host %q: use one of %s", o.Host, strings.Join(Hosts, ", ")))
	}
	o.Title = strings.TrimSpace(o.Title)
	if o.Title == "" {
		errs = append(errs, errors.New("the site needs a title"))
	}
	o.BaseURL = strings.TrimSpace(o.BaseURL)
	if u, err := url.Parse(o.BaseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		errs = append(errs, fmt.Errorf("base URL %q is not an absolute http(s) address, e.g. https://mon-site.fr/", o.BaseURL))
	} else if !strings.HasSuffix(o.BaseURL, "/") {
		o.BaseURL += "/"
	}
	o.Author = strings.TrimSpace(o.Author)
	if o.Author == "" {
		o.Author = o.Title
	}
	o.Description = strings.TrimSpace(o.Description)
	for _, s := range []*string{&o.Mastodon, &o.Bluesky, &o.LinkedIn, &o.Instagram} {
		*s = strings.TrimSpace(*s)
	}
	if o.Mastodon != "" {
		if _, _, err := MastodonProfile(o.Mastodon); err != nil {
			errs = append(errs, err)
		}
	}
	if o.Bluesky != "" {
		if _, err := BlueskyHandle(o.Bluesky); err != nil {
			errs = append(errs, err)
		}
	}
	for _, p := range []struct{ name, value string }{{"LinkedIn", o.LinkedIn}, {"Instagram", o.Instagram}} {
		if p.value == "" {
			continue
		}
		if u, err := url.Parse(p.value); err != nil || u.Scheme != "https" || u.Host == "" {
			errs = append(errs, fmt.Errorf("%s profile %q is not an https:// address", p.name, p.value))
		}
	}
	if o.VitrineVersion == "" {
		o.VitrineVersion = "latest"
	}
	if strings.ContainsAny(o.VitrineVersion, " \t\n\"'$`\\") {
		errs = append(errs, fmt.Errorf("vitrine version %q is not a version", o.VitrineVersion))
	}
	if o.Branch == "" {
		o.Branch = "main"
	}
	if strings.ContainsAny(o.Branch, " \t\n\"'$`\\") {
		errs = append(errs, fmt.Errorf("branch %q is not a branch name", o.Branch))
	}
	name := SiteName(o.Title)
	if o.Host == "s3" {
		if o.Bucket == "" {
			o.Bucket = "s3://" + name
		}
		if !strings.HasPrefix(o.Bucket, "s3://") || len(o.Bucket) == len("s3://") || strings.ContainsAny(o.Bucket, " \t\n\"'$`\\") {
			errs = append(errs, fmt.Errorf("bucket %q: write it s3://bucket or s3://bucket/prefix", o.Bucket))
		}
		if o.Endpoint != "" {
			if u, err := url.Parse(o.Endpoint); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
				errs = append(errs, fmt.Errorf("endpoint %q is not an http(s) address", o.Endpoint))
			}
		}
		if strings.ContainsAny(o.Region, " \t\n\"'$`\\") {
			errs = append(errs, fmt.Errorf("region %q is not a region name", o.Region))
		}
	}
	if o.Host == "self" {
		if o.ServerDir == "" {
			o.ServerDir = "/var/www/" + name
		}
		if !path.IsAbs(o.ServerDir) || strings.ContainsAny(o.ServerDir, " \t\n\"'$`\\;{}") {
			errs = append(errs, fmt.Errorf("server folder %q must be an absolute path without spaces or quotes", o.ServerDir))
		}
	}
	o.Schedule = strings.Join(strings.Fields(o.Schedule), " ")
	if o.Schedule == "" {
		o.Schedule = DefaultSchedule
	}
	if err := checkCron(o.Schedule); err != nil {
		errs = append(errs, err)
	}
	o.CI = strings.ToLower(strings.TrimSpace(o.CI))
	if o.CI == "" {
		o.CI = CIs[0]
	}
	if !slices.Contains(CIs, o.CI) {
		errs = append(errs, fmt.Errorf("unknown CI %q: use one of %s", o.CI, strings.Join(CIs, ", ")))
	}
	if o.Now.IsZero() {
		o.Now = time.Now()
	}
	return errors.Join(errs...)
}

// Files returns the files of the new site, sorted by path. It validates the options first.
func Files(o Options) ([]File, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	d := newData(o)
	var partials *template.Template
	fm := template.FuncMap{"partial": func(name string, dot any) (string, error) {
		var b strings.Builder
		err := partials.ExecuteTemplate(&b, name, dot)
		return b.String(), err
	}}
	partials, err := template.New("").Delims("{%", "%}").Funcs(funcs).Funcs(fm).ParseFS(templates, "templates/partials/*.tmpl")
	if err != nil {
		return nil, fmt.Errorf("scaffold partials: %w", err)
	}
	roots := []string{"templates/common", "templates/site/" + o.Lang + "/" + o.Kind, "templates/host/" + o.Host}
	if (o.Host == "netlify" || o.Host == "cloudflare") && d.Syndicates {
		roots = append(roots, "templates/syndicate/"+o.CI)
	}
	var files []File
	for _, root := range roots {
		err := fs.WalkDir(templates, root, func(p string, e fs.DirEntry, err error) error {
			if err != nil || e.IsDir() {
				return err
			}
			src, err := fs.ReadFile(templates, p)
			if err != nil {
				return err
			}
			rel := strings.TrimPrefix(p, root+"/")
			mode := fs.FileMode(0o644)
			if strings.HasSuffix(rel, ".sh") || path.Base(rel) == "post-receive" {
				mode = 0o755
			}
			t, err := partials.Clone()
			if err == nil {
				t, err = t.New(rel).Parse(string(src))
			}
			if err != nil {
				return fmt.Errorf("scaffold template %s: %w", p, err)
			}
			var out bytes.Buffer
			if err := t.ExecuteTemplate(&out, rel, d); err != nil {
				return fmt.Errorf("scaffold template %s: %w", p, err)
			}
			files = append(files, File{Path: rel, Data: out.Bytes(), Mode: mode})
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	for i, f := range files {
		if f.Path == "vitrine.toml" && o.Legal.Status != "" {
			files[i].Data = append(f.Data, legalTable(o)...)
		}
	}
	slices.SortFunc(files, func(a, b File) int { return strings.Compare(a.Path, b.Path) })
	return files, nil
}

// legalTable is the [legal] table of vitrine.toml, from the flags of vitrine init. Fields left empty
// are written as comments, which vitrine check names until they are filled.
func legalTable(o Options) string {
	l := o.Legal
	var b strings.Builder
	if o.Lang == "fr" {
		b.WriteString("\n# Les mentions légales et la politique de confidentialité, écrites par vitrine (loi n° 2004-575, art. 1-1).\n# vitrine check dit quel champ la loi demande encore pour ce statut.\n")
	} else {
		b.WriteString("\n# The legal notice and privacy page vitrine writes (French law n° 2004-575, art. 1-1).\n# vitrine check names each field the law still asks for this status.\n")
	}
	b.WriteString("[legal]\nstatus = " + quoted(l.Status) + "\nname = " + quoted(o.Author) + "\n")
	field := func(key, value, example string) {
		if value != "" {
			b.WriteString(key + " = " + quoted(value) + "\n")
		} else {
			b.WriteString("# " + key + " = " + quoted(example) + "\n")
		}
	}
	field("address", l.Address, "12 rue des Capucins, 69001 Lyon")
	if l.Status == "auto-entrepreneur" || l.Status == "societe" {
		field("siret", l.SIRET, "123 456 789 00012")
		b.WriteString("# vat = \"FR12123456789\"   # or: vatExempt = true (TVA non applicable, art. 293 B du CGI)\n")
	}
	field("publisher", cmp.Or(l.Publisher, o.Author), "")
	field("email", l.Email, "bonjour@example.fr")
	field("phone", l.Phone, "04 00 00 00 00")
	if o.Host == "github" {
		b.WriteString("host = \"github\"\n")
	} else {
		b.WriteString("# host = \"ovh\"   # a preset (github, ovh, o2switch), or [legal.hosting] name, address, phone\n")
	}
	return b.String()
}

// cronField is one field of a cron expression: numbers, names (MON, JAN), *, ranges, lists and steps.
var cronField = regexp.MustCompile(`^[0-9A-Za-z*/,-]+$`)

// checkCron accepts "off" and five-field cron expressions, the syntax GitHub and GitLab share.
func checkCron(s string) error {
	if s == "off" {
		return nil
	}
	fields := strings.Fields(s)
	ok := len(fields) == 5
	for _, f := range fields {
		ok = ok && cronField.MatchString(f)
	}
	if !ok {
		return fmt.Errorf("schedule %q is not a cron expression of five fields (minute hour day month weekday, in UTC), e.g. %q for every hour, or \"off\"", s, DefaultSchedule)
	}
	return nil
}

func newData(o Options) data {
	d := data{Options: o, Name: SiteName(o.Title), Year: o.Now.Year(), Timezone: "Europe/Paris"}
	d.Ident = strings.ReplaceAll(d.Name, "-", "_")
	if u, err := url.Parse(o.BaseURL); err == nil {
		d.Domain = u.Hostname()
	}
	if o.Host == "github" || o.Host == "s3" {
		d.SyndicateNeeds = "deploy"
	}
	if o.Lang == "en" {
		d.Timezone = "Europe/London"
	}
	if o.Mastodon != "" {
		d.MastodonURL, d.MastodonServer, _ = MastodonProfile(o.Mastodon)
	}
	if o.Bluesky != "" {
		d.BlueskyHandle, _ = BlueskyHandle(o.Bluesky)
		d.BlueskyURL = "https://bsky.app/profile/" + d.BlueskyHandle
	}
	d.Syndicates = d.MastodonURL != "" || d.BlueskyHandle != ""
	if o.Schedule != "off" {
		d.Cron, d.WoodpeckerCron = o.Schedule, "0 "+o.Schedule
	}
	loc, err := time.LoadLocation(d.Timezone)
	if err != nil {
		loc = time.UTC
	}
	now := o.Now.In(loc)
	// Dates only, at midnight in the site's zone: the starter article is never in the future, whatever
	// the hour of init.
	d.Today = now.AddDate(0, 0, -1).Format(time.DateOnly)
	day := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, loc)
	upcoming := day.AddDate(0, 1, 0).Add(18*time.Hour + 30*time.Minute)
	d.EventStart, d.EventEnd = upcoming.Format(time.RFC3339), upcoming.Add(2*time.Hour).Format(time.RFC3339)
	past := day.AddDate(0, -1, 0).Add(10 * time.Hour)
	d.PastStart, d.PastEnd = past.Format(time.RFC3339), past.Add(3*time.Hour).Format(time.RFC3339)
	d.CompatDate = now.Format(time.DateOnly)
	return d
}

// funcs quote values for the format of the file they land in. One quoting serves both: the escapes of
// a TOML basic string (\" \\ \n \t \uXXXX) are all valid in a YAML double-quoted scalar.
var funcs = template.FuncMap{
	"toml":    quoted,
	"yaml":    quoted,
	"indent":  indent,
	"dollars": func(s string) string { return strings.ReplaceAll(s, "$", "$$") }, // Woodpecker's escape
	"ci":      ciFor,
	"partial": func(string, any) (string, error) { return "", nil }, // replaced in Files
}

// indent puts n spaces before every line of s but the empty ones: a shell script into a YAML block.
func indent(n int, s string) string {
	pad := strings.Repeat(" ", n)
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		if l != "" {
			lines[i] = pad + l
		}
	}
	return strings.Join(lines, "\n")
}

// ci is what the syndication shell (templates/partials/sync.tmpl) needs to know of a forge.
type ci struct {
	Remote    string // what git fetches from and pushes to
	Branch    string // the branch that deploys
	Email     string // the committer's address
	Scheduled string // a shell test, true in a scheduled run
	Redeploy  string // shell that deploys again once reactions were pushed, when a push does not
}

// ciFor returns the shell values of a forge's syndication job: github, gitlab or codeberg.
func ciFor(forge string, d data) ci {
	switch forge {
	case "gitlab":
		return ci{Remote: `"https://oauth2:${VITRINE_PUSH_TOKEN}@${CI_SERVER_HOST}/${CI_PROJECT_PATH}.git"`, Branch: "${CI_DEFAULT_BRANCH}",
			Email: "vitrine@noreply.${CI_SERVER_HOST}", Scheduled: `[ "${CI_PIPELINE_SOURCE}" = schedule ]`}
	case "codeberg":
		return ci{Remote: `"https://${CI_REPO_OWNER}:${CODEBERG_TOKEN}@codeberg.org/${CI_REPO}.git"`, Branch: d.Branch,
			Email: "vitrine@noreply.codeberg.org", Scheduled: `[ "${CI_PIPELINE_EVENT}" = cron ]`}
	}
	c := ci{Remote: "origin", Branch: d.Branch, Email: "vitrine@users.noreply.github.com", Scheduled: `[ "${GITHUB_EVENT_NAME}" = schedule ]`}
	if d.Host == "github" || d.Host == "s3" {
		// A push with the workflow's token starts no workflow; a workflow_dispatch does.
		c.Redeploy = `    gh workflow run deploy.yml --ref "` + d.Branch + `"`
	}
	return c
}

// quoted quotes s as a TOML basic string, which is also a YAML double-quoted scalar.
func quoted(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"':
			b.WriteString(`\"`)
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\u%04X`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// SiteName makes a short name for the site from its title: lowercase ASCII letters, digits and dashes.
func SiteName(title string) string {
	var b strings.Builder
	dash := false
	for _, r := range foldAccents(strings.ToLower(title)) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			b.WriteRune(r)
			dash = false
		case !dash && b.Len() > 0:
			b.WriteByte('-')
			dash = true
		}
	}
	name := strings.Trim(b.String(), "-")
	if len(name) > 40 {
		name = strings.Trim(name[:40], "-")
	}
	if name == "" {
		return "site"
	}
	return name
}

func foldAccents(s string) string {
	r := strings.NewReplacer("à", "a", "â", "a", "ä", "a", "á", "a", "ç", "c", "é", "e", "è", "e", "ê", "e", "ë", "e",
		"î", "i", "ï", "i", "í", "i", "ô", "o", "ö", "o", "ó", "o", "ù", "u", "û", "u", "ü", "u", "ú", "u",
		"ÿ", "y", "ñ", "n", "œ", "oe", "æ", "ae", "ß", "ss")
	return r.Replace(s)
}

// MastodonProfile reads a Mastodon account written as a profile URL (https://piaille.fr/@camille) or
// an address (@camille@piaille.fr) and returns its profile URL and its server's URL.
func MastodonProfile(s string) (profile, server string, err error) {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "https://") || strings.HasPrefix(s, "http://") {
		u, perr := url.Parse(s)
		if perr != nil || u.Host == "" || !strings.HasPrefix(u.Path, "/@") || len(u.Path) < 3 {
			return "", "", fmt.Errorf("Mastodon profile %q: write it https://SERVER/@NAME or @NAME@SERVER", s)
		}
		return "https://" + u.Host + strings.TrimSuffix(u.Path, "/"), "https://" + u.Host, nil
	}
	user, host, ok := strings.Cut(strings.TrimPrefix(s, "@"), "@")
	if !ok || user == "" || !validHost(host) || strings.ContainsAny(user, "/ ?#") {
		return "", "", fmt.Errorf("Mastodon account %q: write it @NAME@SERVER or https://SERVER/@NAME", s)
	}
	return "https://" + host + "/@" + user, "https://" + host, nil
}

// BlueskyHandle reads a Bluesky handle (camille.bsky.social, @camille.bsky.social) or profile URL
// (https://bsky.app/profile/camille.bsky.social) and returns the handle.
func BlueskyHandle(s string) (string, error) {
	s = strings.TrimSpace(s)
	h := strings.TrimPrefix(s, "@")
	if rest, ok := strings.CutPrefix(s, "https://bsky.app/profile/"); ok {
		h = strings.TrimSuffix(rest, "/")
	}
	h = strings.ToLower(h)
	if !validHost(h) {
		return "", fmt.Errorf("Bluesky handle %q: write it like camille.bsky.social", s)
	}
	return h, nil
}

func validHost(h string) bool {
	if !strings.Contains(h, ".") || len(h) > 253 || !utf8.ValidString(h) {
		return false
	}
	for label := range strings.SplitSeq(h, ".") {
		if label == "" || strings.HasPrefix(label, "-") || strings.HasSuffix(label, "-") {
			return false
		}
		for _, r := range label {
			if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-') {
				return false
			}
		}
	}
	return true
}

// Conflicts returns why dir cannot receive the files: it already holds a site (vitrine.toml or
// content/), or one of the files exists. A .gitignore that exists is not a conflict: Write adds the
// missing lines to it.
func Conflicts(dir string, files []File) []string {
	var out []string
	for _, p := range []string{"vitrine.toml", "content"} {
		if _, err := os.Lstat(filepath.Join(dir, p)); err == nil {
			out = append(out, p)
		}
	}
	for _, f := range files {
		if f.Path == "vitrine.toml" || strings.HasPrefix(f.Path, "content/") || f.Path == ".gitignore" {
			continue
		}
		if _, err := os.Lstat(filepath.Join(dir, filepath.FromSlash(f.Path))); err == nil {
			out = append(out, f.Path)
		}
	}
	return out
}

// Write creates the files under dir, which may exist. It refuses, writing nothing, when dir already
// holds a site or any of the files; an existing .gitignore gets the lines it lacks. It returns the paths
// written.
func Write(dir string, files []File) ([]string, error) {
	if c := Conflicts(dir, files); len(c) > 0 {
		return nil, fmt.Errorf("%s already has %s: vitrine init never overwrites a site; choose an empty folder",
			dir, strings.Join(c, ", "))
	}
	var written []string
	for _, f := range files {
		full := filepath.Join(dir, filepath.FromSlash(f.Path))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			return written, err
		}
		if f.Path == ".gitignore" {
			if changed, err := mergeLines(full, f.Data); err != nil {
				return written, err
			} else if changed {
				written = append(written, f.Path)
			}
			continue
		}
		if err := writeNew(full, f.Data, f.Mode); err != nil {
			return written, err
		}
		written = append(written, f.Path)
	}
	return written, nil
}

func writeNew(name string, data []byte, mode fs.FileMode) error {
	out, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode)
	if err != nil {
		return err
	}
	if _, err := out.Write(data); err != nil {
		out.Close()
		return err
	}
	if err := out.Close(); err != nil {
		return err
	}
	return os.Chmod(name, mode) // past the umask: the hook must be executable
}

// mergeLines appends to the file the lines of add it lacks, creating it if needed.
func mergeLines(name string, add []byte) (bool, error) {
	old, err := os.ReadFile(name)
	if errors.Is(err, fs.ErrNotExist) {
		return true, writeNew(name, add, 0o644)
	} else if err != nil {
		return false, err
	}
	have := map[string]bool{}
	for l := range strings.SplitSeq(string(old), "\n") {
		have[strings.TrimSpace(l)] = true
	}
	var missing []string
	for l := range strings.SplitSeq(string(add), "\n") {
		if t := strings.TrimSpace(l); t != "" && !strings.HasPrefix(t, "#") && !have[t] {
			missing = append(missing, l)
		}
	}
	if len(missing) == 0 {
		return false, nil
	}
	text := string(old)
	if text != "" && !strings.HasSuffix(text, "\n") {
		text += "\n"
	}
	text += "\n# vitrine\n" + strings.Join(missing, "\n") + "\n"
	return true, os.WriteFile(name, []byte(text), 0o644)
}
