package httpapi

import "net/http"

// RouteTable lists the route table as method, pattern, permission and
// whether the route is public, for the OpenAPI consistency test.
func RouteTable(a *API) [][4]string {
	var out [][4]string
	for _, rt := range a.routes() {
		public := ""
		if rt.Public {
			public = "public"
		}
		out = append(out, [4]string{rt.Method, rt.Pattern, string(rt.Perm), public})
	}
	return out
}

// PanickingHandler returns a public route handler that panics, to test
// the recovery in the route wrapper.
func PanickingHandler(a *API) http.Handler {
	return a.handler(route{Method: http.MethodGet, Pattern: "/panic", Public: true,
		handle: func(http.ResponseWriter, *http.Request) error { panic("boom") }})
}
