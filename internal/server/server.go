// Package server is caseboard's HTTP layer: the pages and the JSON API, both
// thin layers over the store and the domain packages. Every route is listed
// in routes.go; errors map to HTTP status in one table in errors.go.
package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"caseboard/internal/config"
	"caseboard/internal/store"
	"caseboard/web"
)

// Server serves caseboard over HTTP. It keeps no state that two instances on
// one database could disagree on: everything lives in the database.
type Server struct {
	db      *store.DB
	views   *web.Views
	log     *slog.Logger
	cfg     *config.Config
	version string
	metrics *metrics
	handler http.Handler
	imports importProgress // the uploads being imported, for their pages
}

// New builds a server and its routes.
func New(db *store.DB, views *web.Views, log *slog.Logger, cfg *config.Config, version string) *Server {
	s := &Server{db: db, views: views, log: log, cfg: cfg, version: version}
	s.metrics = newMetrics(db)
	s.handler = s.middleware(s.routes())
	return s
}

// ServeHTTP makes the server an http.Handler, for tests and embedding.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// Serve accepts connections on ln until ctx is cancelled, then lets
// requests in flight finish within the configured shutdown timeout.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{
		Handler:           s,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       2 * time.Minute, // uploads of large spreadsheets
		WriteTimeout:      5 * time.Minute, // large exports
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	errc := make(chan error, 1)
	go func() {
		if s.cfg.TLSCert != "" {
			errc <- srv.ServeTLS(ln, s.cfg.TLSCert, s.cfg.TLSKey)
		} else {
			errc <- srv.Serve(ln)
		}
	}()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	s.log.Info("shutting down", "timeout", s.cfg.ShutdownTimeout.String())
	shutdownCtx, cancel := context.WithTimeout(context.Background(), s.cfg.ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
