package server

import "caseboard/internal/access"

// RouteInfo is one registered route, for the policy matrix test.
type RouteInfo struct {
	Method, Path string
	Perm         access.Permission
}

// Routes lists every route the server registers, pages and API.
func Routes(s *Server) []RouteInfo {
	var out []RouteInfo
	for _, r := range s.pageRoutes() {
		out = append(out, RouteInfo{r.Method, r.Path, r.Perm})
	}
	for _, r := range s.apiRoutes() {
		out = append(out, RouteInfo{r.Method, r.Path, r.Perm})
	}
	return out
}
