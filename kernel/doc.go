// Package kernel speaks the Jupyter messaging protocol (version 5.3) over
// ZeroMQ and nothing else. It reads a connection file, binds the five
// sockets, signs and verifies every message, answers the heartbeat, and turns
// shell and control requests into calls on an Interpreter: execute, complete,
// inspect, is_complete and kernel_info, in the manner of xeus, where the
// protocol core knows no language and no product: the kernelspec's name
// and files (Spec), the log and its prefix (Options) come from the program
// that runs it.
//
// Heartbeat, control and iopub each run on their own goroutine, so a cell
// that computes for minutes still answers heartbeats and can be
// interrupted; iopub traffic is coalesced so that a chatty progress display
// never overruns the publisher. Every iopub subscriber is written to from a
// bounded queue of its own (ZeroMQ's high-water mark of 1,000 messages): a
// subscriber that stops reading has its messages dropped, and nobody
// else's.
//
// When a cell fails with stop_on_error, every execute request that reaches
// the kernel before the cell's error reply goes out is aborted, with a
// grace period for requests still on their way (Options.StopOnErrorTimeout,
// ipykernel's stop_on_error_timeout); a request sent after the client saw
// the reply always runs.
//
// What a peer may make the kernel hold or repeat is bounded: a frame
// announced over 256 MiB closes that connection before anything is
// allocated, a header over MaxHeaderBytes is dropped rather than echoed as
// the parent of every reply, and a message the kernel would send over
// 256 MiB is refused alone, the user told why (ErrMessageTooLarge).
//
// The package also writes and removes the kernelspec that lets Jupyter
// find the kernel.
package kernel
