package httpapi

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
