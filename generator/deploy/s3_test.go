package deploy_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/minio/minio-go/v7"

	"github.com/vitrine-ssg/vitrine/generator/deploy"
	"github.com/vitrine-ssg/vitrine/generator/deploy/deploytest"
)

// TestMinIO runs the S3 store against a real MinIO: what Put stores, List and Stat give back, and what
// a browser gets from the bucket.
func TestMinIO(t *testing.T) {
	m := deploytest.Start(t)
	m.MakeBucket(t, "site")
	ctx := context.Background()

	if _, err := deploy.NewS3("site", deploy.S3Options{Endpoint: "127.0.0.1:9000"}); err == nil {
		t.Error("an endpoint without scheme accepted")
	}
	bad, err := deploy.NewS3("site", deploy.S3Options{Endpoint: m.Endpoint, AccessKey: m.AccessKey, SecretKey: "wrong-secret"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := bad.List(ctx, ""); err == nil {
		t.Error("wrong keys: no error")
	}
	s, err := deploy.NewS3("site", deploy.S3Options{Endpoint: m.Endpoint, AccessKey: m.AccessKey, SecretKey: m.SecretKey})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.CheckBucket(ctx); err != nil {
		t.Fatal(err)
	}
	missing, _ := deploy.NewS3("nope", deploy.S3Options{Endpoint: m.Endpoint, AccessKey: m.AccessKey, SecretKey: m.SecretKey})
	if err := missing.CheckBucket(ctx); err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Errorf("missing bucket: %v", err)
	}

	h := deploy.Headers{ContentType: "text/css; charset=utf-8", CacheControl: deploy.CacheImmutable, SHA256: strings.Repeat("ab", 32)}
	body := []byte("body{color:#123}")
	if err := s.Put(ctx, "www/css/style.0123abcd.css", bytes.NewReader(body), int64(len(body)), h); err != nil {
		t.Fatal(err)
	}
	objs, err := s.List(ctx, "www/")
	if err != nil || len(objs) != 1 {
		t.Fatalf("list: %v %v", objs, err)
	}
	// MinIO lists the headers: no request per object.
	if o := objs[0]; !o.Meta || o.Headers != h || o.Size != int64(len(body)) || o.Key != "www/css/style.0123abcd.css" {
		t.Errorf("listed %+v", o)
	}
	if o, err := s.Stat(ctx, "www/css/style.0123abcd.css"); err != nil || o.Headers != h {
		t.Errorf("stat %+v %v", o, err)
	}

	// What a reader of the bucket gets: the object's headers as stored.
	if err := m.Client.SetBucketPolicy(ctx, "site", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":["*"]},"Action":["s3:GetObject"],"Resource":["arn:aws:s3:::site/*"]}]}`); err != nil {
		t.Fatal(err)
	}
	resp, err := http.Get(m.Endpoint + "/site/www/css/style.0123abcd.css")
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !bytes.Equal(got, body) || resp.Header.Get("Content-Type") != h.ContentType ||
		resp.Header.Get("Cache-Control") != deploy.CacheImmutable || resp.Header.Get("X-Amz-Meta-Sha256") != h.SHA256 {
		t.Errorf("GET: %d %q %v", resp.StatusCode, got, resp.Header)
	}

	if err := s.Delete(ctx, []string{"www/css/style.0123abcd.css", "www/never-there.html"}); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Client.StatObject(ctx, "site", "www/css/style.0123abcd.css", minio.StatObjectOptions{}); err == nil {
		t.Error("object still there after Delete")
	}
}
