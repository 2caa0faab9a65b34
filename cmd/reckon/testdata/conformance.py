"""Jupyter's official kernel conformance suite (jupyter_kernel_test), with
every sample filled in so that all of its tests run against Reckon.

Run by conformance_test.go as: /usr/bin/python3 -m unittest -v conformance
with JUPYTER_PATH pointing at a kernelspec of the binary under test.
"""
import unittest

import jupyter_kernel_test


class ReckonKernelTests(jupyter_kernel_test.KernelTests):
    kernel_name = "reckon"
    language_name = "reckon"
    file_extension = ".reckon"

    code_hello_world = 'print("hello, world")'
    code_stderr = 'print("something went wrong", stderr=true)'

    completion_samples = [
        {"text": "pri", "matches": {"print"}},
        {"text": "x = sle", "matches": {"sleep"}},
        {"text": "sleep(1, prog", "matches": {"progress="}},
    ]

    complete_code_samples = ["1", 'print("hi")', "x = [1,\n  2]", "sleep(0)\n"]
    incomplete_code_samples = ["print(1,", "x = [1, 2", "y = 1 + \\"]
    invalid_code_samples = ["print(1))", "x = = 2", 'print("unterminated)']

    code_page_something = "?print"

    code_generate_error = "umpa(1)"

    code_execute_result = [
        {"code": "1 + 2", "result": "3"},
        {"code": '"a" + "b"', "result": '"ab"'},
        {"code": "[1, 2.5, true]", "result": "[1, 2.5, true]"},
    ]

    code_display_data = [
        {"code": 'display("shown")', "mime": "text/plain"},
        {"code": "display(help(print))", "mime": "text/html"},
    ]

    code_history_pattern = "1 + *"
    supported_history_operations = ("tail", "range", "search")

    code_inspect_sample = "print"

    code_clear_output = "clear_output()"


if __name__ == "__main__":
    unittest.main()
