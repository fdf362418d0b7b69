package hosts

import (
	"iter"

	"github.com/falcon-tui/falcon-tui/falcon"
)

// pull2 adapts the client's streaming iterator to next/stop calls that successive commands
// can make one at a time.
func pull2(seq func(func([]falcon.Host, error) bool)) (func() ([]falcon.Host, error, bool), func()) {
	return iter.Pull2(iter.Seq2[[]falcon.Host, error](seq))
}
