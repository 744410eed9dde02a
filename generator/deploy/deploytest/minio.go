// Package deploytest runs a real MinIO server for tests of S3 deploys.
package deploytest

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

// MinIO is a MinIO server on 127.0.0.1, its data in a temporary folder.
type MinIO struct {
	Endpoint  string // http://127.0.0.1:PORT
	AccessKey string
	SecretKey string
	Client    *minio.Client
}

// Binary returns the minio binary to run: $VITRINE_MINIO, else minio on PATH, else
// ~/.cache/vitrine-ci/bin/minio, where .ci/run installs it; "" when there is none.
func Binary() string {
	if p := os.Getenv("VITRINE_MINIO"); p != "" {
		return p
	}
	if p, err := exec.LookPath("minio"); err == nil {
		return p
	}
	if home, err := os.UserHomeDir(); err == nil {
		p := filepath.Join(home, ".cache", "vitrine-ci", "bin", "minio")
		if st, err := os.Stat(p); err == nil && !st.IsDir() {
			return p
		}
	}
	return ""
}

// Start runs a MinIO server for the test and stops it when the test ends. Without a minio binary
// the test is skipped, with how to get one.
func Start(t testing.TB) *MinIO {
	t.Helper()
	bin := Binary()
	if bin == "" {
		t.Skip("SKIP: no MinIO server: set VITRINE_MINIO, put minio on PATH, or install it as .ci/run does: " +
			"GOBIN=$HOME/.cache/vitrine-ci/bin go install github.com/minio/minio@latest")
	}
	port, console := freePort(t), freePort(t)
	m := &MinIO{Endpoint: fmt.Sprintf("http://127.0.0.1:%d", port), AccessKey: "vitrine-test", SecretKey: "vitrine-test-secret"}
	cmd := exec.Command(bin, "server", t.TempDir(), "--quiet",
		"--address", fmt.Sprintf("127.0.0.1:%d", port), "--console-address", fmt.Sprintf("127.0.0.1:%d", console))
	cmd.Env = append(os.Environ(), "MINIO_ROOT_USER="+m.AccessKey, "MINIO_ROOT_PASSWORD="+m.SecretKey,
		"MINIO_BROWSER=off", "MINIO_UPDATE=off", "HOME="+t.TempDir())
	var logs strings.Builder
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", bin, err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	t.Cleanup(func() {
		cmd.Process.Kill()
		<-done
	})
	deadline := time.Now().Add(60 * time.Second)
	for {
		resp, err := http.Get(m.Endpoint + "/minio/health/live")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
		}
		select {
		case err := <-done:
			t.Fatalf("minio exited: %v\n%s", err, logs.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("minio does not answer on %s\n%s", m.Endpoint, logs.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
	c, err := minio.New(strings.TrimPrefix(m.Endpoint, "http://"), &minio.Options{Creds: credentials.NewStaticV4(m.AccessKey, m.SecretKey, "")})
	if err != nil {
		t.Fatal(err)
	}
	m.Client = c
	return m
}

// MakeBucket creates a bucket.
func (m *MinIO) MakeBucket(t testing.TB, name string) {
	t.Helper()
	if err := m.Client.MakeBucket(context.Background(), name, minio.MakeBucketOptions{}); err != nil {
		t.Fatalf("make bucket %s: %v", name, err)
	}
}

// Objects returns the bucket's objects under prefix: key → ETag.
func (m *MinIO) Objects(t testing.TB, bucket, prefix string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for o := range m.Client.ListObjects(context.Background(), bucket, minio.ListObjectsOptions{Prefix: prefix, Recursive: true}) {
		if o.Err != nil {
			t.Fatal(o.Err)
		}
		out[o.Key] = o.ETag + " " + o.LastModified.String()
	}
	return out
}

func freePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}
