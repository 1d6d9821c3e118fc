// Package fuzz holds the fuzz targets of export's readers, in a package of
// their own so that their test binary links nothing but export (see
// fuzz_test.go).
package fuzz
