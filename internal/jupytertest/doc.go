// Package jupytertest is a small Jupyter client over ZeroMQ for tests and
// benchmarks: it connects to a kernel's five sockets as jupyter_client
// does, sends signed requests, and collects replies and iopub traffic by
// parent message, so a test can check a kernel message by message.
package jupytertest
