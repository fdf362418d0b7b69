// Package stream is the explorer's one way to bring a stream of results into Bubble Tea: an
// iter.Seq2 (a host stream, a group's members), a goroutine's output (member counts, the
// progress of a group edit) or a channel (the client's rate-limit states) is read one item
// per tea.Cmd, and each item reaches Update as the pane's own message.
//
// The handle of the stream travels inside that message (Item), so the model never keeps
// one that a command could race on: Update asks for the next item with Item.Next, or lets
// go of a stream it no longer wants (a stale generation) with Item.Stop. Whose stream an
// item belongs to stays the pane's business: the pane wraps each item in its own message,
// with its own generation number, and drops the items of older generations.
package stream

import (
	"iter"
	"sync"

	tea "charm.land/bubbletea/v2"
)

// Item is one read of a stream: a value, or the end of the stream (Done), with the error
// that ended it if any. An error always ends the stream.
type Item[T any] struct {
	Value T
	Err   error
	Done  bool

	r *reader[T]
}

// Next returns the command that reads the item after this one; nil once the stream has
// ended (or for an item built by hand, as tests do). Call at most one of Next and Stop
// per item: the read and the release of one stream must not overlap.
func (it Item[T]) Next() tea.Cmd {
	if it.r == nil || it.Done {
		return nil
	}
	r := it.r
	return func() tea.Msg { return r.read() }
}

// Stop returns the command that releases a stream whose items are no longer wanted (its
// generation is stale); nil when there is nothing to release. It runs as a command so that
// Update never waits on a stream's goroutine.
func (it Item[T]) Stop() tea.Cmd {
	if it.r == nil || it.Done {
		return nil
	}
	r := it.r
	return func() tea.Msg { r.stop(); return nil }
}

// reader turns a source into wrapped items.
type reader[T any] struct {
	next func() (T, error, bool)
	stop func()
	wrap func(Item[T]) tea.Msg
}

func (r *reader[T]) read() tea.Msg {
	v, err, ok := r.next()
	switch {
	case !ok:
		r.stop()
		return r.wrap(Item[T]{Done: true})
	case err != nil:
		r.stop()
		return r.wrap(Item[T]{Err: err, Done: true})
	}
	return r.wrap(Item[T]{Value: v, r: r})
}

// Pull returns the command that opens a sequence and delivers its first item as wrap(item).
// open runs inside the command, so setting the stream up never happens in Update. The
// sequence is pulled one item per read: nothing is read ahead of what Update asked for.
func Pull[T any](open func() iter.Seq2[T, error], wrap func(Item[T]) tea.Msg) tea.Cmd {
	return func() tea.Msg {
		next, stop := iter.Pull2(open())
		r := &reader[T]{next: next, stop: stop, wrap: wrap}
		return r.read()
	}
}

// Chan returns the command that delivers the values of ch, one per read, until it is
// closed (the closing read is an item with Done set).
func Chan[T any](ch <-chan T, wrap func(Item[T]) tea.Msg) tea.Cmd {
	r := &reader[T]{
		next: func() (T, error, bool) { v, ok := <-ch; return v, nil, ok },
		stop: func() {},
		wrap: wrap,
	}
	return func() tea.Msg { return r.read() }
}

// Go returns the command that runs produce on a goroutine of its own and delivers what it
// sends, in order, until it returns. send never blocks the producer (what Update has not
// read yet waits in a queue), so a worker reporting progress is never held up by the
// screen, and one whose items are no longer wanted (Stop) runs to its end unread: give it a
// context to end early.
func Go[T any](produce func(send func(T)), wrap func(Item[T]) tea.Msg) tea.Cmd {
	return func() tea.Msg {
		q := newQueue[T]()
		go func() {
			defer q.close()
			produce(q.push)
		}()
		r := &reader[T]{next: q.pop, stop: q.drop, wrap: wrap}
		return r.read()
	}
}

// queue is an unbounded FIFO between one producer goroutine and the reads.
type queue[T any] struct {
	mu      sync.Mutex
	ready   *sync.Cond
	items   []T
	closed  bool
	dropped bool // the reader let go: pushes are discarded
}

func newQueue[T any]() *queue[T] {
	q := &queue[T]{}
	q.ready = sync.NewCond(&q.mu)
	return q
}

func (q *queue[T]) push(v T) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed || q.dropped {
		return
	}
	q.items = append(q.items, v)
	q.ready.Signal()
}

func (q *queue[T]) close() {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.closed = true
	q.ready.Broadcast()
}

// pop waits for the next item; ok is false once the producer has returned and every item
// was read.
func (q *queue[T]) pop() (v T, err error, ok bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for len(q.items) == 0 && !q.closed {
		q.ready.Wait()
	}
	if len(q.items) == 0 {
		return v, nil, false
	}
	v = q.items[0]
	var zero T
	q.items[0] = zero
	q.items = q.items[1:]
	return v, nil, true
}

func (q *queue[T]) drop() {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.dropped = true
	q.items = nil
}
