module github.com/reckon-dev/reckon

go 1.26.8

require (
	github.com/go-zeromq/zmq4 v0.17.0
	gonum.org/v1/gonum v0.17.0
)

require (
	github.com/go-zeromq/goczmq/v4 v4.2.2 // indirect
	golang.org/x/sync v0.16.0 // indirect
	golang.org/x/text v0.28.0 // indirect
)
