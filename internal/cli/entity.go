package cli

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"strconv"
	"time"

	"github.com/storyline/storyline/internal/intel/entity"
	"github.com/storyline/storyline/internal/store"
)

const entityUsage = `usage: storyline entity show ID|NAME [--json]
       storyline entity merge ID OTHER    (OTHER becomes part of ID, and stays so)
       storyline entity split ID SPELLING (the spelling leaves ID for an entity of its own, and stays apart)
`

func runEntity(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		fmt.Fprint(e.stderr, entityUsage)
		return usageErr("entity needs show, merge or split")
	}
	fs := newFlags(e, "entity "+args[0], "")
	data := dataFlag(fs)
	asJSON := fs.Bool("json", false, "print JSON")
	switch args[0] {
	case "-h", "-help", "--help", "help":
		fmt.Fprint(e.stderr, entityUsage)
		return flag.ErrHelp
	}
	pos, err := parse(fs, args[1:])
	if err != nil {
		return err
	}
	switch args[0] {
	case "show":
		if len(pos) != 1 {
			return usageErr("entity show takes one ID or NAME")
		}
		st, err := data.openRead(ctx)
		if err != nil {
			return err
		}
		defer st.Close()
		return showEntity(ctx, e, st, pos[0], *asJSON)
	case "merge", "split":
		if len(pos) != 2 {
			return usageErr("entity %s takes two arguments", args[0])
		}
		id, err := strconv.ParseInt(pos[0], 10, 64)
		if err != nil {
			return usageErr("entity ID %q is not a number", pos[0])
		}
		st, err := data.openWrite(ctx, e, "entity")
		if err != nil {
			return err
		}
		defer st.Close()
		tx, err := st.Begin(ctx)
		if err != nil {
			return err
		}
		defer tx.Rollback()
		var msg string
		if args[0] == "merge" {
			other, err := strconv.ParseInt(pos[1], 10, 64)
			if err != nil {
				return usageErr("entity ID %q is not a number", pos[1])
			}
			err = tx.MergeEntities(ctx, entity.Merge{Into: id, From: other, By: "user", At: time.Now().UTC(),
				Evidence: "merged by a person"})
			if err != nil {
				return err
			}
			msg = fmt.Sprintf("entity %d is now part of entity %d", other, id)
		} else {
			n, err := tx.SplitVariant(ctx, id, entity.Norm(pos[1]))
			if err != nil {
				return err
			}
			msg = fmt.Sprintf("%q left entity %d for entity %d; later articles keep them apart", pos[1], id, n)
		}
		if err := tx.Commit(); err != nil {
			return err
		}
		fmt.Fprintln(e.stdout, msg)
		return nil
	}
	fmt.Fprint(e.stderr, entityUsage)
	return usageErr("unknown entity command %q", args[0])
}

// entityJSON is the shape `entity show --json` prints.
type entityJSON struct {
	ID        int64         `json:"id"`
	Canonical string        `json:"canonical"`
	Type      string        `json:"type"`
	Mentions  int           `json:"mentions"`
	FirstSeen string        `json:"first_seen,omitempty"`
	Variants  []variantJSON `json:"variants"`
	Merges    []mergeJSON   `json:"merges,omitempty"`
}

type variantJSON struct {
	Text      string `json:"text"`
	Lang      string `json:"lang"`
	Mentions  int    `json:"mentions"`
	FirstSeen string `json:"first_seen,omitempty"`
	Evidence  string `json:"evidence"`
}

type mergeJSON struct {
	From     int64  `json:"from"`
	By       string `json:"by"`
	Evidence string `json:"evidence"`
}

func showEntity(ctx context.Context, e *env, st store.Store, arg string, asJSON bool) error {
	var ids []int64
	if id, err := strconv.ParseInt(arg, 10, 64); err == nil {
		ids = []int64{id}
	} else {
		es, err := st.EntitiesNamed(ctx, arg)
		if err != nil {
			return err
		}
		if len(es) == 0 {
			return fmt.Errorf("no entity is written %q", arg)
		}
		for _, x := range es {
			ids = append(ids, x.ID)
		}
	}
	for _, id := range ids {
		ent, vs, ms, err := st.EntityInfo(ctx, id)
		if err != nil {
			return err
		}
		j := entityJSON{ID: ent.ID, Canonical: ent.Canonical, Type: string(ent.Type), Mentions: ent.Mentions, FirstSeen: rfc3339(ent.FirstSeen)}
		for _, v := range vs {
			j.Variants = append(j.Variants, variantJSON{Text: v.Text, Lang: v.Lang, Mentions: v.Mentions, FirstSeen: rfc3339(v.FirstSeen), Evidence: v.Evidence})
		}
		for _, m := range ms {
			j.Merges = append(j.Merges, mergeJSON{From: m.From, By: m.By, Evidence: m.Evidence})
		}
		if asJSON {
			enc := json.NewEncoder(e.stdout)
			enc.SetEscapeHTML(false)
			if err := enc.Encode(j); err != nil {
				return err
			}
			continue
		}
		fmt.Fprintf(e.stdout, "entity %d  %s  (%s, %d mentions)\n", j.ID, j.Canonical, j.Type, j.Mentions)
		for _, v := range j.Variants {
			fmt.Fprintf(e.stdout, "  %-28s %-3s %4d×  %s\n", v.Text, v.Lang, v.Mentions, v.Evidence)
		}
		for _, m := range j.Merges {
			fmt.Fprintf(e.stdout, "  merged entity %d (%s): %s\n", m.From, m.By, m.Evidence)
		}
	}
	return nil
}
