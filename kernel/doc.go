// Package kernel speaks the Jupyter messaging protocol (version 5.3) over
// ZeroMQ and nothing else. It reads a connection file, binds the five
// sockets, signs and verifies every message, answers the heartbeat, and turns
// shell and control requests into calls on an Interpreter: execute, complete,
// inspect, is_complete and kernel_info, in the manner of xeus, where the
// protocol core knows no language. Heartbeat, control and iopub each run on
// their own goroutine, so a cell that computes for minutes still answers
// heartbeats and can be interrupted; iopub traffic is coalesced so that a
// chatty progress display never overruns the publisher. The package also
// writes and removes the kernelspec that lets Jupyter find the kernel.
package kernel
