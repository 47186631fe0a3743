module caseboard-bench/startup

go 1.26.0
