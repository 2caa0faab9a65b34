package main

import (
	"encoding/json"
	"os/exec"
	"strconv"
	"testing"
)

// TestRunAllStopsOnErrorThroughJupyterClient drives the binary with
// jupyter_client, as JupyterLab's Run All does: 50 trials of three cells
// sent at once, the first failing instantly, must each abort the other
// two; then 200 cells, each sent the moment the reply to a failing cell
// arrives, must all run.
func TestRunAllStopsOnErrorThroughJupyterClient(t *testing.T) {
	py := python(t, "python3-jupyter-client", "jupyter_client")
	const trials, postError = 50, 200
	cmd := exec.Command(py, "stop_on_error.py", strconv.Itoa(trials), strconv.Itoa(postError))
	cmd.Dir = "testdata"
	cmd.Env = jupyterEnv(t, installSpec(t))
	out, err := cmd.Output()
	if err != nil {
		var stderr []byte
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = ee.Stderr
		}
		t.Fatalf("stop_on_error.py: %v\n%s\n%s", err, out, stderr)
	}
	var got struct {
		RunAllAborted      int        `json:"run_all_aborted"`
		AssignmentsThatRan int        `json:"assignments_that_ran"`
		PostErrorRan       int        `json:"post_error_ran"`
		RunAllFailures     [][]string `json:"run_all_failures"`
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	t.Logf("%s", out)
	if got.RunAllAborted != trials || got.AssignmentsThatRan != 0 {
		t.Errorf("Run All aborted the cells behind a failed one in %d of %d trials (first misses: %v); %d aborted assignments ran anyway",
			got.RunAllAborted, trials, got.RunAllFailures, got.AssignmentsThatRan)
	}
	if got.PostErrorRan != postError {
		t.Errorf("%d of %d cells sent after an error reply ran; every one must", got.PostErrorRan, postError)
	}
}
