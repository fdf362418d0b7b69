package hostrows

// A column holds one fixed-size value per row in chunks of chunkLen rows. Chunks are never
// moved or copied, so appending costs no re-allocation of what is already there (no
// 2× capacity slack either), and a job holding a copy of the column header reads rows that
// existed when it was taken while the UI goroutine fills rows after them.
type column[T any] struct {
	chunks []*[chunkLen]T
}

const (
	chunkShift = 12
	chunkLen   = 1 << chunkShift
	chunkMask  = chunkLen - 1
)

// set writes row i, which is either an existing row or the next one.
func (c *column[T]) set(i int, v T) {
	if i>>chunkShift == len(c.chunks) {
		c.chunks = append(c.chunks, new([chunkLen]T))
	}
	c.chunks[i>>chunkShift][i&chunkMask] = v
}

func (c column[T]) at(i int) T { return c.chunks[i>>chunkShift][i&chunkMask] }

// chunk returns the array holding rows k*chunkLen … k*chunkLen+chunkLen-1.
func (c column[T]) chunk(k int) *[chunkLen]T { return c.chunks[k] }
