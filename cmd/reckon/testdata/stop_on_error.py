"""Run All against stop_on_error, through jupyter_client.

Run by stop_on_error_test.go as:
    /usr/bin/python3 stop_on_error.py RUN_ALL_TRIALS POST_ERROR_CELLS
with JUPYTER_PATH pointing at a kernelspec of the binary under test. Prints
one JSON object of counts; the Go test asserts on them.
"""
import json
import sys

from jupyter_client.manager import start_new_kernel

TIMEOUT = 60


def replies(kc, ids):
    """Reads shell replies until every request in ids has its answer."""
    got = {}
    while len(got) < len(ids):
        m = kc.get_shell_msg(timeout=TIMEOUT)
        got[m["parent_header"]["msg_id"]] = m["content"]
    return [got[i] for i in ids]


def main():
    run_all_trials, post_error_cells = int(sys.argv[1]), int(sys.argv[2])
    km, kc = start_new_kernel(kernel_name="reckon", startup_timeout=TIMEOUT)
    try:
        # Run All: three cells sent at once, the first failing at once.
        aborted, failures = 0, []
        for i in range(run_all_trials):
            ids = [kc.execute("umpa(1)"), kc.execute("ran%d = 1" % i), kc.execute('print("third %d")' % i)]
            names = [c.get("ename") for c in replies(kc, ids)]
            if names == ["NameError", "ExecutionAborted", "ExecutionAborted"]:
                aborted += 1
            else:
                failures.append(names)
        # None of the aborted assignments happened.
        leaked = sum(
            replies(kc, [kc.execute("ran%d" % i, stop_on_error=False)])[0]["status"] == "ok"
            for i in range(run_all_trials)
        )
        # A cell sent as soon as the error reply is in runs.
        ran = 0
        for i in range(post_error_cells):
            replies(kc, [kc.execute("umpa(1)")])
            if replies(kc, [kc.execute("%d" % i)])[0]["status"] == "ok":
                ran += 1
        print(json.dumps({"run_all_aborted": aborted, "assignments_that_ran": leaked,
                          "post_error_ran": ran, "run_all_failures": failures[:5]}))
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


if __name__ == "__main__":
    main()
