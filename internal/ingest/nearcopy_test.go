package ingest

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/storyline/storyline/internal/story"
)

// TestBoilerplateIsNoCopy: pages whose extracted text is the same
// boilerplate are not copies of one another, whether the earlier page was
// committed in an earlier run (its title read from the store) or is in the
// batch in hand; a syndicated copy still is, both ways.
func TestBoilerplateIsNoCopy(t *testing.T) {
	const form = "Leave a Reply\nYour email address will not be published. Required fields are marked *\n" +
		"Comment *\nName *\nEmail *\nWebsite\nSave my name, email, and website in this browser for the next time I comment.\nPost Comment"
	const footer = "Sign up for our morning newsletter and get the stories that matter to the region in your inbox every weekday, " +
		"with a weekend edition that rounds up the best reads, the events worth your time and the letters our readers sent us. " +
		"It is free, and you can unsubscribe at any time from the bottom of any issue.\n" +
		"The Harbourside Herald has reported on the towns and villages of the northern coast since 1891. It is owned by a " +
		"charitable trust, so every penny it makes goes back into local reporting rather than to shareholders, and no owner " +
		"or advertiser can tell the newsroom what to cover. Its reporters live in the communities they write about and answer " +
		"to readers first. If you value what we do, please consider becoming a supporter for the price of a coffee a month."
	const wire = "The railway line between Dunmore and Kelby, closed for nearly three weeks after the river Aln burst its banks, " +
		"will reopen to passengers on Friday morning, the network operator said on Tuesday.\n" +
		"Engineers have rebuilt a 200-metre section of embankment that was washed away on the night of February 12, when more " +
		"than 80 millimetres of rain fell on the upper valley in less than a day. Around 4,000 tonnes of stone were brought in " +
		"by train from a quarry in the north of the county.\n" +
		"Replacement buses, which added up to forty minutes to the journey, will run for the last time on Thursday evening, " +
		"and trains will run at reduced speed over the new embankment for two weeks while the ground settles."
	type doc struct{ title, text string }
	tests := []struct {
		name string
		a, b doc
		copy bool
	}{
		{"comment form", doc{"Three weeks walking the Camino", form}, doc{"Why my sourdough starter died", form}, false},
		{"cookie notice", doc{"Council approves new cycle lanes", "We use cookies to make sure you get the best experience on our website. " +
			"If you continue without changing your settings, we will assume that you are happy to receive all cookies.\nAccept all\nReject"},
			doc{"Hospital waiting lists fall again", "We use cookies to make sure you get the best experience on our website. " +
				"If you continue without changing your settings, we will assume that you are happy to receive all cookies.\nAccept all\nSettings"}, false},
		{"shared footer", doc{"Lifeboat rescues two walkers", "Two walkers were rescued by the lifeboat crew on Sunday.\n" + footer},
			doc{"School choir wins national prize", "The St Anne's school choir won the junior prize.\n" + footer}, false},
		{"syndicated copy", doc{"Flooded rail line to reopen on Friday - Regional Press Agency", "DUNMORE (RPA) -\n" + wire + "\nReporting by Tom Reeve"},
			doc{"Flooded rail line to reopen Friday | Kelby Courier", "Home\nNews\nShare\n" + strings.Replace(wire, "Around", "About", 1) +
				"\nRelated stories\n© Kelby Courier. All rights reserved."}, true},
	}
	for _, tt := range tests {
		for _, runs := range []int{1, 2} {
			t.Run(tt.name+map[int]string{1: ", one batch", 2: ", two runs"}[runs], func(t *testing.T) {
				in := t.TempDir()
				var paths []string
				for i, d := range []doc{tt.a, tt.b} {
					line, err := json.Marshal(map[string]string{"id": string(rune('a' + i)), "title": d.title, "text": d.text,
						"source": []string{"Wire", "Courier"}[i], "url": []string{"https://a.example/1", "https://b.example/2"}[i]})
					if err != nil {
						t.Fatal(err)
					}
					p := filepath.Join(in, string(rune('a'+i))+".jsonl")
					if err := os.WriteFile(p, append(line, '\n'), 0o644); err != nil {
						t.Fatal(err)
					}
					paths = append(paths, p)
				}
				p, _ := openWith(t, t.TempDir(), story.Config{}, Options{})
				batches := [][]string{paths}
				if runs == 2 {
					batches = [][]string{paths[:1], paths[1:]}
				}
				copies := 0
				for _, b := range batches {
					rep, err := p.Run(context.Background(), b)
					if err != nil {
						t.Fatal(err)
					}
					if len(rep.Skipped) != 0 {
						t.Fatalf("skipped: %+v", rep.Skipped)
					}
					copies += rep.Copies
				}
				if want := map[bool]int{true: 1, false: 0}[tt.copy]; copies != want {
					t.Errorf("copies %d, want %d", copies, want)
				}
			})
		}
	}
}
