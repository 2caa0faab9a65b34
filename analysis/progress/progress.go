package progress

// Func receives the current phase of a computation ("neighbours", "epochs",
// "fold 2/5"), how many of its steps are done and how many there are (total
// 0 when unknown). It may be called concurrently and must return quickly.
type Func func(phase string, done, total int)

// Report calls f when it is set, so that callers need no nil checks.
func (f Func) Report(phase string, done, total int) {
	if f != nil {
		f(phase, done, total)
	}
}
