package hosts

import (
	"fmt"
	"testing"

	"github.com/falcon-tui/falcon-tui/tui/internal/tuitest"
	"github.com/falcon-tui/falcon-tui/tui/theme"
)

// BenchmarkKeypressToFrame measures what a keypress costs on screen: Update with a cursor
// key, then View, on a 120×40 pane. The cost must not depend on the number of rows.
func BenchmarkKeypressToFrame(b *testing.B) {
	for _, n := range []int{1_000, 100_000} {
		b.Run(fmt.Sprintf("%dk", n/1000), func(b *testing.B) {
			m := fakeModel(n, 120, 40, theme.New(true, theme.WithNoColor(false)))
			m.table.SetCursor(n / 2)
			keys := []string{"down", "up"}
			b.ReportAllocs()
			b.ResetTimer()
			i := 0
			for b.Loop() {
				m, _ = m.Update(tuitest.Key(keys[i%2]))
				_ = m.View()
				i++
			}
		})
	}
}
