package falcon

import (
	"io"
	"os"
	"testing"
)

func zzLog(t *testing.T) io.Writer {
	f, _ := os.OpenFile("/tmp/fx_stress.log", os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	t.Cleanup(func() { f.WriteString("=== end\n"); f.Close() })
	return f
}
