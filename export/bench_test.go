package export_test

import (
	"bytes"
	"fmt"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/vigie-network/vigie/export"
	"github.com/vigie-network/vigie/importer"
	"github.com/vigie-network/vigie/sqlite"
)

// The benchmarks use the size: 249 countries × 9 indicators × 10
// revisions (22,410 revisions, 44,820 citations, ~600 bytes of
// explanation each). Export reads the whole dataset from SQLite and
// writes the file; import reads, checks and merges the file into a new
// SQLite database in one transaction.

// cpuTime is the process's CPU time so far. The benchmarks report it per
// operation beside the wall time, which on a shared machine measures the
// neighbours as much as the code.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func reportCPU(b *testing.B, start time.Duration) {
	b.ReportMetric(float64(cpuTime()-start)/float64(b.N)/1e6, "cpu-ms/op")
}

var bench = struct {
	once  sync.Once
	files map[string][]byte
}{}

func benchFiles(b *testing.B) map[string][]byte {
	bench.once.Do(func() {
		ds := bigDataset(249, 9, 10)
		bench.files = map[string][]byte{}
		for _, f := range []string{export.FormatJSON, export.FormatCSV, export.FormatXLSX} {
			var buf bytes.Buffer
			if err := export.Write(&buf, f, ds, nil); err != nil {
				b.Fatal(err)
			}
			bench.files[f] = buf.Bytes()
		}
	})
	return bench.files
}

func benchmarkExport(b *testing.B, format string) {
	data := benchFiles(b)[format]
	s := openStore(b)
	if _, err := importBytes(b, s, format, data, importer.Options{}); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	var n int
	start := cpuTime()
	for b.Loop() {
		ds, err := export.Build(ctx, s, export.Options{})
		if err != nil {
			b.Fatal(err)
		}
		var buf bytes.Buffer
		if err := export.Write(&buf, format, ds, nil); err != nil {
			b.Fatal(err)
		}
		n = buf.Len()
	}
	reportCPU(b, start)
	b.ReportMetric(float64(n)/1e6, "MB")
}

func benchmarkImport(b *testing.B, format string) {
	data := benchFiles(b)[format]
	b.ReportAllocs()
	b.ResetTimer()
	var setup time.Duration // CPU spent opening databases, not importing
	start := cpuTime()
	for i := 0; b.Loop(); i++ {
		b.StopTimer()
		t0 := cpuTime()
		s, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), fmt.Sprintf("import%d.db", i)))
		if err != nil {
			b.Fatal(err)
		}
		setup += cpuTime() - t0
		b.StartTimer()
		sum, err := importBytes(b, s, format, data, importer.Options{})
		if err != nil {
			b.Fatal(err)
		}
		if sum.Revisions != 249*9*10 {
			b.Fatalf("%d revisions restored", sum.Revisions)
		}
		b.StopTimer()
		t0 = cpuTime()
		s.Close()
		setup += cpuTime() - t0
		b.StartTimer()
	}
	reportCPU(b, start+setup)
	b.ReportMetric(float64(len(data))/1e6, "MB")
}

// Decoding and checking alone, without the database.
func benchmarkRead(b *testing.B, format string) {
	data := benchFiles(b)[format]
	b.ReportAllocs()
	b.ResetTimer()
	start := cpuTime()
	defer reportCPU(b, start)
	for b.Loop() {
		if _, err := export.Read("bench", format, data, nil); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkExportJSON(b *testing.B) { benchmarkExport(b, export.FormatJSON) }
func BenchmarkExportCSV(b *testing.B)  { benchmarkExport(b, export.FormatCSV) }
func BenchmarkExportXLSX(b *testing.B) { benchmarkExport(b, export.FormatXLSX) }
func BenchmarkImportJSON(b *testing.B) { benchmarkImport(b, export.FormatJSON) }
func BenchmarkImportCSV(b *testing.B)  { benchmarkImport(b, export.FormatCSV) }
func BenchmarkImportXLSX(b *testing.B) { benchmarkImport(b, export.FormatXLSX) }
func BenchmarkReadJSON(b *testing.B)   { benchmarkRead(b, export.FormatJSON) }
func BenchmarkReadCSV(b *testing.B)    { benchmarkRead(b, export.FormatCSV) }
func BenchmarkReadXLSX(b *testing.B)   { benchmarkRead(b, export.FormatXLSX) }
