package hostrows

import (
	"context"
	"runtime"
	"slices"
	"sync"
)

// workers is how many goroutines a job splits its rows over: the job runs off the UI
// goroutine, and a sort or a filter at a million rows is worth spreading over the cores.
func workers(n int) int {
	if n < 1<<16 {
		return 1
	}
	return min(runtime.GOMAXPROCS(0), 8, n>>15)
}

// parallelSort sorts a by compare: parts sorted side by side, then merged pairwise.
func parallelSort[T any](ctx context.Context, a []T, compare func(x, y T) int) error {
	p := workers(len(a))
	if p == 1 {
		slices.SortFunc(a, compare)
		return ctx.Err()
	}
	bounds := make([]int, p+1)
	for i := range bounds {
		bounds[i] = len(a) * i / p
	}
	var wg sync.WaitGroup
	for i := range p {
		wg.Go(func() { slices.SortFunc(a[bounds[i]:bounds[i+1]], compare) })
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return err
	}
	src, dst := a, make([]T, len(a))
	for width := 1; width < p; width *= 2 {
		var wg sync.WaitGroup
		for i := 0; i < p; i += 2 * width {
			lo, mid, hi := bounds[i], bounds[min(i+width, p)], bounds[min(i+2*width, p)]
			wg.Go(func() { mergeInto(dst[lo:hi], src[lo:mid], src[mid:hi], compare) })
		}
		wg.Wait()
		src, dst = dst, src
		if err := ctx.Err(); err != nil {
			return err
		}
	}
	if &src[0] != &a[0] {
		copy(a, src)
	}
	return nil
}

// mergeInto merges sorted a and b into dst (len(dst) == len(a)+len(b)); on ties a first.
func mergeInto[T any](dst, a, b []T, compare func(x, y T) int) {
	i, j, k := 0, 0, 0
	for i < len(a) && j < len(b) {
		if compare(b[j], a[i]) < 0 {
			dst[k] = b[j]
			j++
		} else {
			dst[k] = a[i]
			i++
		}
		k++
	}
	k += copy(dst[k:], a[i:])
	copy(dst[k:], b[j:])
}
