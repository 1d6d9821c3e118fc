package main

import (
	"context"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/vigie-network/vigie/export"
)

const editionUsage = `Usage:
  vigie edition publish NAME [--db PATH]   freeze the published data as a citable edition, e.g. "2026"
  vigie edition list [--db PATH]           list the editions, newest first
`

// now is the clock of edition publish; tests replace it.
var now = time.Now

func runEdition(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprint(stderr, editionUsage)
		if len(args) == 0 {
			return errUsage
		}
		return nil
	}
	switch args[0] {
	case "publish":
		return editionPublish(ctx, args[1:], stdout, stderr)
	case "list":
		return editionList(ctx, args[1:], stdout, stderr)
	}
	fmt.Fprintf(stderr, "vigie edition: unknown subcommand %q\n\n%s", args[0], editionUsage)
	return errUsage
}

func editionPublish(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("edition publish", "edition publish NAME [--db PATH]", stderr)
	db := dbFlag(fs)
	name, rest := splitPositional(args)
	if err := parseFlags(fs, rest); err != nil {
		return err
	}
	if name == "" && fs.NArg() == 1 {
		name = fs.Arg(0)
	}
	if name == "" {
		fs.Usage()
		return errUsage
	}
	store, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer store.Close()
	e, err := export.PublishEdition(ctx, store, name, "vigie edition publish", now())
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "published the %s edition: %s, %d bytes, data version %d\nsha256 %s\nIt is at /data/editions/%s on the site.\n",
		e.Name, e.PublishedAt.Format(time.RFC3339), e.Size, e.DataVersion, e.SHA256, e.Name)
	return nil
}

func editionList(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("edition list", "edition list [--db PATH]", stderr)
	db := dbFlag(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	store, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer store.Close()
	list, err := store.Editions(ctx)
	if err != nil {
		return err
	}
	if len(list) == 0 {
		fmt.Fprintln(stdout, `no editions yet; publish one with "vigie edition publish NAME"`)
		return nil
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tPUBLISHED\tDATA VERSION\tBYTES\tSHA-256")
	for _, e := range list {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%s\n", e.Name, e.PublishedAt.Format(time.RFC3339), e.DataVersion, e.Size, e.SHA256)
	}
	return tw.Flush()
}
