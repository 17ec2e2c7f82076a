package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
	"time"
)

//go:embed static
var staticFS embed.FS

// asset is one embedded static file under its content-hashed name.
type asset struct {
	name        string // hashed name, e.g. app.3f2a9c1e.css
	contentType string
	body        []byte
}

// assets maps logical names (app.css) to hashed URLs and serves the files.
// Hashed names change whenever the bytes do, so browsers may cache them for
// a year and still never run stale code after an upgrade.
type assets struct {
	urls   map[string]string // logical name → /static/hashed name
	byName map[string]*asset // hashed name → asset
}

func loadAssets() (*assets, error) {
	a := &assets{urls: map[string]string{}, byName: map[string]*asset{}}
	err := fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := staticFS.ReadFile(p)
		if err != nil {
			return err
		}
		logical := strings.TrimPrefix(p, "static/")
		sum := sha256.Sum256(body)
		ext := path.Ext(logical)
		hashed := strings.TrimSuffix(logical, ext) + "." + hex.EncodeToString(sum[:4]) + ext
		ct := mime.TypeByExtension(ext)
		if ct == "" {
			ct = http.DetectContentType(body)
		}
		a.urls[logical] = "/static/" + hashed
		a.byName[hashed] = &asset{name: hashed, contentType: ct, body: body}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("web: load static assets: %w", err)
	}
	return a, nil
}

// url returns the hashed URL of a logical asset name, for templates.
func (a *assets) url(name string) (string, error) {
	u, ok := a.urls[name]
	if !ok {
		return "", fmt.Errorf("web: no static asset %q", name)
	}
	return u, nil
}

// serve answers GET /static/{name}; only hashed names exist, so every
// answer can be cached for a year.
func (a *assets) serve(w http.ResponseWriter, r *http.Request) {
	f, ok := a.byName[r.PathValue("name")]
	if !ok {
		http.Error(w, "not found", http.StatusNotFound)
		return
	}
	w.Header().Set("Content-Type", f.contentType)
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	w.Header().Set("ETag", `"`+f.name+`"`)
	http.ServeContent(w, r, f.name, time.Time{}, bytes.NewReader(f.body))
}
