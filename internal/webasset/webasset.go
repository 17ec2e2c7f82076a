// Package webasset serves embedded static files (CSS, JS, icons) under
// content-hashed names, for the staff UI and the policyholder portal.
// Hashed names change whenever the bytes do, so browsers may cache them for
// a year and still never run stale code after an upgrade.
package webasset

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
	"time"
)

// file is one static file under its hashed name.
type file struct {
	name        string // hashed name, e.g. app.3f2a9c1e.css
	contentType string
	body        []byte
}

// Set maps logical names (app.css) to hashed URLs and serves the files.
type Set struct {
	urls   map[string]string // logical name → URL of the hashed name
	byName map[string]*file  // hashed name → file
}

// Load reads every file under dir in fsys and gives each the URL
// urlPrefix + hashed name (urlPrefix such as "/static/").
func Load(fsys fs.FS, dir, urlPrefix string) (*Set, error) {
	s := &Set{urls: map[string]string{}, byName: map[string]*file{}}
	err := fs.WalkDir(fsys, dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		logical := strings.TrimPrefix(p, dir+"/")
		sum := sha256.Sum256(body)
		ext := path.Ext(logical)
		hashed := strings.TrimSuffix(logical, ext) + "." + hex.EncodeToString(sum[:4]) + ext
		ct := mime.TypeByExtension(ext)
		if ct == "" {
			ct = http.DetectContentType(body)
		}
		s.urls[logical] = urlPrefix + hashed
		s.byName[hashed] = &file{name: hashed, contentType: ct, body: body}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load static assets: %w", err)
	}
	return s, nil
}

// URL returns the hashed URL of a logical name, for templates; an unknown
// name is an error, so a typo fails template execution instead of a 404.
func (s *Set) URL(name string) (string, error) {
	u, ok := s.urls[name]
	if !ok {
		return "", fmt.Errorf("no static asset %q", name)
	}
	return u, nil
}

// Serve answers a request whose path value "name" is a hashed name; only
// hashed names exist, so every answer can be cached for a year.
func (s *Set) Serve(w http.ResponseWriter, r *http.Request) {
	f, ok := s.byName[r.PathValue("name")]
	if !ok {
		http.Error(w, "not found", http.StatusNotFound)
		return
	}
	w.Header().Set("Content-Type", f.contentType)
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	w.Header().Set("ETag", `"`+f.name+`"`)
	http.ServeContent(w, r, f.name, time.Time{}, bytes.NewReader(f.body))
}
