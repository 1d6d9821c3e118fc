package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	vigie "github.com/vigie-network/vigie"
)

const userUsage = `Usage:
  vigie user add EMAIL --role admin|researcher|reviewer|member [--country ISO2]… [--name NAME] [--password-stdin] [--base-url URL]
  vigie user list
  vigie user disable EMAIL
`

// stdin is where --password-stdin reads; tests replace it.
var stdin io.Reader = os.Stdin

func runUser(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprint(stderr, userUsage)
		if len(args) == 0 {
			return errUsage
		}
		return nil
	}
	switch args[0] {
	case "add":
		return userAdd(ctx, args[1:], stdout, stderr)
	case "list":
		return userList(ctx, args[1:], stdout, stderr)
	case "disable":
		return userDisable(ctx, args[1:], stdout, stderr)
	}
	fmt.Fprintf(stderr, "vigie user: unknown subcommand %q\n\n%s", args[0], userUsage)
	return errUsage
}

// listFlag collects a repeated flag.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error {
	*l = append(*l, strings.ToUpper(strings.TrimSpace(v)))
	return nil
}

// splitPositional lets the EMAIL come before or after the flags.
func splitPositional(args []string) (string, []string) {
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		return args[0], args[1:]
	}
	return "", args
}

func userAdd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("user add", "user add EMAIL --role ROLE [--country ISO2]… [--name NAME] [--password-stdin]", stderr)
	db := dbFlag(fs)
	role := fs.String("role", "", "admin, researcher, reviewer or member")
	name := fs.String("name", "", "the person's name, shown in the history")
	var countries listFlag
	fs.Var(&countries, "country", "ISO alpha-2 code of a country a member speaks for (repeat for several)")
	fromStdin := fs.Bool("password-stdin", false, "read the password from the first line of standard input")
	baseURL := fs.String("base-url", envOr("VIGIE_BASE_URL", "http://127.0.0.1:8080"), "the site's address, for the set-password link (env VIGIE_BASE_URL)")
	email, rest := splitPositional(args)
	if err := parseFlags(fs, rest); err != nil {
		return err
	}
	if email == "" && fs.NArg() == 1 {
		email = fs.Arg(0)
	}
	if email == "" || *role == "" {
		fs.Usage()
		return errUsage
	}
	password := ""
	if *fromStdin {
		line, err := bufio.NewReader(stdin).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return err
		}
		password = strings.TrimRight(line, "\r\n")
		if password == "" {
			return errors.New("--password-stdin: standard input is empty")
		}
	}
	store, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer store.Close()
	u := vigie.User{Email: email, Name: *name, Role: vigie.Role(*role), Countries: countries}
	secret, err := vigie.NewService(store).AddUser(ctx, vigie.CommandLine("vigie user add"), &u, password)
	if err != nil {
		return err
	}
	if secret == "" {
		fmt.Fprintf(stdout, "added %s (%s)\n", u.Email, u.Role)
		return nil
	}
	fmt.Fprintf(stdout, "added %s (%s); send them this one-time link to set a password (valid %d days):\n%s/set-password?token=%s\n",
		u.Email, u.Role, int(vigie.SetPasswordLifetime.Hours()/24), strings.TrimRight(*baseURL, "/"), secret)
	return nil
}

func userList(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("user list", "user list [--db PATH]", stderr)
	db := dbFlag(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	store, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer store.Close()
	users, err := store.Users(ctx)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "EMAIL\tNAME\tROLE\tCOUNTRIES\tSTATUS")
	for _, u := range users {
		status := "active"
		switch {
		case u.Disabled:
			status = "disabled"
		case u.PasswordHash == "":
			status = "no password yet"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", u.Email, dash(u.Name), u.Role, dash(strings.Join(u.Countries, ",")), status)
	}
	return tw.Flush()
}

func dash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

func userDisable(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("user disable", "user disable EMAIL [--db PATH]", stderr)
	db := dbFlag(fs)
	email, rest := splitPositional(args)
	if err := parseFlags(fs, rest); err != nil {
		return err
	}
	if email == "" && fs.NArg() == 1 {
		email = fs.Arg(0)
	}
	if email == "" {
		fs.Usage()
		return errUsage
	}
	store, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer store.Close()
	if err := vigie.NewService(store).DisableUser(ctx, vigie.CommandLine("vigie user disable"), email); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "disabled %s; their sessions and API tokens no longer work\n", vigie.NormaliseEmail(email))
	return nil
}
