package kernel

import "sync"

// sessionNumber is the number the history gives the running kernel's
// session. History lives only as long as the kernel process, so there is
// always exactly one session and it is this one, whether a request names
// it by this number or, as IPython allows, by 0 or a negative offset.
const sessionNumber = 1

type historyEntry struct {
	line   int
	input  string
	output *string
}

// history is the list of cells executed with store_history, in order.
type history struct {
	mu      sync.Mutex
	entries []historyEntry
}

func (h *history) add(line int, input string, output *string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.entries = append(h.entries, historyEntry{line: line, input: input, output: output})
}

type historyRequest struct {
	Output         bool   `json:"output"`
	Raw            bool   `json:"raw"`
	HistAccessType string `json:"hist_access_type"`
	Session        int    `json:"session"`
	Start          int    `json:"start"`
	Stop           int    `json:"stop"`
	N              *int   `json:"n"`
	Pattern        string `json:"pattern"`
	Unique         bool   `json:"unique"`
}

// query answers a history_request with (session, line, input) triples, or
// (session, line, [input, output]) when output is asked for.
func (h *history) query(r historyRequest) []any {
	h.mu.Lock()
	defer h.mu.Unlock()
	var picked []historyEntry
	switch r.HistAccessType {
	case "tail":
		picked = h.entries
		if r.N != nil && *r.N >= 0 && *r.N < len(picked) {
			picked = picked[len(picked)-*r.N:]
		}
	case "range":
		if r.Session > 0 && r.Session != sessionNumber || r.Session < 0 {
			break
		}
		for _, e := range h.entries {
			if e.line >= r.Start && (r.Stop <= 0 || e.line < r.Stop) {
				picked = append(picked, e)
			}
		}
	case "search":
		pattern := r.Pattern
		if pattern == "" {
			pattern = "*"
		}
		seen := map[string]int{}
		for _, e := range h.entries {
			if !globMatch(pattern, e.input) {
				continue
			}
			if r.Unique {
				// Keep the latest occurrence of each input, in its place.
				if i, ok := seen[e.input]; ok {
					picked = append(picked[:i], picked[i+1:]...)
					for k, v := range seen {
						if v > i {
							seen[k] = v - 1
						}
					}
				}
				seen[e.input] = len(picked)
			}
			picked = append(picked, e)
		}
		if r.N != nil && *r.N >= 0 && *r.N < len(picked) {
			picked = picked[len(picked)-*r.N:]
		}
	}
	out := make([]any, 0, len(picked))
	for _, e := range picked {
		var item any = e.input
		if r.Output {
			var o any
			if e.output != nil {
				o = *e.output
			}
			item = []any{e.input, o}
		}
		out = append(out, []any{sessionNumber, e.line, item})
	}
	return out
}

// globMatch reports whether s matches the shell glob pattern (* ? [...]),
// where, as in IPython's history search, * also matches newlines. It
// backtracks only to the latest star, so it runs in O(len(p) * len(s)).
func globMatch(pattern, s string) bool {
	p, t := []rune(pattern), []rune(s)
	pi, ti := 0, 0
	star, mark := -1, 0
	for ti < len(t) {
		if pi < len(p) && p[pi] == '*' {
			star, mark = pi, ti
			pi++
			continue
		}
		if pi < len(p) {
			if n, ok := matchOne(p[pi:], t[ti]); ok {
				pi, ti = pi+n, ti+1
				continue
			}
		}
		if star < 0 {
			return false
		}
		mark++
		pi, ti = star+1, mark
	}
	for pi < len(p) && p[pi] == '*' {
		pi++
	}
	return pi == len(p)
}

// matchOne matches the single-character element at the start of p (a
// literal, ? or a [...] class) against c and returns the element's length.
func matchOne(p []rune, c rune) (int, bool) {
	switch p[0] {
	case '?':
		return 1, true
	case '[':
		end := 1
		if end < len(p) && (p[end] == '!' || p[end] == '^') {
			end++
		}
		if end < len(p) && p[end] == ']' {
			end++
		}
		for end < len(p) && p[end] != ']' {
			end++
		}
		if end < len(p) {
			return end + 1, classMatch(p[1:end], c)
		}
		// An unclosed bracket is a literal '['.
	}
	return 1, p[0] == c
}

func classMatch(class []rune, c rune) bool {
	negate := len(class) > 0 && (class[0] == '!' || class[0] == '^')
	if negate {
		class = class[1:]
	}
	found := false
	for i := 0; i < len(class); i++ {
		if i+2 < len(class) && class[i+1] == '-' {
			if class[i] <= c && c <= class[i+2] {
				found = true
			}
			i += 2
			continue
		}
		if class[i] == c {
			found = true
		}
	}
	return found != negate
}
