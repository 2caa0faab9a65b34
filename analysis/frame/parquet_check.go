package frame

import (
	"fmt"
	"io"

	"github.com/parquet-go/parquet-go/encoding/thrift"
	"github.com/parquet-go/parquet-go/format"
)

// Limits on what a Parquet file may claim, beyond which it is taken to be
// corrupt rather than read: parquet-go allocates what page headers ask for
// before it reads, so a damaged header could otherwise ask for gigabytes.
const (
	// maxPageBytes bounds a page's size, compressed or not. Writers make
	// pages of about a megabyte (pyarrow, Spark, parquet-go alike).
	maxPageBytes = 256 << 20
	// maxRowsPerByte bounds the rows a file packs per byte of its size.
	// Run-length encoding makes a run of equal values tiny, but a real
	// table does not average under two bits a row.
	maxRowsPerByte = 4096
)

// checkParquetPages reads the header of every page of every column chunk,
// without the pages, and checks that the chunks lie within the file, that
// each page fits in its chunk and is of a plausible size, and that no page
// claims more values than its row group has rows.
func checkParquetPages(r io.ReaderAt, size int64, meta *format.FileMetaData) error {
	if meta.NumRows > max(1<<20, maxRowsPerByte*size) {
		return fmt.Errorf("its footer claims %d rows in %d bytes, more than any real file packs", meta.NumRows, size)
	}
	var protocol thrift.CompactProtocol
	window := make([]byte, 0, 4096)
	for g := range meta.RowGroups {
		rg := &meta.RowGroups[g]
		for c := range rg.Columns {
			md := &rg.Columns[c].MetaData
			if md.TotalCompressedSize == 0 {
				continue // an empty chunk, as Arrow writes for no rows
			}
			// Where parquet-go starts reading the chunk.
			start := md.DataPageOffset
			if md.DictionaryPageOffset != 0 {
				start = md.DictionaryPageOffset
			}
			end := start + md.TotalCompressedSize
			if start < 4 || md.TotalCompressedSize < 0 || end > size-8 || end < start {
				return fmt.Errorf("row group %d's column chunk %d lies outside the file", g+1, c+1)
			}
			for off := start; off < end; {
				var h format.PageHeader
				n, err := readPageHeader(r, off, end, &protocol, &window, &h)
				if err != nil {
					return fmt.Errorf("row group %d, column chunk %d: a page header at byte %d cannot be read: %w", g+1, c+1, off, err)
				}
				off += int64(n)
				if h.CompressedPageSize < 0 || int64(h.CompressedPageSize) > end-off {
					return fmt.Errorf("row group %d, column chunk %d: a page of %d bytes overruns its column chunk", g+1, c+1, h.CompressedPageSize)
				}
				if h.CompressedPageSize > maxPageBytes || h.UncompressedPageSize < 0 || h.UncompressedPageSize > maxPageBytes {
					return fmt.Errorf("row group %d, column chunk %d: a page claims %d bytes, more than the %d MB any writer makes", g+1, c+1, max(h.CompressedPageSize, h.UncompressedPageSize), maxPageBytes>>20)
				}
				values := int64(-1)
				switch {
				case h.DataPageHeader.Valid:
					values = int64(h.DataPageHeader.V.NumValues)
				case h.DataPageHeaderV2.Valid:
					values = int64(h.DataPageHeaderV2.V.NumValues)
				case h.DictionaryPageHeader.Valid:
					// A dictionary's values take a byte each at least, so
					// their number cannot pass the page's size in bits.
					if v := int64(h.DictionaryPageHeader.V.NumValues); v < 0 || v > 8*int64(h.UncompressedPageSize)+8 {
						return fmt.Errorf("row group %d, column chunk %d: a dictionary page claims %d values in %d bytes", g+1, c+1, v, h.UncompressedPageSize)
					}
				}
				if values > rg.NumRows {
					return fmt.Errorf("row group %d, column chunk %d: a page claims %d values in a row group of %d rows", g+1, c+1, values, rg.NumRows)
				}
				off += int64(h.CompressedPageSize)
			}
		}
	}
	return nil
}

// readPageHeader decodes the page header at off, reading no further than
// end, and returns its length in bytes. A header is read into a window of
// a few kilobytes, widened while the header runs past it (statistics of
// long strings make long headers).
func readPageHeader(r io.ReaderAt, off, end int64, protocol *thrift.CompactProtocol, window *[]byte, h *format.PageHeader) (int, error) {
	size := int64(4096)
	for {
		n := min(size, end-off)
		buf := (*window)[:0]
		if int64(cap(buf)) < n {
			buf = make([]byte, 0, n)
		}
		buf = buf[:n]
		*window = buf
		k, err := r.ReadAt(buf, off)
		if int64(k) < n {
			return 0, fmt.Errorf("the file ends early (%v)", err)
		}
		pr := protocol.NewReaderFromBytes(buf)
		*h = format.PageHeader{}
		err = thrift.NewDecoder(pr).Decode(h)
		if err == nil {
			return pr.BytesRead(), nil
		}
		if n == end-off || size >= 16<<20 {
			return 0, err
		}
		size *= 4
	}
}
