// Package synth makes large tables with planted structure, for measuring
// the method at scale: the demo tracks scaled up. Rows belong to groups
// drawn as Gaussians around group centres, a few groups mix sub-groups
// close enough to look like one cluster from afar and far enough apart to
// split when zoomed in (what recurse is for), and a share of background
// rows belongs to no group. Every row's group and sub-group are known, so
// a clustering can be scored against them.
//
// The table depends on the settings and the seed alone: rows are made in
// fixed blocks, each with its own random stream, so the bytes are the same
// for any GOMAXPROCS.
package synth
