package portal

// RateKey exposes rateKey to the tests.
var RateKey = rateKey
