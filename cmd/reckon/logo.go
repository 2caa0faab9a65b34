package main

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
)

// logos returns the kernelspec's icons, logo-32x32.png and logo-64x64.png,
// which Jupyter shows in its launcher.
func logos() (map[string][]byte, error) {
	files := map[string][]byte{}
	for _, size := range []int{32, 64} {
		var buf bytes.Buffer
		if err := png.Encode(&buf, logo(size)); err != nil {
			return nil, fmt.Errorf("drawing the logo: %w", err)
		}
		files[fmt.Sprintf("logo-%dx%d.png", size, size)] = buf.Bytes()
	}
	return files, nil
}

// logo draws the kernel's icon: three clusters of points on a dark tile,
// the picture of what the kernel does.
func logo(size int) image.Image {
	img := image.NewNRGBA(image.Rect(0, 0, size, size))
	s := float64(size)
	bg := color.NRGBA{0x1f, 0x2a, 0x44, 0xff}
	r := s * 0.18
	for y := 0; y < size; y++ {
		for x := 0; x < size; x++ {
			// A rounded square: outside the corner circles stays clear.
			cx := math.Max(r, math.Min(s-r, float64(x)+0.5))
			cy := math.Max(r, math.Min(s-r, float64(y)+0.5))
			if math.Hypot(float64(x)+0.5-cx, float64(y)+0.5-cy) <= r {
				img.Set(x, y, bg)
			}
		}
	}
	clusters := []struct {
		x, y float64
		c    color.NRGBA
	}{
		{0.32, 0.34, color.NRGBA{0xf4, 0xa2, 0x61, 0xff}},
		{0.68, 0.40, color.NRGBA{0x2a, 0x9d, 0x8f, 0xff}},
		{0.45, 0.70, color.NRGBA{0xe9, 0xc4, 0x6a, 0xff}},
	}
	offsets := [][2]float64{{0, 0}, {-0.09, -0.05}, {0.08, -0.07}, {-0.06, 0.08}, {0.09, 0.06}}
	for _, cl := range clusters {
		for _, o := range offsets {
			px, py, pr := (cl.x+o[0])*s, (cl.y+o[1])*s, s*0.045
			for y := int(py - pr - 1); y <= int(py+pr+1); y++ {
				for x := int(px - pr - 1); x <= int(px+pr+1); x++ {
					if math.Hypot(float64(x)+0.5-px, float64(y)+0.5-py) <= pr {
						img.Set(x, y, cl.c)
					}
				}
			}
		}
	}
	return img
}
