package api_test

import (
	"bytes"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// root is the repository, seen from this package's directory.
const root = ".."

// repoFiles returns the text files of the repository (relative paths), without version
// control data, build output, binaries and golden screens (those are program output, not
// prose).
func repoFiles(t *testing.T) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		switch {
		case rel == ".git" && d.IsDir(), rel == "dist" && d.IsDir():
			return filepath.SkipDir
		case rel == ".git": // a worktree's pointer to its repository
			return nil
		case d.IsDir():
			return nil
		}
		switch {
		case strings.HasSuffix(rel, ".golden"), strings.HasSuffix(rel, ".test"), strings.HasSuffix(rel, ".out"):
			return nil
		case !d.Type().IsRegular(), binary(path):
			return nil
		}
		files = append(files, filepath.ToSlash(rel))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// binary reports whether a file looks like a binary (a built falcon-tui, say): a NUL byte
// in its first 8 KB.
func binary(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	buf := make([]byte, 8<<10)
	n, _ := io.ReadFull(f, buf)
	return bytes.IndexByte(buf[:n], 0) >= 0
}

func read(t *testing.T, rel string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(root, rel))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

var (
	heading  = regexp.MustCompile(`(?m)^## §([0-9]+) `)
	citation = regexp.MustCompile(`docs/(API|CLI)\.md((?:,? §[0-9]+)+)`)
	section  = regexp.MustCompile(`§([0-9]+)`)
)

// sections returns the section numbers a document defines.
func sections(t *testing.T, doc string) []int {
	var out []int
	for _, m := range heading.FindAllStringSubmatch(read(t, "docs/"+doc+".md"), -1) {
		n, _ := strconv.Atoi(m[1])
		out = append(out, n)
	}
	if len(out) == 0 {
		t.Fatalf("docs/%s.md has no numbered sections", doc)
	}
	return out
}

// Every "docs/API.md §N" and "docs/CLI.md §N" anywhere in the repo, and every bare §N
// inside those two documents, names a section that exists.
func TestCitedSectionsExist(t *testing.T) {
	defined := map[string][]int{"API": sections(t, "API"), "CLI": sections(t, "CLI")}
	check := func(file, doc, refs string) {
		for _, m := range section.FindAllStringSubmatch(refs, -1) {
			n, _ := strconv.Atoi(m[1])
			if !slices.Contains(defined[doc], n) {
				t.Errorf("%s cites docs/%s.md §%d, which does not exist", file, doc, n)
			}
		}
	}
	for _, file := range repoFiles(t) {
		text := read(t, file)
		for _, m := range citation.FindAllStringSubmatch(text, -1) {
			check(file, m[1], m[2])
		}
		// Inside docs/API.md and docs/CLI.md a bare §N is a section of the same document.
		if own, ok := strings.CutPrefix(file, "docs/"); ok {
			if doc := strings.TrimSuffix(own, ".md"); defined[doc] != nil && doc+".md" == own {
				check(file, doc, citation.ReplaceAllString(text, ""))
			}
		}
	}
}

// The repo speaks for itself: no file names an absolute path of a build machine, and no
// comment or document cites a document that is not in the repo.
func TestNoOutsideReferences(t *testing.T) {
	// Built from parts so that neither this file nor a grep for them matches it.
	machinePaths := []string{"/" + "work/", "/" + "root/", "/" + "home/"}
	outsideDocs := []string{"REFER" + "ENCE.md", "REFER" + "ENCE §", "PE" + "ERS.md", "ECO" + "SYSTEM.md", "ST" + "YLE.md"}
	bareCLI := regexp.MustCompile(`(^|[^/A-Za-z])` + `CLI\.md`)
	for _, file := range repoFiles(t) {
		text := read(t, file)
		for _, p := range append(machinePaths, outsideDocs...) {
			if i := strings.Index(text, p); i >= 0 {
				t.Errorf("%s:%d names %q", file, 1+strings.Count(text[:i], "\n"), p)
			}
		}
		// Go comments cite the command surface as docs/CLI.md; the documents next to it may
		// link it by its relative name.
		if !strings.HasSuffix(file, ".go") {
			continue
		}
		for i, line := range strings.Split(text, "\n") {
			if strings.HasPrefix(strings.TrimSpace(line), "//") && bareCLI.MatchString(line) {
				t.Errorf("%s:%d cites CLI.md without its place in the repo (docs/CLI.md)", file, i+1)
			}
		}
	}
}
