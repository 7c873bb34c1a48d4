module github.com/userharbor/userharbor/examples/go-nethttp

go 1.26.0

require github.com/userharbor/userharbor/sdk/go v0.0.0

require (
	github.com/go-jose/go-jose/v4 v4.1.9 // indirect
	github.com/hashicorp/golang-lru/v2 v2.0.7 // indirect
	github.com/userharbor/userharbor/gen/go v0.0.0 // indirect
	golang.org/x/net v0.60.0 // indirect
	golang.org/x/sys v0.48.0 // indirect
	golang.org/x/text v0.42.0 // indirect
	google.golang.org/genproto/googleapis/rpc v0.0.0-20260817212433-ac3dfec99bb1 // indirect
	google.golang.org/grpc v1.85.0 // indirect
	google.golang.org/protobuf v1.36.12 // indirect
)

// The hand-written library and the generated client from this repository; outside it, drop
// these lines and require released versions.
replace github.com/userharbor/userharbor/sdk/go => ../../sdk/go

replace github.com/userharbor/userharbor/gen/go => ../../gen/go
