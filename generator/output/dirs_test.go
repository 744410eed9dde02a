package output

import (
	"os"
	"path/filepath"
	"testing"
)

func TestFolders(t *testing.T) {
	root := t.TempDir()
	var f folders
	deep := filepath.Join(root, "a", "b", "c")
	for range 2 {
		if err := f.make(deep); err != nil {
			t.Fatal(err)
		}
	}
	if st, err := os.Stat(deep); err != nil || !st.IsDir() {
		t.Fatalf("%s was not made: %v", deep, err)
	}
	if err := f.make(filepath.Join(root, "a", "d")); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "file"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := f.make(filepath.Join(root, "file")); err == nil {
		t.Error("a folder where a file is: no error")
	}
	if err := f.make(filepath.Join(root, "file", "x")); err == nil {
		t.Error("a folder inside a file: no error")
	}
}
