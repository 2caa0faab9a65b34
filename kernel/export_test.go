package kernel

// SetSendLimit lowers the size of message kernels started from now on
// will send, so that tests need not build a quarter of a gigabyte; the
// function it returns restores the limit.
func SetSendLimit(frame, message int) (restore func()) {
	old := sendLimit
	sendLimit = sizeLimit{frame, message}
	return func() { sendLimit = old }
}
