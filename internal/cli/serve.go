package cli

import (
	"context"
	"fmt"
	"net"
	"os/signal"
	"runtime/debug"
	"syscall"

	"caseboard/internal/config"
	"caseboard/internal/jobs"
	"caseboard/internal/mail"
	"caseboard/internal/quality"
	"caseboard/internal/server"
	"caseboard/web"
)

func runServe(ctx context.Context, env Env, args []string) error {
	fs := newFlags(env, "serve", "serve [--db DB] [--addr HOST:PORT]")
	load := config.Register(fs, env.Getenv, "db", "addr", "log-level", "log-format", "base-url",
		"shutdown-timeout", "max-body-bytes", "max-upload-bytes", "tls-cert", "tls-key", "instance",
		"session-idle", "session-max", "principal-cache", "oidc-issuer", "oidc-client-id", "oidc-client-secret", "oidc-email-claim", "min-clearance",
		"smtp-addr", "smtp-from", "smtp-user", "smtp-password", "gc-percent")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("serve takes no arguments, got %q", fs.Args())
	}
	cfg, err := load()
	if err != nil {
		return usagef("serve: %v", err)
	}
	sender := &mail.Sender{Addr: cfg.SMTPAddr, From: cfg.SMTPFrom, User: cfg.SMTPUser, Password: cfg.SMTPPassword}
	if sender.Configured() {
		if err := sender.Check(); err != nil {
			return usagef("serve: %v", err)
		}
	}
	// A compliance rule naming a field the register does not have stops
	// the service here, not when someone first opens the page.
	if err := quality.CheckRules(quality.ComplianceRules); err != nil {
		return err
	}
	log := newLogger(env.Stderr, cfg.LogLevel, cfg.LogFormat)
	// A request allocates a few hundred kilobytes over a live heap of a
	// few tens of megabytes, so at Go's default the collector runs every
	// hundred or so requests and takes a quarter of the CPU of a list.
	if env.Getenv("GOGC") == "" {
		debug.SetGCPercent(cfg.GCPercent)
	}
	ctx, stop := signal.NotifyContext(ctx, syscall.SIGINT, syscall.SIGTERM)
	defer stop()

	db, applied, err := openMigrated(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	db.Clearances = cfg.Clearances
	db.SetPrincipalTTL(cfg.PrincipalCache)
	if len(applied) > 0 {
		log.Info("migrated", "versions", applied)
	}
	views, err := web.NewViews()
	if err != nil {
		return fmt.Errorf("templates: %w", err)
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w (is another caseboard running? choose another --addr)", cfg.Addr, err)
	}
	scheme := "http"
	if cfg.TLSCert != "" {
		scheme = "https"
	}
	log.Info("caseboard serving", "url", fmt.Sprintf("%s://%s", scheme, ln.Addr()), "database", string(db.Dialect()), "version", Version, "instance", cfg.Instance)
	scheduler := jobs.NewScheduler(db, log, cfg.Instance)
	scheduler.AddTask(jobs.MailNotices(db, sender, cfg.BaseURL))
	go scheduler.Run(ctx)
	return server.New(db, views, log, cfg, Version).Serve(ctx, ln)
}
