package main

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// TestSelfHostedDeploy walks the path of a site published on its own server: vitrine init --host self,
// a bare repository with the generated post-receive hook, nginx serving current/ with the generated
// server block, then pushes: the site, a new article, a broken one (refused, the live site unchanged),
// and enough more to see old releases pruned.
func TestSelfHostedDeploy(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test: skipped with -short")
	}
	gitBin, err := exec.LookPath("git")
	if err != nil {
		t.Skip("SKIP: git is not installed (apt-get install git); the self-hosted deploy test needs it")
	}
	nginxBin, err := exec.LookPath("nginx")
	if err != nil {
		for _, p := range []string{"/usr/sbin/nginx", "/usr/local/sbin/nginx"} {
			if _, err := os.Stat(p); err == nil {
				nginxBin = p
			}
		}
	}
	if nginxBin == "" {
		t.Skip("SKIP: nginx is not installed (apt-get install nginx; .ci/run installs it); the self-hosted deploy test needs it")
	}
	if runtime.GOOS == "windows" {
		t.Skip("SKIP: the post-receive hook is a POSIX shell script")
	}

	tmp := t.TempDir()
	bin := filepath.Join(tmp, "bin", "vitrine")
	goBin, err := exec.LookPath("go")
	if err != nil {
		goBin = filepath.Join(runtime.GOROOT(), "bin", "go")
	}
	if out, err := exec.Command(goBin, "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	port := freePort(t)
	base := fmt.Sprintf("http://127.0.0.1:%d/", port)
	site, www, bare := filepath.Join(tmp, "site"), filepath.Join(tmp, "www"), filepath.Join(tmp, "site.git")

	if code, _, errOut := runCmd(t, "init", site, "--host", "self", "--kind", "freelance", "--title", "Atelier Lumière",
		"--base-url", base, "--server-dir", www); code != 0 {
		t.Fatalf("init: %s", errOut)
	}

	// The server: a bare repository with the hook, as the hook's header tells.
	git := func(dir string, args ...string) (string, error) {
		cmd := exec.Command(gitBin, args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null",
			"GIT_AUTHOR_NAME=Camille", "GIT_AUTHOR_EMAIL=camille@example.org",
			"GIT_COMMITTER_NAME=Camille", "GIT_COMMITTER_EMAIL=camille@example.org",
			"VITRINE="+bin, "TMPDIR="+tmp)
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	mustGit := func(dir string, args ...string) string {
		t.Helper()
		out, err := git(dir, args...)
		if err != nil {
			t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return out
	}
	mustGit(tmp, "init", "-q", "--bare", "-b", "main", bare)
	hook, err := os.ReadFile(filepath.Join(site, "deploy", "post-receive"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(bare, "hooks", "post-receive"), hook, 0o755); err != nil {
		t.Fatal(err)
	}

	startNginx(t, nginxBin, filepath.Join(tmp, "nginx"), filepath.Join(site, "deploy", "nginx.conf"), port)

	// First push: the site goes live.
	mustGit(site, "init", "-q", "-b", "main")
	mustGit(site, "add", ".")
	mustGit(site, "commit", "-q", "-m", "Premier jet")
	mustGit(site, "remote", "add", "server", bare)
	out := mustGit(site, "push", "server", "main")
	if !strings.Contains(out, "vitrine deploy: published") {
		t.Fatalf("first push did not publish:\n%s", out)
	}
	status, body, header := get(t, base)
	if status != 200 || !strings.Contains(body, "Atelier Lumière") {
		t.Fatalf("home page: %d\n%s", status, body)
	}
	if header.Get("Cache-Control") != "public, max-age=300" {
		t.Errorf("home page Cache-Control %q", header.Get("Cache-Control"))
	}
	css := between(body, `<link rel="stylesheet" href="`, `"`)
	if _, _, h := get(t, base+strings.TrimPrefix(strings.TrimPrefix(css, base), "/")); css == "" || h.Get("Cache-Control") != "public, max-age=31536000, immutable" {
		t.Errorf("stylesheet %q: Cache-Control %q", css, h.Get("Cache-Control"))
	}
	if status, _, _ := get(t, base+"nulle-part/"); status != 404 {
		t.Errorf("missing page: %d", status)
	}

	// A new article is served after the push.
	article := "---\ntitle: \"Lumière d’hiver\"\ndate: 2026-01-10\ndescription: \"Photographier la lumière basse des mois d’hiver.\"\n---\n\nLa lumière rasante de janvier.\n"
	os.WriteFile(filepath.Join(site, "content", "posts", "lumiere-d-hiver.md"), []byte(article), 0o644)
	mustGit(site, "add", ".")
	mustGit(site, "commit", "-q", "-m", "Lumière d’hiver")
	mustGit(site, "push", "server", "main")
	if status, body, _ := get(t, base+"posts/lumiere-d-hiver/"); status != 200 || !strings.Contains(body, "La lumière rasante de janvier.") {
		t.Fatalf("new article: %d\n%s", status, body)
	}
	live, err := os.Readlink(filepath.Join(www, "current"))
	if err != nil {
		t.Fatal(err)
	}

	// Broken front matter: the push reports the failure, the live site stays as it was.
	os.WriteFile(filepath.Join(site, "content", "posts", "casse.md"), []byte("---\ntitle: [pas fermé\ndate: hier\n---\n\nTexte.\n"), 0o644)
	os.WriteFile(filepath.Join(site, "content", "posts", "lumiere-d-hiver.md"), []byte(strings.Replace(article, "janvier", "février", 1)), 0o644)
	mustGit(site, "add", ".")
	mustGit(site, "commit", "-q", "-m", "Cassé")
	out = mustGit(site, "push", "server", "main")
	t.Logf("push of a broken commit:\n%s", out)
	if !strings.Contains(out, "FAILED") || !strings.Contains(out, "casse.md") || !strings.Contains(out, "live site is unchanged") {
		t.Errorf("push of a broken site does not report the failure:\n%s", out)
	}
	if now, _ := os.Readlink(filepath.Join(www, "current")); now != live {
		t.Errorf("current moved from %s to %s after a failed build", live, now)
	}
	if status, body, _ := get(t, base+"posts/lumiere-d-hiver/"); status != 200 || !strings.Contains(body, "janvier") {
		t.Errorf("live article changed after a failed build: %d", status)
	}
	if status, _, _ := get(t, base+"posts/casse/"); status != 404 {
		t.Errorf("broken article served: %d", status)
	}

	// Fixed, then more pushes: the last five releases are kept, current among them.
	os.Remove(filepath.Join(site, "content", "posts", "casse.md"))
	for i := range 5 {
		os.WriteFile(filepath.Join(site, "content", "posts", "lumiere-d-hiver.md"), []byte(article+fmt.Sprintf("\nMise à jour %d.\n", i)), 0o644)
		mustGit(site, "add", "-A")
		mustGit(site, "commit", "-q", "-m", fmt.Sprintf("Mise à jour %d", i))
		if out := mustGit(site, "push", "server", "main"); !strings.Contains(out, "published") {
			t.Fatalf("push %d:\n%s", i, out)
		}
	}
	if _, body, _ := get(t, base+"posts/lumiere-d-hiver/"); !strings.Contains(body, "Mise à jour 4.") {
		t.Error("last push not served")
	}
	releases, _ := os.ReadDir(filepath.Join(www, "releases"))
	var names []string
	for _, r := range releases {
		names = append(names, r.Name())
	}
	live, _ = os.Readlink(filepath.Join(www, "current"))
	if len(names) != 5 || "releases/"+names[len(names)-1] != live {
		t.Errorf("releases %v, current %s", names, live)
	}
	if _, err := os.Stat(filepath.Join(www, ".deploy.lock")); err == nil {
		t.Error("the deploy lock was left behind")
	}
	if _, err := os.Stat(filepath.Join(www, "cache")); err != nil {
		t.Errorf("no build cache kept between deploys: %v", err)
	}
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// startNginx runs nginx in the foreground, as the current user, with its files under prefix and the
// generated server block listening on 127.0.0.1:port. It is stopped when the test ends.
func startNginx(t *testing.T, nginxBin, prefix, serverConf string, port int) {
	t.Helper()
	server, err := os.ReadFile(serverConf)
	if err != nil {
		t.Fatal(err)
	}
	block := strings.Replace(string(server), "listen 80;", fmt.Sprintf("listen 127.0.0.1:%d;", port), 1)
	block = strings.Replace(block, "listen [::]:80;", "", 1)
	if err := os.MkdirAll(filepath.Join(prefix, "tmp"), 0o755); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(prefix, "server.conf"), []byte(block), 0o644)
	mime := "types { text/html html; text/css css; application/xml xml; application/json json; image/png png; image/svg+xml svg; }"
	if _, err := os.Stat("/etc/nginx/mime.types"); err == nil {
		mime = "include /etc/nginx/mime.types;"
	}
	tmpDir := filepath.Join(prefix, "tmp")
	conf := fmt.Sprintf(`worker_processes 1;
error_log %[1]s/error.log;
events { worker_connections 64; }
http {
	%[2]s
	default_type application/octet-stream;
	access_log off;
	client_body_temp_path %[3]s/body;
	proxy_temp_path %[3]s/proxy;
	fastcgi_temp_path %[3]s/fastcgi;
	uwsgi_temp_path %[3]s/uwsgi;
	scgi_temp_path %[3]s/scgi;
	include %[1]s/server.conf;
}
`, prefix, mime, tmpDir)
	os.WriteFile(filepath.Join(prefix, "nginx.conf"), []byte(conf), 0o644)
	cmd := exec.Command(nginxBin, "-p", prefix, "-c", filepath.Join(prefix, "nginx.conf"), "-e", filepath.Join(prefix, "error.log"),
		"-g", fmt.Sprintf("daemon off; master_process off; pid %s/nginx.pid;", prefix))
	var logs strings.Builder
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		t.Fatalf("nginx: %v", err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	t.Cleanup(func() {
		cmd.Process.Kill()
		<-done
	})
	deadline := time.Now().Add(10 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", port), 200*time.Millisecond)
		if err == nil {
			c.Close()
			return
		}
		select {
		case err := <-done:
			errLog, _ := os.ReadFile(filepath.Join(prefix, "error.log"))
			t.Fatalf("nginx exited: %v\n%s\n%s", err, logs.String(), errLog)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("nginx does not answer on port %d\n%s", port, logs.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func get(t *testing.T, url string) (int, string, http.Header) {
	t.Helper()
	c := &http.Client{Timeout: 10 * time.Second}
	resp, err := c.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body), resp.Header
}

func between(s, start, end string) string {
	_, rest, ok := strings.Cut(s, start)
	if !ok {
		return ""
	}
	v, _, _ := strings.Cut(rest, end)
	return v
}
