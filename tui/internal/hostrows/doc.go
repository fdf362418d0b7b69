// Package hostrows is the data engine behind the hosts list: a million hosts kept in a
// couple of hundred bytes each, appended in batches at a cost that grows linearly, and
// sorted, filtered and marked without the UI goroutine ever waiting on a pass over all
// of them. It knows nothing of Bubble Tea; the hosts pane drives it.
//
// It keeps the hosts pane's observable behaviour exactly: the same sort orders (every
// column's comparison, ties by the lower-case sanitised host name, then the device ID),
// the same filter (every word in the lower-case sanitised haystack of host name, platform,
// OS, sensor, IPs, device ID, domain, site, last user, tenant label and tags), the same
// natural comparison, marks kept by device. The tests hold the engine against a copy of
// the pane's former code (oracle_test.go) on hosts built to hit every corner.
//
// # Memory layout
//
// Rows are numbered in the order they arrive and stored by column, in chunks of 4,096
// rows that are never moved (column.go): nothing is copied when the table grows, there is
// no 2× capacity slack, and the chunks hold no pointers, so the collector does not scan
// them. Per row:
//
//   - repeated values — tenant (CID), platform, OS version and product, sensor version,
//     containment, external IP, domain, site, last login user — as 4-byte indexes into
//     dicts (dict.go), which keep each distinct value once;
//   - tag lists and host-group lists as 4-byte indexes into set dicts: an estate has a few
//     hundred distinct tag sets and memberships;
//   - the host name as a 4-byte reference into an arena of 64 KiB pointer-free pages
//     (arena.go) holding its search key and, when different, the name as received; plus a
//     16-byte sort key (its first 15 bytes and length) so that sorting and merging compare
//     integers and rarely read the arena;
//   - the local IP packed into 8 bytes when it is a plain dotted quad (else an arena
//     reference), which is also its sort key;
//   - last seen as Unix nanoseconds (8 bytes; the zero time has its own value);
//   - the device ID as a 4-byte device number; the 16 bytes of the ID are kept once per
//     device, found again through an open-addressing index (devindex.go).
//
// Table.Host gives a row back as a falcon.Host with the list fields; the full record is
// the host detail's to fetch. Each field is one entry in the tables of schema.go: besides
// the above, serial number, MAC and sensor policy (symbols), OU (a set) and first seen (a
// time). ZTA scores are not host fields: the pane fetches them and hands them over by
// device (zta.go); they sort like a column and filter as words such as zta<75.
//
// # Why interning
//
// Most of a host's fields repeat: a million hosts carry tens of platforms and OS versions,
// hundreds of sensor versions and sites, a few thousand domains and users. Interning makes
// those fields cost 4 bytes a row, and it makes the per-value work — lower-casing and
// sanitising for the filter, ranking for a sort, testing a filter word — happen once per
// distinct value instead of once per row. A sort by OS is a rank table of a few dozen
// values and a radix sort on the ranks; a filter word is tested against each platform,
// OS, domain… once, and a row's test of those fields is a table lookup.
//
// # Appending: prepare off the UI goroutine, merge on it
//
// Appending has two halves. Ingest.Prepare reads every field of every host, interns the
// values, finds or numbers the device, builds the keys and writes the arena, and sorts
// the batch by host name. It is the costly half, reading memory the decoder just wrote,
// and it runs on whatever goroutine read the batch (the stream's tea.Cmd); the interning
// tables are behind a mutex only Prepare and a short copy of their headers take.
// Table.Append, on the UI goroutine, copies the prepared rows into the columns and merges
// the batch into the order.
//
// The order is two sorted runs: base (as the last job sorted it) and fresh (the rows
// appended since, merged batch by batch in place). The view is the same two runs
// filtered, and position p of it is found by a binary search across both runs, so a
// frame's rows, the cursor's row and a row's position cost a few dozen comparisons at any
// size. When fresh outgrows a quarter of base, Append hands out a compaction job that
// merges the two off the UI goroutine; base grows by a quarter each time, so in all each
// row is copied about five times — linear, where merging every batch into the full order
// (the pane's former way) is quadratic. While the order is by host name (the default, and
// what a load uses) both runs carry their rows' sort keys alongside, so every merge reads
// memory in sequence (merge.go).
//
// # Jobs and appends
//
// Sorting, filtering and compaction are Jobs (jobs.go). A Job holds a snapshot — a copy of
// the column headers at the time it was made, and the order and filter set it starts
// from — and nothing it reads is ever written again: columns, dict values and arena bytes
// only grow, and base is replaced, never changed. So Job.Run needs no lock, may run in a
// tea.Cmd, and is cancelled by its context. Its Result covers the rows that existed when it
// was made; Table.Install, back on the UI goroutine, adds the rows appended meanwhile
// (they are few: what arrived during one job) and checks the job's generation: a newer
// sort, filter or a Reset makes it stale and Install drops it. Until a result is installed
// the view keeps the order and filter in force, so the pane keeps answering keys and shows
// that a sort or filter is being computed (Table.Busy). For small tables the pane may run
// a job inline (Table.Do).
//
// A sort job radix-sorts the rows by host name on their 16-byte keys (or merges the rows
// since into the host-name order the last job left), then radix-sorts that order by an
// integer key per row — a rank, a time, a state, a count — which leaves equal keys in
// host-name order: exactly the tie-break. The local IP column sorts packed IPv4 addresses
// by number and merges the others in with the natural comparison (sort.go; the orderer in
// order.go holds each column's comparison and rank table).
//
// A filter job tests each word once per distinct interned value, then per row only the
// host name, local IP and device ID (hex words are found in the 16-byte ID without
// printing it, hexmatch.go), over the cores. It keeps each word's row set (a bit per row)
// for the next keystrokes: a word seen before costs nothing, and a word that extends one
// seen before — typing one more letter — is tested only on that word's rows. Rows whose
// text holds an escape sequence, which sanitising may let swallow the next field, are
// tested against their whole haystack built as the pane built it.
//
// Marks (marks.go) are a bit per device number: marking the whole view is one pass over
// its rows setting bits, and marks outlive a reload as they did in the pane.
//
// # Wiring
//
// In the pane, roughly:
//
//	in := t.Ingest()                        // on Update, when asking for the next batch
//	cmd := func() tea.Msg { b, err := next(); return loaded{batch: in.Prepare(b), err: err} }
//	…
//	case loaded:   job := t.Append(msg.batch) // then run job (if any) as a command
//	case key s:    job := t.SetSort(hostrows.Sort{By: col, Now: now()})
//	case key /:    job := t.SetFilter(text)   // nil: nothing to compute
//	case done:     t.Install(msg.result)      // false: stale, dropped
//
// where a job runs as func() tea.Msg { return done{job.Run(ctx)} }. Draw with Shown,
// Window and the per-field reads (Hostname, OSName, LastSeen…); keep the cursor with
// Position and Find; SetTenants when the tenant labels change; Reset on a reload, Clear on
// another tenant.
//
// # Measured
//
// go test ./tui/internal/hostrows -run '^$' -bench . (bench_test.go), on a 2-core virtual
// machine shared with other work, so times are CPU time (clock_gettime), not wall time.
// Fake estates of 20 tenants with realistic repetition (fake_test.go), fed in
// 5,000–10,000-row batches.
//
//	                                   1k         100k           1M
//	live heap per row               760 B        193 B        171 B
//	feed, total CPU                 8 ms       217 ms      1.83 s
//	  Prepare (stream goroutine)    7 ms       178 ms      1.33 s
//	  Append (UI goroutine)       0.8 ms        22 ms       278 ms
//	  compaction jobs               0 ms        17 ms       228 ms
//	one Append, p50 / p99      0.3 / 0.3 ms 0.6 / 3.6 ms 0.8 / 8.6 ms
//	feed 1M ÷ feed 100k          8.2× (5,000-row batches), 9.5× (10,000); median of 5
//	sort job from the host-name order (what a load leaves), 1M:
//	  OS 14 ms, tenant 13 ms, state 17 ms, last seen 30 ms, local IP 136 ms,
//	  host name descending 3 ms
//	sort job from scratch, 1M: host name 256 ms, OS 123 ms
//	`/` keystroke (job + install)  < 0.2 ms    0.1–8 ms      1–66 ms
//	  at 1M: first letter 10 ms, a word that may be in IDs 66 ms (37 ms wall on
//	  2 cores), a rare word 31 ms, one more letter 1.2 ms, backspace 1.0 ms
//	mark all (UI goroutine)      0.02 ms       0.2 ms       1.7 ms
//	frame: 40 rows, cursor, position  2 µs      2 µs         4 µs
//
// Since serial number, MAC, sensor policy, OU and first seen joined the schema (24 bytes a
// row: three symbol columns, a set column, a time column), the live heap per row measures
// 218 B at 100k and 195 B at 1M; the other figures above were taken before them.
//
// Feeding costs a little more per row at 1M than at 100k (the device index and the
// columns no longer fit in cache), not more per row for each row already there. The live
// heap per row is high at 1k only because columns come in 4,096-row chunks.
//
// Before, in the pane at 1M rows: a sort blocked Update for 2.07 s, a `/` keystroke for
// 135–172 ms, and feeding 1M rows cost 32 s of CPU against 1.5 s for 100k.
package hostrows
