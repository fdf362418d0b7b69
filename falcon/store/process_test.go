package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/zalando/go-keyring"

	"github.com/falcon-tui/falcon-tui/falcon/profile"
	"github.com/falcon-tui/falcon-tui/falcon/profile/profiletest"
)

// envKeyring hands a helper process the parent's store key (an in-memory keyring cannot be
// shared between processes).
type envKeyring struct{}

func (envKeyring) Set(string, string, string) error { return errors.New("read-only test keyring") }
func (envKeyring) Delete(string, string) error      { return errors.New("read-only test keyring") }
func (envKeyring) Get(_, user string) (string, error) {
	if user != KeyUser("default") {
		return "", keyring.ErrNotFound
	}
	return os.Getenv("STORE_HELPER_KEY"), nil
}

// TestHelperProcess is the second falcon-tui process of TestTwoProcesses: it opens the same
// profile's store and reads ("read") or writes ("write N FROM") hosts, printing the outcome.
func TestHelperProcess(t *testing.T) {
	mode := os.Getenv("STORE_HELPER")
	if mode == "" {
		return
	}
	busy, _ := time.ParseDuration(os.Getenv("STORE_HELPER_BUSY"))
	ctx := context.Background()
	s, err := Open(ctx, "default", envKeyring{}, Options{Dir: os.Getenv("STORE_HELPER_DIR"), BusyTimeout: busy})
	if err != nil {
		fmt.Println("open:", err)
		os.Exit(2)
	}
	if s.Notice() != nil {
		fmt.Println("notice:", s.Notice())
		os.Exit(2)
	}
	args := strings.Fields(mode)
	switch args[0] {
	case "read":
		ids, err := s.HostIDs(ctx, cid(1))
		if err != nil {
			fmt.Println("read:", err)
			os.Exit(1)
		}
		fmt.Println("hosts", len(ids))
	case "write":
		n, _ := strconv.Atoi(args[1])
		from, _ := strconv.Atoi(args[2])
		for i := 0; i < n; i++ {
			hs := testHosts(cid(1), from+i+1)[from+i:]
			if err := s.PutHosts(ctx, cid(1), hs, t0); err != nil {
				if errors.Is(err, ErrBusy) {
					fmt.Println("busy:", err)
					os.Exit(3)
				}
				fmt.Println("write:", err)
				os.Exit(1)
			}
		}
		fmt.Println("wrote", n)
	}
	_ = s.Close()
	os.Exit(0)
}

func helper(t *testing.T, dir, key, mode string, busy time.Duration) *exec.Cmd {
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$")
	cmd.Env = append(os.Environ(), "STORE_HELPER="+mode, "STORE_HELPER_DIR="+dir, "STORE_HELPER_KEY="+key,
		"STORE_HELPER_BUSY="+busy.String())
	return cmd
}

func runHelper(t *testing.T, dir, key, mode string, busy time.Duration) (int, string) {
	t.Helper()
	out, err := helper(t, dir, key, mode, busy).CombinedOutput()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode(), string(out)
	}
	if err != nil {
		t.Fatal(err)
	}
	return 0, string(out)
}

// TestTwoProcesses: a second process on the same profile reads while the first writes, gets
// "busy" (not a corrupt file) when it must write while the first holds the write lock past its
// busy timeout, and writes once the lock is free; two processes writing at once both succeed.
func TestTwoProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("starts helper processes")
	}
	dir := t.TempDir()
	kr := profiletest.New()
	s := openTest(t, dir, kr)
	populate(t, s, cid(1), 50)
	key, _ := kr.Peek(profile.Service, KeyUser("default"))
	ctx := context.Background()

	// Hold the write lock with an uncommitted change.
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(`DELETE FROM hosts`); err != nil {
		t.Fatal(err)
	}
	if code, out := runHelper(t, dir, key, "read", time.Second); code != 0 || strings.TrimSpace(out) != "hosts 50" {
		t.Fatalf("a reader during a write: exit %d, %q", code, out)
	}
	start := time.Now()
	code, out := runHelper(t, dir, key, "write 1 100", 300*time.Millisecond)
	if code != 3 || !strings.Contains(out, "busy") {
		t.Fatalf("a writer during a write: exit %d, %q", code, out)
	}
	t.Logf("busy reported after %v (timeout 300ms, process start included)", time.Since(start).Round(time.Millisecond))
	if err := tx.Rollback(); err != nil {
		t.Fatal(err)
	}
	if code, out := runHelper(t, dir, key, "write 1 100", 300*time.Millisecond); code != 0 {
		t.Fatalf("a writer after the lock is free: exit %d, %q", code, out)
	}

	// Two writers at once, with the default busy timeout: both finish, nothing is lost.
	a := helper(t, dir, key, "write 200 1000", DefaultBusyTimeout)
	b := helper(t, dir, key, "write 200 2000", DefaultBusyTimeout)
	var outA, outB strings.Builder
	a.Stdout, b.Stdout = &outA, &outB
	if err := a.Start(); err != nil {
		t.Fatal(err)
	}
	if err := b.Start(); err != nil {
		t.Fatal(err)
	}
	// And this process writes meanwhile too.
	for i := 0; i < 50; i++ {
		if err := s.PutHosts(ctx, cid(1), testHosts(cid(1), 3000+i+1)[3000+i:], t0); err != nil {
			t.Fatalf("parent write %d: %v", i, err)
		}
	}
	errA, errB := a.Wait(), b.Wait()
	if errA != nil || errB != nil {
		t.Fatalf("concurrent writers: %v %q / %v %q", errA, outA.String(), errB, outB.String())
	}
	ids, err := s.HostIDs(ctx, cid(1))
	if err != nil || len(ids) != 50+1+200+200+50 {
		t.Fatalf("after concurrent writes: %d hosts, %v", len(ids), err)
	}
	var check string
	if err := s.db.QueryRow(`PRAGMA integrity_check`).Scan(&check); err != nil || check != "ok" {
		t.Fatalf("integrity_check = %q, %v", check, err)
	}
}
