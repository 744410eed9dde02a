package main

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"image"
	"image/jpeg"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/vitrine-ssg/vitrine/generator/media/exif"
)

// TestBadInput builds each site of testdata/bad/ through the command line. Each must fail with a
// non-zero exit and an error naming the file (and line) given by the archive's "want:" lines, and leave
// the previous public/ as it was, with no temporary folder behind.
//
// Besides its files (a name starting with ../ lies beside the site, outside it), an archive's comment may
// ask for what txtar cannot hold:
//
//	symlink: content/a.md -> ../../outside/b.md   a symbolic link
//	big: content/huge.md 52428800                 a Markdown file of that many bytes
//	nest: content/deep.md 10000                   a list nested that many levels deep
//	bomb: content/b.png 60000                     a PNG header claiming that many pixels a side
//	tags: content/a.md 1000000                    a front matter with that many tags, one a line
//	repeat: content/a.md 150000 "[a]("          a body of that Go-quoted text repeated that many times
//	sideways: static/b.jpg 20000                  a JPEG stored sideways (EXIF orientation 6) whose header claims that many pixels a side
//	fifo: static/pipe                             a named pipe (no writer: reading it never ends)
//	flags: --strict                               flags for vitrine build
func TestBadInput(t *testing.T) {
	archives, err := filepath.Glob("../../testdata/bad/*.txtar")
	if err != nil || len(archives) < 20 {
		t.Fatalf("testdata/bad: %d archives, %v", len(archives), err)
	}
	for _, name := range archives {
		t.Run(strings.TrimSuffix(filepath.Base(name), ".txtar"), func(t *testing.T) {
			ar, err := txtar.ParseFile(name)
			if err != nil {
				t.Fatal(err)
			}
			root := t.TempDir()
			dir := filepath.Join(root, "site")
			for _, f := range ar.Files {
				writeFile(t, filepath.Join(dir, f.Name), f.Data)
			}
			var wants, flags []string
			for _, line := range strings.Split(string(ar.Comment), "\n") {
				key, value, _ := strings.Cut(line, ": ")
				switch key {
				case "want":
					wants = append(wants, value)
				case "flags":
					flags = strings.Fields(value)
				case "symlink":
					link, target, _ := strings.Cut(value, " -> ")
					full := filepath.Join(dir, link)
					if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
						t.Fatal(err)
					}
					if err := os.Symlink(target, full); err != nil {
						t.Fatal(err)
					}
				case "big":
					file, size, _ := strings.Cut(value, " ")
					n, _ := strconv.Atoi(size)
					line := []byte("Une ligne de prose ordinaire, répétée jusqu’à remplir le fichier.\n")
					writeFile(t, filepath.Join(dir, file), append([]byte("---\ntitle: Énorme\n---\n"), bytes.Repeat(line, n/len(line)+1)...))
				case "bomb":
					file, side, _ := strings.Cut(value, " ")
					n, _ := strconv.Atoi(side)
					writeFile(t, filepath.Join(dir, file), pngHeader(uint32(n)))
				case "tags":
					file, count, _ := strings.Cut(value, " ")
					n, _ := strconv.Atoi(count)
					var b bytes.Buffer
					b.WriteString("---\ntitle: Étiquettes\ntags:\n")
					for i := range n {
						fmt.Fprintf(&b, "- t%d\n", i)
					}
					b.WriteString("---\nCorps.\n")
					writeFile(t, filepath.Join(dir, file), b.Bytes())
				case "repeat":
					f := strings.SplitN(value, " ", 3)
					n, _ := strconv.Atoi(f[1])
					text, err := strconv.Unquote(f[2])
					if err != nil {
						t.Fatal(err)
					}
					writeFile(t, filepath.Join(dir, f[0]), []byte("---\ntitle: Répété\n---\n"+strings.Repeat(text, n)))
				case "sideways":
					file, side, _ := strings.Cut(value, " ")
					n, _ := strconv.Atoi(side)
					writeFile(t, filepath.Join(dir, file), sidewaysJPEG(t, uint16(n)))
				case "fifo":
					full := filepath.Join(dir, value)
					if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
						t.Fatal(err)
					}
					mkfifo(t, full)
				case "nest":
					file, depth, _ := strings.Cut(value, " ")
					n, _ := strconv.Atoi(depth)
					writeFile(t, filepath.Join(dir, file), []byte("---\ntitle: Profond\n---\n"+strings.Repeat("- ", n)+"fond\n"))
				}
			}
			if len(wants) == 0 {
				t.Fatal("the archive has no want: line")
			}
			previous := []byte("<!doctype html><title>previous build</title>")
			writeFile(t, filepath.Join(dir, "public", "index.html"), previous)

			code, out, errOut := runCmd(t, append([]string{"build", "-s", dir}, flags...)...)
			errOut += out
			if code == 0 {
				t.Fatalf("build succeeded, want an error naming %q", wants)
			}
			for _, w := range wants {
				if !strings.Contains(errOut, w) {
					t.Errorf("error does not mention %q:\n%s", w, errOut)
				}
			}
			if len(errOut) > 4000 {
				t.Errorf("error is %d bytes long: it should say what is wrong, not dump the input", len(errOut))
			}
			entries, err := os.ReadDir(filepath.Join(dir, "public"))
			if err != nil || len(entries) != 1 {
				t.Errorf("public/ changed: %v %v", entries, err)
			}
			if got, _ := os.ReadFile(filepath.Join(dir, "public", "index.html")); !bytes.Equal(got, previous) {
				t.Errorf("public/index.html changed")
			}
			for _, d := range []string{root, dir} {
				entries, _ := os.ReadDir(d)
				for _, e := range entries {
					if strings.Contains(e.Name(), ".tmp") {
						t.Errorf("temporary file left behind: %s", e.Name())
					}
				}
			}
			if _, err := os.Stat(filepath.Join(root, "tmp", "owned")); err == nil {
				t.Errorf("the build wrote outside its output folder")
			}
		})
	}
}

func writeFile(t *testing.T, name string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// pngHeader returns the start of a PNG whose header says it is side × side pixels: enough for a reader
// that looks at the size before decoding.
func pngHeader(side uint32) []byte {
	chunk := func(kind string, data []byte) []byte {
		b := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
		b = append(b, kind...)
		b = append(b, data...)
		return binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(append([]byte(kind), data...)))
	}
	ihdr := binary.BigEndian.AppendUint32(nil, side)
	ihdr = binary.BigEndian.AppendUint32(ihdr, side)
	ihdr = append(ihdr, 8, 6, 0, 0, 0)
	png := append([]byte("\x89PNG\r\n\x1a\n"), chunk("IHDR", ihdr)...)
	return append(png, chunk("IEND", nil)...)
}

// sidewaysJPEG returns a small JPEG stored sideways (EXIF orientation 6, as phones store portraits)
// whose frame header says it is side × side pixels: a decoder that trusts it allocates gigabytes.
func sidewaysJPEG(t *testing.T, side uint16) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, image.NewGray(image.Rect(0, 0, 16, 16)), nil); err != nil {
		t.Fatal(err)
	}
	data := exif.Insert(buf.Bytes(), exif.Build(exif.Fields{Orientation: 6}))
	for i := 2; i+9 < len(data); {
		if data[i] != 0xFF {
			t.Fatal("sidewaysJPEG: lost in the segments")
		}
		marker, n := data[i+1], int(binary.BigEndian.Uint16(data[i+2:]))
		if marker == 0xC0 { // SOF0: precision, height, width
			binary.BigEndian.PutUint16(data[i+5:], side)
			binary.BigEndian.PutUint16(data[i+7:], side)
			return data
		}
		i += 2 + n
	}
	t.Fatal("sidewaysJPEG: no SOF0")
	return nil
}
