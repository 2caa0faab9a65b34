package assign

// Loads is the number of models Setup loaded in this process.
func Loads() int64 { return loads.Load() }
