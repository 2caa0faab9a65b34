package dsl

import (
	"context"

	"github.com/reckon-dev/reckon/display/plot"
)

// The session-wide settings, read and written as pandas' are:
// set_option("plot_format", "svg"), get_option("plot_format").
const optPlotFormat = "plot_format"

// optionNames lists the settings set_option knows, for its errors.
var optionNames = []string{optPlotFormat}

// formatParam is the format parameter every plot command takes.
var formatParam = Param{Name: "format", Type: Str, Default: None, Choices: plot.Formats,
	Doc: "\"png\", or \"svg\" for a vector form beside the PNG (not above " + thousands(plot.MaxSVGPoints) + " points); none means the session's plot_format (set_option)"}

// plotFormat is the format a plot command draws in: its own format
// argument, else the session's plot_format.
func plotFormat(c *Call) plot.Format {
	if !c.IsNone("format") {
		return plot.Format(c.Str("format"))
	}
	return c.Session.PlotFormat()
}

// PlotFormat is the session's plot_format: PNG unless set_option chose SVG.
func (s *Session) PlotFormat() plot.Format {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.plotFormat == "" {
		return plot.PNG
	}
	return s.plotFormat
}

func registerOptions(r *Registry) {
	r.Register(
		&Command{
			Name: "set_option", Group: "basics",
			Summary: "Change a session-wide setting, as pandas.set_option does.",
			Doc: "plot_format: \"png\" (the default) or \"svg\". Plots are a PNG at twice the displayed pixels with a text description, " +
				"which every reader of a notebook shows: JupyterLab, GitHub, and nbconvert's HTML export, which empties SVG. " +
				"\"svg\" adds a vector form beside the PNG to every later plot (up to " + thousands(plot.MaxSVGPoints) + " points), for notebooks you keep trusted; " +
				"a plot command's own format= overrides it.",
			Params: []Param{
				{Name: "name", Type: Str, Choices: optionNames, Doc: "the setting"},
				{Name: "value", Type: Any, Doc: "its new value"},
			},
			Examples: []string{`set_option("plot_format", "svg")`},
			Run: func(ctx context.Context, c *Call) (Value, error) {
				// plot_format is the only setting so far.
				v, ok := c.Value("value").(String)
				if !ok || (plot.Format(v) != plot.PNG && plot.Format(v) != plot.SVG) {
					return nil, c.Errorf("value", "plot_format must be %q or %q, not %s", plot.PNG, plot.SVG, describeValue(c.Value("value")))
				}
				c.Session.mu.Lock()
				c.Session.plotFormat = plot.Format(v)
				c.Session.mu.Unlock()
				return None, nil
			},
		},
		&Command{
			Name: "get_option", Group: "basics",
			Summary: "The value of a session-wide setting (see set_option).",
			Doc:     "As pandas' get_option: reads what set_option set for this session, or the default when nothing was set. The settings are those help(set_option) lists.",
			Params: []Param{
				{Name: "name", Type: Str, Choices: optionNames, Doc: "the setting"},
			},
			Returns:  "string",
			Examples: []string{`get_option("plot_format")`},
			Run: func(ctx context.Context, c *Call) (Value, error) {
				return String(c.Session.PlotFormat()), nil
			},
		},
	)
}
