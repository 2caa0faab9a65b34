package dsl

import "sync"

// memoSize is how many intermediate results a session keeps: enough for a
// user alternating between a couple of data sets, few enough that the
// neighbour indexes of large data do not pile up.
const memoSize = 4

// memo keeps expensive intermediate results, such as neighbour indexes,
// from cell to cell, keyed by their inputs' content; the oldest entry goes
// first.
type memo struct {
	mu   sync.Mutex
	keys []any
	vals map[any]any
}

// Memo returns the value cached under key, computing and keeping it when
// there is none; it reports whether the value was cached. Failures are not
// kept, so an interrupted computation runs again next time.
func (s *Session) Memo(key any, compute func() (any, error)) (v any, cached bool, err error) {
	s.memo.mu.Lock()
	v, ok := s.memo.vals[key]
	s.memo.mu.Unlock()
	if ok {
		return v, true, nil
	}
	v, err = compute()
	if err != nil {
		return nil, false, err
	}
	s.memo.mu.Lock()
	defer s.memo.mu.Unlock()
	if s.memo.vals == nil {
		s.memo.vals = map[any]any{}
	}
	if _, ok := s.memo.vals[key]; !ok {
		s.memo.keys = append(s.memo.keys, key)
		if len(s.memo.keys) > memoSize {
			delete(s.memo.vals, s.memo.keys[0])
			s.memo.keys = s.memo.keys[1:]
		}
	}
	s.memo.vals[key] = v
	return v, false, nil
}
