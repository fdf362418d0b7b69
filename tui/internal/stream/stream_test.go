package stream

import (
	"errors"
	"iter"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
)

// got is what a test pane would wrap an item in.
type got struct{ it Item[int] }

func wrap(it Item[int]) tea.Msg { return got{it} }

// drain reads a stream to its end the way a pane does: each item asks for the next.
func drain(t *testing.T, cmd tea.Cmd) (values []int, last Item[int]) {
	t.Helper()
	for range 10_000 {
		if cmd == nil {
			t.Fatal("the stream ended without a Done item")
		}
		it := cmd().(got).it
		if it.Done {
			return values, it
		}
		values = append(values, it.Value)
		cmd = it.Next()
	}
	t.Fatal("the stream did not end")
	return nil, Item[int]{}
}

func count(n int, err error) iter.Seq2[int, error] {
	return func(yield func(int, error) bool) {
		for i := range n {
			if !yield(i, nil) {
				return
			}
		}
		if err != nil {
			yield(0, err)
		}
	}
}

func TestPullDeliversInOrderThenDone(t *testing.T) {
	values, last := drain(t, Pull(func() iter.Seq2[int, error] { return count(5, nil) }, wrap))
	if len(values) != 5 || values[4] != 4 || last.Err != nil {
		t.Fatalf("values %v, last %+v", values, last)
	}
	if last.Next() != nil || last.Stop() != nil {
		t.Fatal("an ended stream still offers commands")
	}
}

func TestPullErrorEndsTheStream(t *testing.T) {
	boom := errors.New("boom")
	values, last := drain(t, Pull(func() iter.Seq2[int, error] { return count(2, boom) }, wrap))
	if len(values) != 2 || !errors.Is(last.Err, boom) {
		t.Fatalf("values %v, last %+v", values, last)
	}
}

func TestPullOpensInsideTheCommand(t *testing.T) {
	opened := false
	cmd := Pull(func() iter.Seq2[int, error] { opened = true; return count(1, nil) }, wrap)
	if opened {
		t.Fatal("the sequence was opened before the command ran")
	}
	cmd()
	if !opened {
		t.Fatal("the command did not open the sequence")
	}
}

func TestPullStopEndsTheSequence(t *testing.T) {
	ended := make(chan struct{})
	seq := func(yield func(int, error) bool) {
		defer close(ended)
		for i := 0; ; i++ {
			if !yield(i, nil) {
				return
			}
		}
	}
	it := Pull(func() iter.Seq2[int, error] { return seq }, wrap)().(got).it
	if it.Value != 0 || it.Done {
		t.Fatalf("first item %+v", it)
	}
	if msg := it.Stop()(); msg != nil {
		t.Fatalf("Stop delivered %v", msg)
	}
	select {
	case <-ended:
	case <-time.After(5 * time.Second):
		t.Fatal("the sequence kept running after Stop")
	}
}

func TestGoNeverBlocksTheProducer(t *testing.T) {
	produced := make(chan struct{})
	cmd := Go(func(send func(int)) {
		for i := range 1000 {
			send(i)
		}
		close(produced)
	}, wrap)
	it := cmd().(got).it
	select {
	case <-produced: // every item sent while only one was read
	case <-time.After(5 * time.Second):
		t.Fatal("the producer was held up by the reader")
	}
	values, _ := drain(t, func() tea.Msg { return got{it} })
	if len(values) != 1000 || values[999] != 999 {
		t.Fatalf("%d values, last %d", len(values), values[len(values)-1])
	}
}

func TestGoStopDropsWhatIsLeft(t *testing.T) {
	release := make(chan struct{})
	done := make(chan struct{})
	it := Go(func(send func(int)) {
		send(1)
		<-release
		send(2) // after Stop: discarded, and never blocks
		close(done)
	}, wrap)().(got).it
	it.Stop()()
	close(release)
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("a send after Stop blocked the producer")
	}
}

func TestChanUntilClosed(t *testing.T) {
	ch := make(chan int, 3)
	ch <- 7
	ch <- 8
	close(ch)
	values, last := drain(t, Chan(ch, wrap))
	if len(values) != 2 || values[1] != 8 || last.Err != nil {
		t.Fatalf("values %v, last %+v", values, last)
	}
}

func TestItemsBuiltByHandHaveNoCommands(t *testing.T) {
	if (Item[int]{Value: 1}).Next() != nil || (Item[int]{}).Stop() != nil {
		t.Fatal("an item without a stream offered a command")
	}
}
