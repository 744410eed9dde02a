package generator

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Folders a build writes: the output folder, which a build replaces or empties, and the build cache, in
// which it removes its stale temporary files. Both are given on the command line or found in the site,
// which anyone with commit access writes: a build must check them before it touches anything, so that
// it never deletes the site it reads, nor writes or deletes outside of it through a committed symbolic
// link.

// readDirs are the folders of a site that a build reads or that hold its history: an output folder is
// none of them and lies in none of them.
var readDirs = []string{"content", "static", "data", "layouts", "themes", "i18n", "assets", "archetypes", ".git", ".vitrine"}

// CheckOutput refuses an output folder that a build would destroy the site with, or that a committed
// symbolic link leads out of the site: the site's folder itself or a folder holding it, a folder the site
// is read from (content/, static/, data/, layouts/, themes/, i18n/, .git, .vitrine), a symbolic link, a
// file, or a folder holding a site or a repository. site is the site's folder, out the output folder.
func CheckOutput(site, out string) error {
	siteReal, err := realPath(site)
	if err != nil {
		return fmt.Errorf("site folder: %w", err)
	}
	outAbs, err := filepath.Abs(out)
	if err != nil {
		return err
	}
	refuse := func(why string) error {
		return fmt.Errorf("output folder %s: %s; nothing was built or removed: give another folder with -d (default: public/ in the site)", out, why)
	}
	st, err := os.Lstat(outAbs)
	switch {
	case err == nil && st.Mode()&fs.ModeSymlink != 0:
		return refuse("a symbolic link; vitrine writes only into a real folder, since a link in the site may lead anywhere (remove the link, or give its target)")
	case err == nil && !st.IsDir():
		return refuse("not a folder")
	case err != nil && !errors.Is(err, fs.ErrNotExist):
		return refuse(err.Error())
	}
	exists := err == nil
	// Where the folder really is, once the links of the folders above it are followed.
	outReal, err := resolveMissing(filepath.Dir(outAbs))
	if err != nil {
		return refuse(err.Error())
	}
	outReal = filepath.Join(outReal, filepath.Base(outAbs))
	switch {
	case outReal == siteReal:
		return refuse("it is the site's folder, which a build would replace")
	case within(siteReal, outReal):
		return refuse("it holds the site's folder, which a build would replace")
	case within(outReal, siteReal):
		rel, _ := filepath.Rel(siteReal, outReal)
		top, _, _ := strings.Cut(filepath.ToSlash(rel), "/")
		for _, d := range readDirs {
			if strings.EqualFold(top, d) {
				return refuse(fmt.Sprintf("it is or lies in %s/, which the build reads", d))
			}
		}
	default:
		// Out of the site: allowed when given so (a deploy's release folder), not when a folder of the
		// site links out of it.
		if siteAbs, err := filepath.Abs(site); err == nil && within(outAbs, siteAbs) {
			return refuse("a symbolic link in the site leads it out of the site")
		}
	}
	if exists {
		for _, name := range []string{"vitrine.toml", "content", ".git", "go.mod"} {
			if _, err := os.Lstat(filepath.Join(outAbs, name)); err == nil {
				return refuse(fmt.Sprintf("it holds %s: it is a site or a repository, not an output folder, and a build would replace it", name))
			}
		}
	}
	return nil
}

// CacheDir returns the build cache of the site in folder site, SITE/.vitrine/cache, once checked: neither
// .vitrine, nor the cache, nor a folder in it (two levels down) is a symbolic link or other than a
// folder, so that what a build writes and removes there stays in the site.
func CacheDir(site string) (string, error) {
	vitrine := filepath.Join(site, ".vitrine")
	if err := realFolder(vitrine); err != nil {
		return "", err
	}
	cache := filepath.Join(vitrine, "cache")
	return cache, CheckCacheDir(cache)
}

// CheckCacheDir checks a build cache folder given on purpose (vitrine build --cacheDir, which the
// self-hosted deploy hook uses to keep one cache across releases): neither it nor a folder in it (two
// levels down) is a symbolic link or other than a folder, so that what a build writes and removes
// there stays there.
func CheckCacheDir(cache string) error {
	if err := realFolder(cache); err != nil {
		return err
	}
	var check func(dir string, depth int) error
	check = func(dir string, depth int) error {
		ents, err := os.ReadDir(dir)
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return fmt.Errorf("build cache: %w", err)
		}
		for _, e := range ents {
			p := filepath.Join(dir, e.Name())
			switch {
			case e.Type()&fs.ModeSymlink != 0:
				return cacheLinkError(p)
			case e.IsDir() && depth > 1:
				if err := check(p, depth-1); err != nil {
					return err
				}
			}
		}
		return nil
	}
	return check(cache, 2)
}

// realFolder checks that dir, when it exists, is a folder and not a symbolic link.
func realFolder(dir string) error {
	st, err := os.Lstat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return fmt.Errorf("build cache: %w", err)
	case st.Mode()&fs.ModeSymlink != 0:
		return cacheLinkError(dir)
	case !st.IsDir():
		return fmt.Errorf("build cache: %s is not a folder: remove it (vitrine makes it again)", dir)
	}
	return nil
}

func cacheLinkError(p string) error {
	return fmt.Errorf("build cache: %s is a symbolic link: the cache stays inside the site, where a build writes and removes files; remove the link (vitrine makes the folder again)", p)
}

// realPath returns the absolute path of an existing file with every symbolic link followed.
func realPath(p string) (string, error) {
	abs, err := filepath.Abs(p)
	if err != nil {
		return "", err
	}
	return filepath.EvalSymlinks(abs)
}

// resolveMissing is realPath for a path whose last folders may not exist yet: the links of the part that
// exists are followed.
func resolveMissing(abs string) (string, error) {
	var rest []string
	for {
		real, err := filepath.EvalSymlinks(abs)
		if err == nil {
			return filepath.Join(append([]string{real}, rest...)...), nil
		}
		parent := filepath.Dir(abs)
		if !errors.Is(err, fs.ErrNotExist) || parent == abs {
			return "", err
		}
		rest = append([]string{filepath.Base(abs)}, rest...)
		abs = parent
	}
}

// within reports whether p lies inside dir (both clean and absolute), dir excluded.
func within(p, dir string) bool {
	rel, err := filepath.Rel(dir, p)
	return err == nil && rel != "." && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}
