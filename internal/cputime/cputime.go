// Package cputime reads the CPU time the process has used. Benchmarks report
// it per operation because on a shared machine the wall clock also counts
// time lost to other processes.
package cputime
