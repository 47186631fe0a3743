package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/user"
	"strings"
	"text/tabwriter"
	"time"

	"golang.org/x/term"

	"caseboard/internal/access"
	"caseboard/internal/audit"
	"caseboard/internal/config"
	"caseboard/internal/fault"
	"caseboard/internal/org"
	"caseboard/internal/store"
)

const userUsage = `Usage: caseboard user SUBCOMMAND [flags]

  add             give a person an account (creating the person if new)
                  --email E --name N --role R [--role R2] --unit U [--unit U2]
                  [--grade G] [--location L] [--clearance C] [--password-stdin | --no-password]
  list            list accounts [--format table|json]
  disable         stop an account signing in and end its sessions: --email E
  enable          let a disabled account sign in again: --email E
  reset-password  set a new password and end the account's sessions: --email E [--password-stdin]
  grant           give a role: --email E --role R
  revoke          take a role away: --email E --role R
  token           make an API token and print it once: --email E [--name N] [--read-only] [--unit U] [--expires 720h]

Without --password-stdin, add and reset-password ask for the password on the terminal.`

// repeated is a flag that may be given more than once.
type repeated []string

func (r *repeated) String() string     { return strings.Join(*r, ",") }
func (r *repeated) Set(v string) error { *r = append(*r, v); return nil }

func runUser(ctx context.Context, env Env, args []string) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprintln(env.Stderr, userUsage)
		if len(args) == 0 {
			return usagef("user needs a subcommand")
		}
		return nil
	}
	sub, rest := args[0], args[1:]
	u := &userCommand{env: env, fs: newFlags(env, "user "+sub, "user "+sub+" [flags]")}
	u.load = config.Register(u.fs, env.Getenv, "db")
	u.fs.StringVar(&u.email, "email", "", "the person's email address")
	run, ok := map[string]func(context.Context) error{
		"add": u.add, "list": u.list, "disable": u.disable, "enable": u.enable,
		"reset-password": u.resetPassword, "grant": u.grant, "revoke": u.revoke, "token": u.token,
	}[sub]
	if !ok {
		return usagef("user: unknown subcommand %q (add, list, disable, enable, reset-password, grant, revoke, token)", sub)
	}
	u.declare(sub)
	if err := parse(u.fs, rest); err != nil {
		return err
	}
	cfg, err := u.load()
	if err != nil {
		return usagef("user %s: %v", sub, err)
	}
	db, _, err := openMigrated(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	u.db = db
	return run(audit.WithActor(ctx, commandLineActor()))
}

// commandLineActor records writes made from the command line under the
// operating system account that made them.
func commandLineActor() audit.Actor {
	who := "unknown"
	if cu, err := user.Current(); err == nil {
		who = cu.Username
	}
	host, _ := os.Hostname()
	return audit.Actor{Label: fmt.Sprintf("command line (%s@%s)", who, host), Address: "local"}
}

type userCommand struct {
	env   Env
	fs    *flag.FlagSet
	load  func() (*config.Config, error)
	db    *store.DB
	email string

	name, grade, location, clearance, format, tokenName, tokenUnit string
	roles, units                                                   repeated
	passwordStdin, noPassword, readOnly                            bool
	expires                                                        time.Duration
}

// declare adds the flags a subcommand takes.
func (u *userCommand) declare(sub string) {
	fs := u.fs
	switch sub {
	case "add":
		fs.StringVar(&u.name, "name", "", "full name (for a new person)")
		fs.Var(&u.roles, "role", "a role to grant; repeat for more")
		fs.Var(&u.units, "unit", "unit code; the first is the person's own unit, any more are extra memberships")
		fs.StringVar(&u.grade, "grade", "operational_delivery", "grade code (for a new person)")
		fs.StringVar(&u.location, "location", "petty_france", "location code (for a new person)")
		fs.StringVar(&u.clearance, "clearance", "bpss", "security clearance: bpss, ctc, sc or dv (for a new person)")
		fs.BoolVar(&u.passwordStdin, "password-stdin", false, "read the password from the first line of standard input")
		fs.BoolVar(&u.noPassword, "no-password", false, "no local password: the person signs in with single sign-on only")
	case "reset-password":
		fs.BoolVar(&u.passwordStdin, "password-stdin", false, "read the password from the first line of standard input")
	case "grant", "revoke":
		fs.Var(&u.roles, "role", "the role")
	case "list":
		fs.StringVar(&u.format, "format", "table", "table or json")
	case "token":
		fs.StringVar(&u.tokenName, "name", "command line", "what the token is for")
		fs.BoolVar(&u.readOnly, "read-only", false, "the token may only read")
		fs.StringVar(&u.tokenUnit, "unit", "", "limit the token to one of the person's units (unit code)")
		fs.DurationVar(&u.expires, "expires", 720*time.Hour, "how long the token lives")
	}
}

func (u *userCommand) needEmail() error {
	if u.email == "" {
		return usagef("%s: --email is required", u.fs.Name())
	}
	return nil
}

func (u *userCommand) account(ctx context.Context) (store.Account, error) {
	if err := u.needEmail(); err != nil {
		return store.Account{}, err
	}
	return u.db.AccountByEmail(ctx, u.email)
}

func (u *userCommand) add(ctx context.Context) error {
	if err := u.needEmail(); err != nil {
		return err
	}
	if len(u.roles) == 0 || len(u.units) == 0 {
		return usagef("user add: give at least one --role and one --unit")
	}
	unitIDs, err := u.unitIDs(ctx, u.units)
	if err != nil {
		return err
	}
	person, err := u.db.PersonByEmail(ctx, u.email)
	if fault.CodeOf(err) == fault.NotFound {
		person, err = u.newPerson(ctx, unitIDs[0])
	}
	if err != nil {
		return err
	}
	hash := ""
	if !u.noPassword {
		if hash, err = u.newPasswordHash(ctx, person.Name, person.Email); err != nil {
			return err
		}
	}
	roles := make([]access.Role, len(u.roles))
	for i, r := range u.roles {
		roles[i] = access.Role(r)
	}
	var extra []int64
	for _, id := range unitIDs {
		if id != person.UnitID {
			extra = append(extra, id)
		}
	}
	if err := u.db.CreateAccount(ctx, person.ID, hash, roles, extra); err != nil {
		return err
	}
	fmt.Fprintf(u.env.Stdout, "account created for %s <%s> with roles %s\n", person.Name, person.Email, u.roles.String())
	return nil
}

func (u *userCommand) newPerson(ctx context.Context, unitID int64) (org.Person, error) {
	locations, err := u.db.Locations(ctx)
	if err != nil {
		return org.Person{}, err
	}
	p := org.Person{Name: u.name, Email: u.email, Grade: org.Grade(u.grade), UnitID: unitID, Clearance: org.Clearance(u.clearance)}
	for _, l := range locations {
		if l.Code == u.location {
			p.LocationID = l.ID
		}
	}
	if p.LocationID == 0 {
		return p, fault.Errorf(fault.Invalid, "there is no location %q", u.location)
	}
	return p, u.db.CreatePerson(ctx, &p)
}

func (u *userCommand) unitIDs(ctx context.Context, codes []string) ([]int64, error) {
	units, err := u.db.Units(ctx)
	if err != nil {
		return nil, err
	}
	var ids []int64
	for _, code := range codes {
		found := false
		for _, unit := range units {
			if unit.Code == code {
				ids, found = append(ids, unit.ID), true
			}
		}
		if !found {
			return nil, fault.Errorf(fault.Invalid, "there is no unit %q", code)
		}
	}
	return ids, nil
}

// newPasswordHash reads a new password, checks it is good enough, and
// hashes it.
func (u *userCommand) newPasswordHash(ctx context.Context, name, email string) (string, error) {
	password, err := u.readPassword()
	if err != nil {
		return "", err
	}
	if err := access.CheckNewPassword(password, name, email); err != nil {
		return "", err
	}
	return access.HashPassword(ctx, password, access.DefaultArgon2)
}

func (u *userCommand) readPassword() (string, error) {
	if u.passwordStdin {
		line, err := bufio.NewReader(u.env.Stdin).ReadString('\n')
		if err != nil && err != io.EOF {
			return "", fmt.Errorf("read the password from standard input: %w", err)
		}
		return strings.TrimRight(line, "\r\n"), nil
	}
	f, ok := u.env.Stdin.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return "", usagef("%s: standard input is not a terminal: give --password-stdin and the password on standard input", u.fs.Name())
	}
	fmt.Fprint(u.env.Stderr, "Password: ")
	first, err := term.ReadPassword(int(f.Fd()))
	fmt.Fprintln(u.env.Stderr)
	if err != nil {
		return "", err
	}
	fmt.Fprint(u.env.Stderr, "Again: ")
	second, err := term.ReadPassword(int(f.Fd()))
	fmt.Fprintln(u.env.Stderr)
	if err != nil {
		return "", err
	}
	if string(first) != string(second) {
		return "", fault.Errorf(fault.Invalid, "the two passwords differ")
	}
	return string(first), nil
}

func (u *userCommand) list(ctx context.Context) error {
	accounts, err := u.db.Accounts(ctx)
	if err != nil {
		return err
	}
	switch u.format {
	case "json":
		enc := json.NewEncoder(u.env.Stdout)
		for _, a := range accounts {
			if err := enc.Encode(a); err != nil {
				return err
			}
		}
		return nil
	case "table":
		tw := tabwriter.NewWriter(u.env.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "EMAIL\tNAME\tUNIT\tCLEARANCE\tROLES\tSTATUS")
		for _, a := range accounts {
			status := "active"
			if a.Disabled {
				status = "disabled"
			}
			roles := make([]string, len(a.Roles))
			for i, r := range a.Roles {
				roles[i] = string(r)
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", a.Email, a.Name, a.UnitCode, a.Clearance, strings.Join(roles, ","), status)
		}
		return tw.Flush()
	}
	return usagef("user list: --format is table or json")
}

func (u *userCommand) setDisabled(ctx context.Context, disabled bool) error {
	a, err := u.account(ctx)
	if err != nil {
		return err
	}
	if err := u.db.SetDisabled(ctx, a.PersonID, disabled); err != nil {
		return err
	}
	state := "enabled"
	if disabled {
		state = "disabled; its sessions have ended"
	}
	fmt.Fprintf(u.env.Stdout, "the account of %s is %s\n", a.Email, state)
	return nil
}

func (u *userCommand) disable(ctx context.Context) error { return u.setDisabled(ctx, true) }
func (u *userCommand) enable(ctx context.Context) error  { return u.setDisabled(ctx, false) }

func (u *userCommand) resetPassword(ctx context.Context) error {
	a, err := u.account(ctx)
	if err != nil {
		return err
	}
	hash, err := u.newPasswordHash(ctx, a.Name, a.Email)
	if err != nil {
		return err
	}
	if err := u.db.SetPassword(ctx, a.PersonID, hash); err != nil {
		return err
	}
	fmt.Fprintf(u.env.Stdout, "the password of %s is changed and every session of theirs has ended\n", a.Email)
	return nil
}

func (u *userCommand) changeRole(ctx context.Context, grant bool) error {
	a, err := u.account(ctx)
	if err != nil {
		return err
	}
	if len(u.roles) != 1 {
		return usagef("%s: give exactly one --role", u.fs.Name())
	}
	role := access.Role(u.roles[0])
	if grant {
		err = u.db.Grant(ctx, a.PersonID, role)
	} else {
		err = u.db.Revoke(ctx, a.PersonID, role)
	}
	if err != nil {
		return err
	}
	verb := "now holds"
	if !grant {
		verb = "no longer holds"
	}
	fmt.Fprintf(u.env.Stdout, "%s %s the role %s\n", a.Email, verb, role)
	return nil
}

func (u *userCommand) grant(ctx context.Context) error  { return u.changeRole(ctx, true) }
func (u *userCommand) revoke(ctx context.Context) error { return u.changeRole(ctx, false) }

func (u *userCommand) token(ctx context.Context) error {
	a, err := u.account(ctx)
	if err != nil {
		return err
	}
	t := store.APIToken{PersonID: a.PersonID, Name: u.tokenName, ReadOnly: u.readOnly, ExpiresAt: u.db.Now().Add(u.expires)}
	if u.tokenUnit != "" {
		ids, err := u.unitIDs(ctx, []string{u.tokenUnit})
		if err != nil {
			return err
		}
		p, err := u.db.Principal(ctx, a.PersonID)
		if err != nil {
			return err
		}
		if !p.MemberOf(ids[0]) {
			return fault.Errorf(fault.Invalid, "%s is not a member of the unit %s", a.Email, u.tokenUnit)
		}
		t.UnitID = &ids[0]
	}
	secret := access.NewAPIToken()
	if err := u.db.CreateAPIToken(ctx, &t, access.HashSecret(secret)); err != nil {
		return err
	}
	fmt.Fprintln(u.env.Stdout, secret)
	fmt.Fprintf(u.env.Stderr, "token %d for %s, expires %s; it is shown only now\n", t.ID, a.Email, t.ExpiresAt.Format(time.RFC3339))
	return nil
}
