package deploy

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

// S3Options configure the S3 client.
type S3Options struct {
	// Endpoint is the S3 API's address, e.g. https://s3.fr-par.scw.cloud (Scaleway),
	// https://s3.gra.io.cloud.ovh.net (OVH), http://127.0.0.1:9000 (MinIO). Empty means AWS.
	Endpoint string
	Region   string // the bucket's region; empty lets the client ask the server
	// Keys; when AccessKey is empty they are read from ~/.aws/credentials (AWS_PROFILE, default
	// "default").
	AccessKey, SecretKey, SessionToken string
	Transport                          http.RoundTripper // nil for the default
}

// S3 is a bucket reached through the S3 API, with minio-go.
type S3 struct {
	client *minio.Client
	bucket string
	// noListMeta is set once a server refused listings with metadata (a MinIO extension).
	noListMeta bool
}

var _ Store = (*S3)(nil)

// metaSHA256 is the user metadata key of the content hash: x-amz-meta-sha256 on the wire.
const metaSHA256 = "sha256"

// NewS3 returns the store of one bucket.
func NewS3(bucket string, o S3Options) (*S3, error) {
	host, secure := "s3.amazonaws.com", true
	if o.Endpoint != "" {
		u, err := url.Parse(o.Endpoint)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") {
			return nil, fmt.Errorf("endpoint %q: write it as https://HOST[:PORT], without a path", o.Endpoint)
		}
		host, secure = u.Host, u.Scheme == "https"
	}
	creds := credentials.NewStaticV4(o.AccessKey, o.SecretKey, o.SessionToken)
	if o.AccessKey == "" {
		creds = credentials.NewFileAWSCredentials("", "")
		if v, err := creds.Get(); err != nil || v.AccessKeyID == "" {
			return nil, errors.New("no S3 keys: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or write them in ~/.aws/credentials")
		}
	}
	c, err := minio.New(host, &minio.Options{Creds: creds, Secure: secure, Region: o.Region, Transport: o.Transport})
	if err != nil {
		return nil, err
	}
	return &S3{client: c, bucket: bucket}, nil
}

// List implements Store.
func (s *S3) List(ctx context.Context, prefix string) ([]Object, error) {
	if !s.noListMeta {
		objs, err := s.list(ctx, prefix, true)
		if err == nil {
			return objs, nil
		}
		var resp minio.ErrorResponse
		if !errors.As(err, &resp) || resp.StatusCode != http.StatusBadRequest && resp.StatusCode != http.StatusNotImplemented {
			return nil, err
		}
		s.noListMeta = true
	}
	return s.list(ctx, prefix, false)
}

func (s *S3) list(ctx context.Context, prefix string, meta bool) ([]Object, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var out []Object
	for o := range s.client.ListObjects(ctx, s.bucket, minio.ListObjectsOptions{Prefix: prefix, Recursive: true, WithMetadata: meta}) {
		if o.Err != nil {
			return nil, o.Err
		}
		obj := Object{Key: o.Key, Size: o.Size}
		// MinIO lists metadata with its stored keys: X-Amz-Meta-Sha256, content-type, …
		sum, ok1 := lookup(o.UserMetadata, "x-amz-meta-"+metaSHA256)
		ctype, ok2 := lookup(o.UserMetadata, "content-type")
		cache, ok3 := lookup(o.UserMetadata, "cache-control")
		if ok1 && ok2 && ok3 {
			obj.Meta = true
			obj.Headers = Headers{ContentType: ctype, CacheControl: cache, SHA256: sum}
		}
		out = append(out, obj)
	}
	return out, nil
}

func lookup(m map[string]string, key string) (string, bool) {
	for k, v := range m {
		if strings.EqualFold(k, key) {
			return v, true
		}
	}
	return "", false
}

// Stat implements Store.
func (s *S3) Stat(ctx context.Context, key string) (Object, error) {
	info, err := s.client.StatObject(ctx, s.bucket, key, minio.StatObjectOptions{})
	if err != nil {
		return Object{}, err
	}
	sum, _ := lookup(info.UserMetadata, metaSHA256)
	return Object{Key: key, Size: info.Size, Meta: true, Headers: Headers{
		ContentType:  info.ContentType,
		CacheControl: info.Metadata.Get("Cache-Control"),
		SHA256:       sum,
	}}, nil
}

// Put implements Store.
func (s *S3) Put(ctx context.Context, key string, r io.Reader, size int64, h Headers) error {
	_, err := s.client.PutObject(ctx, s.bucket, key, r, size, minio.PutObjectOptions{
		ContentType:  h.ContentType,
		CacheControl: h.CacheControl,
		UserMetadata: map[string]string{metaSHA256: h.SHA256},
	})
	return err
}

// Delete implements Store.
func (s *S3) Delete(ctx context.Context, keys []string) error {
	ch := make(chan minio.ObjectInfo, len(keys))
	for _, k := range keys {
		ch <- minio.ObjectInfo{Key: k}
	}
	close(ch)
	var errs []error
	for e := range s.client.RemoveObjects(ctx, s.bucket, ch, minio.RemoveObjectsOptions{}) {
		errs = append(errs, fmt.Errorf("%s: %w", e.ObjectName, e.Err))
	}
	return errors.Join(errs...)
}

// CheckBucket reports a clear error when the bucket does not exist or the keys cannot reach it.
func (s *S3) CheckBucket(ctx context.Context) error {
	ok, err := s.client.BucketExists(ctx, s.bucket)
	if err != nil {
		return fmt.Errorf("bucket %s: %w", s.bucket, err)
	}
	if !ok {
		return fmt.Errorf("bucket %s does not exist: create it first (vitrine deploy does not create buckets)", s.bucket)
	}
	return nil
}
