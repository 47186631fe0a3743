// Package layers_test checks the import rules of docs/architecture.md: the
// domain packages hold types and rules and import neither the store nor
// the HTTP layer (nor the database or HTTP libraries), and only the command
// line ties the layers together.
package layers_test

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// rules lists, per package, the imports it must not have.
var rules = map[string][]string{
	"fault":     {"caseboard/", "database/sql", "net/http"},
	"org":       {"caseboard/internal/store", "caseboard/internal/server", "caseboard/web", "database/sql", "net/http"},
	"audit":     {"caseboard/internal/store", "caseboard/internal/server", "caseboard/web", "database/sql", "net/http"},
	"deadline":  {"caseboard/internal/store", "caseboard/internal/server", "caseboard/web", "database/sql", "net/http"},
	"casework":  {"caseboard/internal/store", "caseboard/internal/server", "caseboard/web", "database/sql", "net/http"},
	"risk":      {"caseboard/internal/store", "caseboard/internal/server", "caseboard/web", "database/sql", "net/http"},
	"quality":   {"caseboard/internal/store", "caseboard/internal/server", "caseboard/web", "database/sql", "net/http"},
	"plan":      {"caseboard/internal/store", "caseboard/internal/server", "caseboard/web", "database/sql", "net/http"},
	"measure":   {"caseboard/internal/store", "caseboard/internal/server", "caseboard/web", "database/sql", "net/http"},
	"mail":      {"caseboard/internal/store", "caseboard/internal/server", "caseboard/web", "database/sql", "net/http"},
	"demo":      {"caseboard/internal/store", "caseboard/internal/server", "caseboard/web", "database/sql", "net/http"},
	"config":    {"caseboard/internal/store", "caseboard/internal/server", "caseboard/web", "database/sql"},
	"store":     {"caseboard/internal/server", "caseboard/web", "net/http", "caseboard/internal/cli"},
	"jobs":      {"caseboard/internal/server", "caseboard/web", "net/http", "caseboard/internal/cli"},
	"server":    {"caseboard/internal/cli", "database/sql"},
	"chart":     {"caseboard/", "database/sql", "net/http"},
	"pdfdoc":    {"caseboard/internal/store", "caseboard/internal/server", "caseboard/web", "caseboard/internal/cli", "database/sql", "net/http"},
	"pack":      {"caseboard/internal/store", "caseboard/internal/server", "caseboard/web", "database/sql", "net/http"},
	"pdftext":   {"caseboard/internal/store", "caseboard/internal/server", "caseboard/web", "caseboard/internal/cli", "database/sql", "net/http"},
	"knowledge": {"caseboard/internal/store", "caseboard/internal/server", "caseboard/web", "database/sql", "net/http"},
}

func TestLayers(t *testing.T) {
	for pkg, forbidden := range rules {
		files, _ := filepath.Glob(filepath.Join(pkg, "*.go"))
		if len(files) == 0 {
			t.Fatalf("package %s has no files: update the rules", pkg)
		}
		for _, file := range files {
			if strings.HasSuffix(file, "_test.go") {
				continue
			}
			f, err := parser.ParseFile(token.NewFileSet(), file, nil, parser.ImportsOnly)
			if err != nil {
				t.Fatal(err)
			}
			for _, imp := range f.Imports {
				path, _ := strconv.Unquote(imp.Path.Value)
				for _, bad := range forbidden {
					if path == bad || (strings.HasSuffix(bad, "/") && strings.HasPrefix(path, bad)) || strings.HasPrefix(path, bad+"/") {
						t.Errorf("%s imports %s, which the %s layer must not", file, path, pkg)
					}
				}
			}
		}
	}
}

func TestNoGrabBagPackages(t *testing.T) {
	entries, _ := os.ReadDir(".")
	for _, e := range entries {
		switch e.Name() {
		case "util", "utils", "common", "helpers", "misc", "shared":
			t.Errorf("package %s says nothing about what it holds", e.Name())
		}
	}
}
