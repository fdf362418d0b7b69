//go:build unix

package main

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"syscall"
	"testing"
	"time"
)

// After the first Ctrl+C the command shuts down, which can hang (token revocation on a
// dead network, a keyring prompt). A second Ctrl+C must then kill the process: the test
// re-runs itself as a child that takes main's signal context and hangs after it ends.
func TestSignalSecondInterruptKills(t *testing.T) {
	if os.Getenv("FALCON_TUI_SIGNAL_HELPER") == "1" {
		ctx, _ := signalContext()
		fmt.Println("ready")
		<-ctx.Done()
		fmt.Println("interrupted")
		time.Sleep(time.Minute) // a shutdown that never finishes
		os.Exit(3)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestSignalSecondInterruptKills$", "-test.count=1")
	cmd.Env = append(os.Environ(), "FALCON_TUI_SIGNAL_HELPER=1")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	lines := make(chan string, 4)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
		done <- cmd.Wait()
	}()
	expect := func(want string) {
		t.Helper()
		select {
		case l := <-lines:
			if l != want {
				t.Fatalf("child said %q, want %q", l, want)
			}
		case <-time.After(30 * time.Second):
			_ = cmd.Process.Kill()
			t.Fatalf("child never said %q", want)
		}
	}
	expect("ready")
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	expect("interrupted")
	// The default behaviour comes back once the context has ended (context.AfterFunc runs
	// on its own goroutine): keep pressing Ctrl+C, as a user would, until the process dies.
	deadline := time.After(20 * time.Second)
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case err := <-done:
			var ee *exec.ExitError
			if !errors.As(err, &ee) {
				t.Fatalf("child ended with %v, want killed by SIGINT", err)
			}
			ws, ok := ee.Sys().(syscall.WaitStatus)
			if !ok || !ws.Signaled() || ws.Signal() != syscall.SIGINT {
				t.Fatalf("child ended with %v, want killed by SIGINT", err)
			}
			return
		case <-tick.C:
			_ = cmd.Process.Signal(os.Interrupt)
		case <-deadline:
			_ = cmd.Process.Kill()
			<-done
			t.Fatal("further Ctrl+C were swallowed: the process did not die")
		}
	}
}
