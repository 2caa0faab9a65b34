package pyref

import (
	"os/exec"
	"testing"
)

func TestRequireSkipsOutsideCIAndRunsWhatIsThere(t *testing.T) {
	if _, err := exec.LookPath(Python); err != nil {
		t.Skipf("SKIPPED: no %s here", Python)
	}
	t.Setenv("CI", "")
	var skipped bool
	t.Run("missing module", func(t *testing.T) {
		defer func() { skipped = t.Skipped() }()
		Require(t, "python3-nonexistent", "reckon_no_such_module")
	})
	if !skipped {
		t.Error("a missing module did not skip the test")
	}
	Require(t, "python3-minimal", "json")
	var out []int
	JSON(t, "import json, sys\njson.dump([x * 2 for x in json.load(sys.stdin)], sys.stdout)", []int{1, 2}, &out)
	if len(out) != 2 || out[0] != 2 || out[1] != 4 {
		t.Errorf("JSON round trip gave %v", out)
	}
}
