package web

import (
	"embed"

	"github.com/caredesk/caredesk/internal/webasset"
)

//go:embed static
var staticFS embed.FS

// loadAssets reads the staff UI's static files under content-hashed names.
func loadAssets() (*webasset.Set, error) { return webasset.Load(staticFS, "static", "/static/") }
