package generation

import (
	"sync"
	"testing"
)

func TestNextNeverRepeats(t *testing.T) {
	const workers, each = 8, 1000
	got := make([][]int, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for range each {
				got[w] = append(got[w], Next())
			}
		})
	}
	wg.Wait()
	seen := map[int]bool{}
	for _, ns := range got {
		for _, n := range ns {
			if n <= 0 || seen[n] {
				t.Fatalf("number %d handed out twice (or not positive)", n)
			}
			seen[n] = true
		}
	}
}
