package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/vitrine-ssg/vitrine/generator/scaffold"
)

// stdinIsTerminal reports whether vitrine init may ask its questions.
func stdinIsTerminal() bool { return term.IsTerminal(int(os.Stdin.Fd())) }

// initCmd scaffolds a site. It asks for what no flag gave when interactive() is true, reading the
// answers from in.
func initCmd(in io.Reader, interactive func() bool, now func() time.Time) *cobra.Command {
	var (
		o       scaffold.Options
		noInput bool
	)
	cmd := &cobra.Command{
		Use:   "init [DIR]",
		Short: "Create a new site: configuration, starter content and deployment files",
		Long: "Create a site in DIR (default: the current folder): vitrine.toml, starter content for a freelancer\n" +
			"or an association, a .gitignore, and the files that publish it at each git push on the chosen host:\n" +
			"  github      .github/workflows/deploy.yml: GitHub Pages, then syndication\n" +
			"  gitlab      .gitlab-ci.yml: GitLab Pages, then syndication\n" +
			"  netlify     netlify.toml; syndication by the CI of --ci (github, gitlab, codeberg)\n" +
			"  cloudflare  wrangler.toml and static/_headers: Cloudflare Pages; syndication as netlify\n" +
			"  codeberg    .woodpecker.yml: Codeberg Pages (the pages branch)\n" +
			"  s3          .github/workflows/deploy.yml running vitrine deploy s3://…\n" +
			"  self        deploy/post-receive, a git hook for your own server, and deploy/nginx.conf\n" +
			"Every syndication job starts from the branch head, never runs beside another one, commits the\n" +
			"ledger with a rebase-and-retry loop, and also runs on --schedule (hourly by default) for posts\n" +
			"whose slot came, event reminders and vitrine backfeed.\n" +
			"On a terminal it asks for what the flags did not give; otherwise it takes the flags and defaults.\n" +
			"It never overwrites a site: a folder with vitrine.toml or content/ is refused.",
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			dir := "."
			if len(args) == 1 {
				dir = args[0]
			}
			out := cmd.OutOrStdout()
			if c := scaffold.Conflicts(dir, nil); len(c) > 0 {
				return fmt.Errorf("%s already has %s: vitrine init never overwrites a site; choose an empty folder",
					dir, strings.Join(c, ", "))
			}
			changed := cmd.Flags().Changed
			if o.VitrineVersion == "" {
				o.VitrineVersion = pinnedVersion()
			}
			if !noInput && interactive() {
				q := &asker{in: bufio.NewReader(in), out: out}
				if err := q.complete(&o, dir, changed); err != nil {
					return err
				}
			} else {
				if o.Title == "" {
					o.Title = defaultTitle(dir, o.Lang)
				}
				if o.BaseURL == "" {
					o.BaseURL = defaultBaseURL(o)
				}
			}
			o.Now = now()
			if err := o.Validate(); err != nil {
				return err
			}
			files, err := scaffold.Files(o)
			if err != nil {
				return err
			}
			if err := os.MkdirAll(dir, 0o755); err != nil {
				return err
			}
			written, err := scaffold.Write(dir, files)
			if err != nil {
				return err
			}
			printNextSteps(out, dir, o, written)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.Kind, "kind", "", "freelance (a person) or association (an organization, with events); default freelance")
	f.StringVar(&o.Lang, "lang", "", "the site's language: fr or en; default fr")
	f.StringVar(&o.Host, "host", "", "where it is published: "+strings.Join(scaffold.Hosts, ", ")+"; default github")
	f.StringVar(&o.Title, "title", "", "the site's title")
	f.StringVar(&o.BaseURL, "base-url", "", "the address of the published site, e.g. https://mon-site.fr/")
	f.StringVar(&o.Author, "author", "", "your name, or the association's; default the title")
	f.StringVar(&o.Description, "description", "", "one sentence for search engines and shares")
	f.StringVar(&o.Mastodon, "mastodon", "", "Mastodon account: @NAME@SERVER or https://SERVER/@NAME")
	f.StringVar(&o.Bluesky, "bluesky", "", "Bluesky handle, e.g. camille.bsky.social")
	f.StringVar(&o.LinkedIn, "linkedin", "", "LinkedIn profile URL")
	f.StringVar(&o.Instagram, "instagram", "", "Instagram profile URL")
	f.StringVar(&o.VitrineVersion, "vitrine-version", "", "the vitrine version CI installs (default: this one)")
	f.StringVar(&o.Branch, "branch", "main", "the branch whose pushes publish the site")
	f.StringVar(&o.Bucket, "bucket", "", "host s3: s3://BUCKET[/PREFIX]")
	f.StringVar(&o.Endpoint, "endpoint", "", "host s3: the S3 endpoint, e.g. https://s3.fr-par.scw.cloud (empty for AWS)")
	f.StringVar(&o.Region, "region", "", "host s3: the bucket's region")
	f.StringVar(&o.ServerDir, "server-dir", "", "host self: the folder on the server that holds the releases (default /var/www/NAME)")
	f.StringVar(&o.Schedule, "schedule", scaffold.DefaultSchedule, "when syndication also runs without a push: five cron fields in UTC, or off")
	f.StringVar(&o.CI, "ci", "", "netlify, cloudflare: the forge whose CI syndicates: "+strings.Join(scaffold.CIs, ", ")+"; default github")
	f.StringVar(&o.Legal.Status, "legal-status", "", "write [legal], the legal notice: auto-entrepreneur, societe, association or particulier")
	f.StringVar(&o.Legal.Address, "legal-address", "", "[legal]: your address, or the registered office")
	f.StringVar(&o.Legal.SIRET, "siret", "", "[legal]: the SIRET number")
	f.StringVar(&o.Legal.Publisher, "publisher", "", "[legal]: the director of the publication (default the author)")
	f.StringVar(&o.Legal.Email, "legal-email", "", "[legal]: the e-mail address the legal notice gives")
	f.StringVar(&o.Legal.Phone, "phone", "", "[legal]: the phone number the legal notice gives")
	f.BoolVar(&noInput, "no-input", false, "never ask: take the flags and defaults, even on a terminal")
	return cmd
}

// releaseVersion matches a released version that go install can fetch; pseudo-versions of local
// commits are left out, since CI could not fetch an unpushed commit.
var (
	releaseVersion = regexp.MustCompile(`^v\d+\.\d+\.\d+(-[0-9A-Za-z.]+)?$`)
	pseudoVersion  = regexp.MustCompile(`\d{14}-[0-9a-f]{12}$`)
)

// pinnedVersion is the version the generated CI installs: this binary's, when it is a release.
func pinnedVersion() string {
	for _, v := range []string{version, "v" + version} {
		if releaseVersion.MatchString(v) && !pseudoVersion.MatchString(v) {
			return v
		}
	}
	if bi, ok := debug.ReadBuildInfo(); ok {
		if v := bi.Main.Version; releaseVersion.MatchString(v) && !pseudoVersion.MatchString(v) {
			return v
		}
	}
	return "latest"
}

func defaultTitle(dir, lang string) string {
	base := filepath.Base(filepath.Clean(dir))
	if dir == "." || base == "." || base == "/" {
		if abs, err := filepath.Abs(dir); err == nil {
			base = filepath.Base(abs)
		}
	}
	words := strings.FieldsFunc(base, func(r rune) bool { return r == '-' || r == '_' || r == '.' || r == ' ' })
	if len(words) == 0 {
		if lang == "en" {
			return "My site"
		}
		return "Mon site"
	}
	t := strings.Join(words, " ")
	return strings.ToUpper(t[:1]) + t[1:]
}

// defaultBaseURL guesses the address of the site: the host's own when it gives one from the project
// name, a placeholder to change otherwise.
func defaultBaseURL(o scaffold.Options) string {
	name := scaffold.SiteName(o.Title)
	switch o.Host {
	case "netlify":
		return "https://" + name + ".netlify.app/"
	case "cloudflare":
		return "https://" + name + ".pages.dev/"
	}
	return "https://" + name + ".example/"
}

// asker asks the questions of an interactive init, in the site's language.
type asker struct {
	in  *bufio.Reader
	out io.Writer
	fr  bool
}

// ask prints the question and returns the answer, def when it is empty; check rejects an answer and
// the question is asked again. At the end of the input, the default is taken.
func (q *asker) ask(fr, en, def string, check func(string) error) (string, error) {
	prompt, colon := en, ": "
	if q.fr {
		prompt, colon = fr, "\u00a0: "
	}
	for {
		if def != "" {
			fmt.Fprintf(q.out, "%s [%s]%s", prompt, def, colon)
		} else {
			fmt.Fprintf(q.out, "%s%s", prompt, colon)
		}
		line, err := q.in.ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return "", err
		}
		answer := strings.TrimSpace(line)
		if answer == "" {
			answer = def
		}
		if errors.Is(err, io.EOF) {
			fmt.Fprintln(q.out)
		}
		if check == nil {
			return answer, nil
		}
		cerr := check(answer)
		if cerr == nil {
			return answer, nil
		}
		if errors.Is(err, io.EOF) {
			return "", cerr
		}
		fmt.Fprintf(q.out, "  %v\n", cerr)
	}
}

func oneOf(values []string) func(string) error {
	return func(s string) error {
		for _, v := range values {
			if strings.EqualFold(s, v) {
				return nil
			}
		}
		return fmt.Errorf("%q: %s", s, strings.Join(values, ", "))
	}
}

// complete asks for every option that no flag set.
func (q *asker) complete(o *scaffold.Options, dir string, changed func(string) bool) error {
	var err error
	if !changed("lang") {
		fmt.Fprintf(q.out, "Langue du site / Site language (fr, en) [fr] : ")
		line, rerr := q.in.ReadString('\n')
		if rerr != nil && !errors.Is(rerr, io.EOF) {
			return rerr
		}
		o.Lang = strings.ToLower(strings.TrimSpace(line))
		if o.Lang == "" {
			o.Lang = "fr"
		}
		if oneOf(scaffold.Languages)(o.Lang) != nil {
			return fmt.Errorf("unknown language %q: use fr or en", o.Lang)
		}
	}
	q.fr = o.Lang != "en"
	steps := []struct {
		flag   string
		fr, en string
		value  *string
		def    func() string
		check  func(string) error
	}{
		{"kind", "Type de site : freelance (une personne) ou association", "Kind of site: freelance (a person) or association",
			&o.Kind, func() string { return "freelance" }, oneOf(scaffold.Kinds)},
		{"title", "Titre du site", "Site title", &o.Title, func() string { return defaultTitle(dir, o.Lang) }, nonEmpty},
		{"author", "Votre nom, ou celui de l’association", "Your name, or the association's", &o.Author,
			func() string { return o.Title }, nonEmpty},
		{"host", "Hébergement (" + strings.Join(scaffold.Hosts, ", ") + ")", "Host (" + strings.Join(scaffold.Hosts, ", ") + ")",
			&o.Host, func() string { return "github" }, oneOf(scaffold.Hosts)},
		{"base-url", "Adresse du site en ligne", "Address of the live site", &o.BaseURL,
			func() string { return defaultBaseURL(*o) }, checkURL},
		{"mastodon", "Compte Mastodon (@nom@serveur, vide si aucun)", "Mastodon account (@name@server, empty if none)",
			&o.Mastodon, func() string { return "" }, optional(func(s string) error { _, _, err := scaffold.MastodonProfile(s); return err })},
		{"bluesky", "Compte Bluesky (nom.bsky.social, vide si aucun)", "Bluesky handle (name.bsky.social, empty if none)",
			&o.Bluesky, func() string { return "" }, optional(func(s string) error { _, err := scaffold.BlueskyHandle(s); return err })},
	}
	for _, s := range steps {
		if changed(s.flag) {
			continue
		}
		if *s.value, err = q.ask(s.fr, s.en, s.def(), s.check); err != nil {
			return err
		}
		if s.flag == "kind" || s.flag == "host" {
			*s.value = strings.ToLower(*s.value)
		}
	}
	if o.Host == "s3" && !changed("bucket") {
		if o.Bucket, err = q.ask("Bucket (s3://bucket[/préfixe])", "Bucket (s3://bucket[/prefix])",
			"s3://"+scaffold.SiteName(o.Title), nil); err != nil {
			return err
		}
	}
	if o.Host == "self" && !changed("server-dir") {
		if o.ServerDir, err = q.ask("Dossier du site sur le serveur", "Folder of the site on the server",
			"/var/www/"+scaffold.SiteName(o.Title), nil); err != nil {
			return err
		}
	}
	return nil
}

func nonEmpty(s string) error {
	if strings.TrimSpace(s) == "" {
		return errors.New("required")
	}
	return nil
}

func checkURL(s string) error {
	if u, err := url.Parse(s); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return errors.New("https://… : an absolute address is needed, e.g. https://mon-site.fr/")
	}
	return nil
}

func optional(check func(string) error) func(string) error {
	return func(s string) error {
		if s == "" {
			return nil
		}
		return check(s)
	}
}

// printNextSteps tells what was made and what to do next, in the site's language.
func printNextSteps(w io.Writer, dir string, o scaffold.Options, written []string) {
	fr := o.Lang != "en"
	say := func(f, e string, args ...any) {
		if fr {
			fmt.Fprintf(w, f+"\n", args...)
		} else {
			fmt.Fprintf(w, e+"\n", args...)
		}
	}
	say("Site créé dans %s (%s, %s, hébergement %s) :", "Site created in %s (%s, %s, host %s):", dir, o.Kind, o.Lang, o.Host)
	for _, p := range written {
		fmt.Fprintf(w, "  %s\n", p)
	}
	if u, err := url.Parse(o.BaseURL); err == nil && strings.HasSuffix(u.Hostname(), ".example") {
		say("\nAttention : baseURL vaut %s ; mettez dans vitrine.toml l’adresse réelle du site avant de le publier.",
			"\nNote: baseURL is %s; put the real address of the site in vitrine.toml before publishing it.", o.BaseURL)
	}
	if o.VitrineVersion == "latest" {
		say("La CI installe vitrine@latest : fixez une version (VITRINE_VERSION) pour des constructions stables.",
			"CI installs vitrine@latest: pin a version (VITRINE_VERSION) for builds that stay the same.")
	}
	say("\nEnsuite :", "\nNext:")
	if dir != "." {
		fmt.Fprintf(w, "  cd %s\n", dir)
	}
	say("  vitrine serve                 # aperçu sur http://127.0.0.1:1313",
		"  vitrine serve                 # preview on http://127.0.0.1:1313")
	fmt.Fprintf(w, "  git init -b %s && git add . && git commit -m \"%s\"\n", o.Branch, map[bool]string{true: "Premier jet", false: "First draft"}[fr])
	switch o.Host {
	case "github":
		say("  sur GitHub : créez un dépôt, puis git remote add origin … && git push -u origin %s ;\n"+
			"  Settings → Pages → Source : GitHub Actions. Chaque push publie le site.",
			"  on GitHub: create a repository, then git remote add origin … && git push -u origin %s;\n"+
				"  Settings → Pages → Source: GitHub Actions. Each push publishes the site.", o.Branch)
	case "gitlab":
		say("  sur GitLab : créez un projet, puis git remote add origin … && git push -u origin %s.\n"+
			"  Chaque push publie le site (Deploy → Pages donne son adresse).",
			"  on GitLab: create a project, then git remote add origin … && git push -u origin %s.\n"+
				"  Each push publishes the site (Deploy → Pages shows its address).", o.Branch)
	case "netlify", "cloudflare":
		say("  poussez le dépôt sur GitHub, GitLab ou Codeberg, puis reliez-le à %s (voir les commentaires de %s).",
			"  push the repository to GitHub, GitLab or Codeberg, then connect it to %s (see the comments of %s).",
			map[string]string{"netlify": "Netlify", "cloudflare": "Cloudflare Pages"}[o.Host],
			map[string]string{"netlify": "netlify.toml", "cloudflare": "wrangler.toml"}[o.Host])
	case "codeberg":
		say("  sur Codeberg : créez un dépôt, activez-le sur ci.codeberg.org (secret codeberg_token), puis git push.",
			"  on Codeberg: create a repository, enable it on ci.codeberg.org (secret codeberg_token), then git push.")
	case "s3":
		say("  sur GitHub : créez un dépôt, ajoutez les secrets AWS_ACCESS_KEY_ID et AWS_SECRET_ACCESS_KEY, puis git push.\n"+
			"  Ou depuis votre ordinateur : vitrine deploy %s",
			"  on GitHub: create a repository, add the secrets AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, then git push.\n"+
				"  Or from your computer: vitrine deploy %s", o.Bucket)
	case "self":
		say("  sur le serveur : installez vitrine et le crochet deploy/post-receive (mode d’emploi en tête du fichier),\n"+
			"  puis git remote add serveur UTILISATEUR@SERVEUR:%s.git && git push serveur %s",
			"  on the server: install vitrine and the deploy/post-receive hook (how-to at the top of the file),\n"+
				"  then git remote add server USER@SERVER:%s.git && git push server %s", scaffold.SiteName(o.Title), o.Branch)
	}
}
