package notebook_test

import (
	"context"
	"fmt"

	"github.com/reckon-dev/reckon/internal/notebook"
	"github.com/reckon-dev/reckon/kernel"
)

// echo is an interpreter whose cells show their own code as their value.
type echo struct{}

func (echo) Execute(ctx context.Context, code string, out kernel.Output) (kernel.Result, error) {
	out.Stream("stdout", "running\n")
	return kernel.Result{Value: &kernel.Bundle{Data: map[string]any{"text/plain": code}}}, nil
}
func (echo) Complete(string, int) kernel.Completion         { return kernel.Completion{} }
func (echo) Inspect(string, int, int) (kernel.Bundle, bool) { return kernel.Bundle{}, false }
func (echo) IsComplete(string) (string, string)             { return "complete", "" }
func (echo) Info() kernel.Info                              { return kernel.Info{} }

// Read a notebook, inject parameters as papermill does, run it, and look
// at the outputs.
func Example() {
	nb, err := notebook.Read([]byte(`{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
		{"cell_type": "markdown", "id": "a", "metadata": {}, "source": "# Title"},
		{"cell_type": "code", "id": "b", "metadata": {"tags": ["parameters"]}, "execution_count": null, "outputs": [], "source": "n = 1"},
		{"cell_type": "code", "id": "c", "metadata": {}, "execution_count": null, "outputs": [], "source": "n * 2"}]}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	notebook.InjectParameters(nb, "n = 21")
	if err := notebook.Execute(context.Background(), nb, echo{}); err != nil {
		fmt.Println(err)
		return
	}
	for i, c := range nb.Cells {
		for _, o := range c.Outputs {
			fmt.Printf("cell %d %v: %s %q\n", i, c.Tags(), o.Type(), o.Text())
		}
	}
	// Output:
	// cell 1 [parameters]: stream "running\n"
	// cell 1 [parameters]: execute_result "n = 1"
	// cell 2 [injected-parameters]: stream "running\n"
	// cell 2 [injected-parameters]: execute_result "n = 21"
	// cell 3 []: stream "running\n"
	// cell 3 []: execute_result "n * 2"
}
