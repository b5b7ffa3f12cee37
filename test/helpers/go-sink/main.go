// grpc-go as the next hop, for telegate's interop tests: accepts any unary call through grpc-go's own
// transport and gzip decompressor, and prints one JSON line per message: its decompressed length and
// sha256, and its length on the wire (compressed, with the 5-byte gRPC frame header). Exits when stdin
// closes. Built by test/helpers/grpc-go-sink.ts in GOPATH mode from Debian's golang-google-grpc-dev.
//
// `go-sink -single-member` reads gzip as a one-member reader does (Rust's flate2 GzDecoder behind tonic,
// gRPC C-core's zlib loop): bytes after the first member are an error instead of more message.
// `go-sink gzip` is a tool instead: stdin gzipped with Go's compress/gzip (grpc-go's gzip compressor, at
// its default level) to stdout, so tests can send what Go edges send. `go-sink zstd` likewise compresses
// stdin as the Go collector's gRPC zstd compressor does (configgrpc: klauspost/compress, its default level,
// a 512 KiB window, one streaming frame); `go-sink snappy` as its snappy compressor does (golang/snappy's
// framing format), `go-sink snappy-block` as confighttp's `snappy` (one block). The sink itself reads zstd
// and snappy as those compressors do, from Debian's golang-github-klauspost-compress-dev and
// golang-github-golang-snappy-dev.
package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"sync"

	"github.com/golang/snappy"
	"github.com/klauspost/compress/zstd"
	"google.golang.org/grpc"
	"google.golang.org/grpc/encoding"
	_ "google.golang.org/grpc/encoding/gzip"
	"google.golang.org/grpc/stats"
)

// rawCodec hands the handler the message bytes as they are.
type rawCodec struct{}

func (rawCodec) Marshal(v interface{}) ([]byte, error) { return *(v.(*[]byte)), nil }
func (rawCodec) Unmarshal(data []byte, v interface{}) error {
	*(v.(*[]byte)) = append([]byte(nil), data...)
	return nil
}
func (rawCodec) Name() string { return "proto" }

// wire records each received message's wire length and the call's grpc-encoding, printed with the message.
type wire struct {
	mu       sync.Mutex
	last     int
	encoding string
}

func (w *wire) TagRPC(ctx context.Context, _ *stats.RPCTagInfo) context.Context { return ctx }
func (w *wire) HandleRPC(_ context.Context, s stats.RPCStats) {
	if in, ok := s.(*stats.InPayload); ok {
		w.mu.Lock()
		w.last = in.WireLength
		w.mu.Unlock()
	}
	if in, ok := s.(*stats.InHeader); ok {
		w.mu.Lock()
		w.encoding = in.Compression
		w.mu.Unlock()
	}
}
func (w *wire) TagConn(ctx context.Context, _ *stats.ConnTagInfo) context.Context { return ctx }
func (w *wire) HandleConn(context.Context, stats.ConnStats)                       {}

// singleMember is a gzip decompressor that reads one member and refuses anything after it.
type singleMember struct{}

func (singleMember) Name() string { return "gzip" }
func (singleMember) Compress(w io.Writer) (io.WriteCloser, error) {
	return gzip.NewWriter(w), nil
}
func (singleMember) Decompress(r io.Reader) (io.Reader, error) {
	all, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	in := bytes.NewReader(all)
	z, err := gzip.NewReader(in)
	if err != nil {
		return nil, err
	}
	z.Multistream(false)
	out, err := io.ReadAll(z)
	if err != nil {
		return nil, err
	}
	if in.Len() > 0 {
		return nil, errors.New("bytes after the first gzip member: a one-member reader would drop them")
	}
	return bytes.NewReader(out), nil
}

// zstdCodec is the Go collector's gRPC zstd compressor as configgrpc configures klauspost/compress.
type zstdCodec struct{}

func (zstdCodec) Name() string { return "zstd" }
func (zstdCodec) Compress(w io.Writer) (io.WriteCloser, error) {
	return zstd.NewWriter(w, zstd.WithEncoderConcurrency(1), zstd.WithWindowSize(512*1024))
}
func (zstdCodec) Decompress(r io.Reader) (io.Reader, error) {
	d, err := zstd.NewReader(r, zstd.WithDecoderConcurrency(1))
	if err != nil {
		return nil, err
	}
	defer d.Close()
	out, err := io.ReadAll(d)
	if err != nil {
		return nil, err
	}
	return bytes.NewReader(out), nil
}

// snappyCodec is the Go collector's gRPC snappy compressor: golang/snappy's framing format.
type snappyCodec struct{}

func (snappyCodec) Name() string { return "snappy" }
func (snappyCodec) Compress(w io.Writer) (io.WriteCloser, error) {
	return snappy.NewBufferedWriter(w), nil
}
func (snappyCodec) Decompress(r io.Reader) (io.Reader, error) {
	return snappy.NewReader(r), nil
}

// compressStdin writes stdin to stdout through the compressor c.
func compressStdin(c encoding.Compressor) {
	z, err := c.Compress(os.Stdout)
	if err != nil {
		panic(err)
	}
	if _, err := io.Copy(z, os.Stdin); err != nil {
		panic(err)
	}
	if err := z.Close(); err != nil {
		panic(err)
	}
}

// snappyBlockStdin writes stdin as one snappy block, as confighttp sends `Content-Encoding: snappy`.
func snappyBlockStdin() {
	in, err := io.ReadAll(os.Stdin)
	if err != nil {
		panic(err)
	}
	if _, err := os.Stdout.Write(snappy.Encode(nil, in)); err != nil {
		panic(err)
	}
}

func main() {
	if len(os.Args) > 1 {
		switch os.Args[1] {
		case "gzip": // Go's compress/gzip at its default level: grpc-go's gzip compressor
			compressStdin(singleMember{})
			return
		case "zstd":
			compressStdin(zstdCodec{})
			return
		case "snappy":
			compressStdin(snappyCodec{})
			return
		case "snappy-block":
			snappyBlockStdin()
			return
		}
	}
	encoding.RegisterCompressor(zstdCodec{})
	encoding.RegisterCompressor(snappyCodec{})
	if len(os.Args) > 1 && os.Args[1] == "-single-member" {
		encoding.RegisterCompressor(singleMember{})
	}
	encoding.RegisterCodec(rawCodec{})
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	w := &wire{}
	var out sync.Mutex
	srv := grpc.NewServer(grpc.StatsHandler(w), grpc.UnknownServiceHandler(func(_ interface{}, stream grpc.ServerStream) error {
		var msg []byte
		err := stream.RecvMsg(&msg)
		out.Lock()
		defer out.Unlock()
		if err != nil {
			fmt.Printf("{\"event\":\"error\",\"message\":%q}\n", err.Error())
			return err
		}
		w.mu.Lock()
		wireLength, enc := w.last, w.encoding
		w.mu.Unlock()
		sum := sha256.Sum256(msg)
		fmt.Printf("{\"event\":\"message\",\"length\":%d,\"wireLength\":%d,\"encoding\":%q,\"sha256\":\"%s\"}\n", len(msg), wireLength, enc, hex.EncodeToString(sum[:]))
		empty := []byte{}
		return stream.SendMsg(&empty)
	}))
	fmt.Printf("{\"event\":\"ready\",\"port\":%d}\n", lis.Addr().(*net.TCPAddr).Port)
	go func() {
		_, _ = io.Copy(io.Discard, os.Stdin)
		os.Exit(0)
	}()
	_ = srv.Serve(lis)
}
