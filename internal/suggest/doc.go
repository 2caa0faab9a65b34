// Package suggest finds the name a user most likely meant when they typed
// one that does not exist: a command, a variable, a parameter, a column.
// Every "did you mean" in Reckon comes from Nearest, so that the same typo
// gets the same answer wherever it is made.
package suggest
