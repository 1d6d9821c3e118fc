package main

import (
	"context"
	"fmt"
	"io"

	vigie "github.com/vigie-network/vigie"
)

const tokenUsage = `Usage:
  vigie token create EMAIL [--db PATH]   print a new API token for the user, alone on stdout

Send it as "Authorization: Bearer TOKEN" to the API under /api/v1/. The token
acts with the user's role; disabling the user ends it. Only its hash is stored:
it cannot be shown again.
`

func runToken(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprint(stderr, tokenUsage)
		if len(args) == 0 {
			return errUsage
		}
		return nil
	}
	if args[0] != "create" {
		fmt.Fprintf(stderr, "vigie token: unknown subcommand %q\n\n%s", args[0], tokenUsage)
		return errUsage
	}
	fs := newFlagSet("token create", "token create EMAIL [--db PATH]", stderr)
	db := dbFlag(fs)
	email, rest := splitPositional(args[1:])
	if err := parseFlags(fs, rest); err != nil {
		return err
	}
	if email == "" && fs.NArg() == 1 {
		email = fs.Arg(0)
	}
	if email == "" || fs.NArg() > 1 {
		fs.Usage()
		return errUsage
	}
	store, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer store.Close()
	token, err := vigie.NewService(store).CreateAPIToken(ctx, vigie.CommandLine("vigie token create"), vigie.NormaliseEmail(email))
	if err != nil {
		return err
	}
	// The token alone, so that scripts can capture it: TOKEN=$(vigie token create …)
	fmt.Fprintln(stdout, token)
	return nil
}
