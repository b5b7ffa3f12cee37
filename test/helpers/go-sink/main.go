// grpc-go as the next hop, for telegate's interop tests: accepts any unary call through grpc-go's own
// transport and gzip decompressor, and prints one JSON line per message: its decompressed length and
// sha256, and its length on the wire (compressed, with the 5-byte gRPC frame header). Exits when stdin
// closes. Built by test/helpers/grpc-go-sink.ts in GOPATH mode from Debian's golang-google-grpc-dev.
package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net"
	"os"
	"sync"

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

// wire records each received message's wire length, printed with the message.
type wire struct {
	mu   sync.Mutex
	last int
}

func (w *wire) TagRPC(ctx context.Context, _ *stats.RPCTagInfo) context.Context { return ctx }
func (w *wire) HandleRPC(_ context.Context, s stats.RPCStats) {
	if in, ok := s.(*stats.InPayload); ok {
		w.mu.Lock()
		w.last = in.WireLength
		w.mu.Unlock()
	}
}
func (w *wire) TagConn(ctx context.Context, _ *stats.ConnTagInfo) context.Context { return ctx }
func (w *wire) HandleConn(context.Context, stats.ConnStats)                       {}

func main() {
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
		wireLength := w.last
		w.mu.Unlock()
		sum := sha256.Sum256(msg)
		fmt.Printf("{\"event\":\"message\",\"length\":%d,\"wireLength\":%d,\"sha256\":\"%s\"}\n", len(msg), wireLength, hex.EncodeToString(sum[:]))
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
