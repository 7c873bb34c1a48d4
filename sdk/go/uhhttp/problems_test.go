package uhhttp

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http/httptest"
	"reflect"
	"testing"
	"time"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/protoadapt"
	"google.golang.org/protobuf/types/known/durationpb"
)

// uhError is an error as UserHarbor sends it: a status with ErrorInfo and other details.
func uhError(t *testing.T, code codes.Code, message, reason string, details ...protoadapt.MessageV1) error {
	t.Helper()
	st := status.New(code, message)
	if reason != "" {
		details = append([]protoadapt.MessageV1{&errdetails.ErrorInfo{Domain: "userharbor.v1", Reason: reason}}, details...)
	}
	withDetails, err := st.WithDetails(details...)
	if err != nil {
		t.Fatal(err)
	}
	return withDetails.Err()
}

func retryIn(d time.Duration) *errdetails.RetryInfo {
	return &errdetails.RetryInfo{RetryDelay: durationpb.New(d)}
}

// The mapping table of docs/integrations.md §6, row by row, as the HTTP answer shows it.
func TestProblemMappingTable(t *testing.T) {
	badRequest := &errdetails.BadRequest{FieldViolations: []*errdetails.BadRequest_FieldViolation{
		{Field: "username", Description: "3 to 32 characters"},
		{Field: "password", Description: "at least 12 characters"},
	}}
	foreign := &errdetails.ErrorInfo{Domain: "example.com", Reason: "SOMETHING"}
	rows := []struct {
		name       string
		err        error
		status     int
		code       string
		detail     string
		retryAfter string
		errors     []FieldError
	}{
		{"UNAUTHENTICATED with its reason", uhError(t, codes.Unauthenticated, "wrong username or password", "INVALID_CREDENTIALS"), 401, "INVALID_CREDENTIALS", "wrong username or password", "", nil},
		{"the API key refused: this backend's fault", uhError(t, codes.Unauthenticated, "bad key", "INVALID_API_KEY"), 502, "INVALID_API_KEY", "UserHarbor refused this backend's API key.", "", nil},
		{"a scope missing: this backend's fault", uhError(t, codes.PermissionDenied, "needs accounts", "MISSING_SCOPE"), 502, "MISSING_SCOPE", "UserHarbor refused this backend's API key.", "", nil},
		{"PERMISSION_DENIED, other reasons", uhError(t, codes.PermissionDenied, "no", "SOME_RULE"), 403, "SOME_RULE", "no", "", nil},
		{"RESOURCE_EXHAUSTED: Retry-After rounded up", uhError(t, codes.ResourceExhausted, "slow down", "RATE_LIMITED", retryIn(2100*time.Millisecond)), 429, "RATE_LIMITED", "slow down", "3", nil},
		{"RESOURCE_EXHAUSTED: a sub-second delay is 1", uhError(t, codes.ResourceExhausted, "busy", "OVERLOADED", retryIn(200*time.Millisecond)), 429, "OVERLOADED", "busy", "1", nil},
		{"RESOURCE_EXHAUSTED without RetryInfo: 1", uhError(t, codes.ResourceExhausted, "slow down", "RATE_LIMITED"), 429, "RATE_LIMITED", "slow down", "1", nil},
		{"RESOURCE_EXHAUSTED from the transport: the code's name", status.Error(codes.ResourceExhausted, "grpc: received message larger than max"), 429, "RESOURCE_EXHAUSTED", "Too many requests.", "1", nil},
		{"INVALID_ARGUMENT with field violations", uhError(t, codes.InvalidArgument, "bad fields", "INVALID_USERNAME", badRequest), 400, "INVALID_USERNAME", "bad fields", "", []FieldError{{"username", "3 to 32 characters"}, {"password", "at least 12 characters"}}},
		{"OUT_OF_RANGE", uhError(t, codes.OutOfRange, "too old", "CURSOR_EXPIRED"), 400, "CURSOR_EXPIRED", "too old", "", nil},
		{"FAILED_PRECONDITION", uhError(t, codes.FailedPrecondition, "verify first", "EMAIL_NOT_VERIFIED"), 403, "EMAIL_NOT_VERIFIED", "verify first", "", nil},
		{"ALREADY_EXISTS", uhError(t, codes.AlreadyExists, "taken", "USERNAME_TAKEN"), 409, "USERNAME_TAKEN", "taken", "", nil},
		{"NOT_FOUND", uhError(t, codes.NotFound, "no such session", "SESSION_NOT_FOUND"), 404, "SESSION_NOT_FOUND", "no such session", "", nil},
		{"UNAVAILABLE with its reason and RetryInfo", uhError(t, codes.Unavailable, "store down", "STORE_UNAVAILABLE", retryIn(5*time.Second)), 503, "STORE_UNAVAILABLE", "store down", "5", nil},
		{"unreachable: a fixed sentence, no address", status.Error(codes.Unavailable, "connection error: desc = \"transport: Error while dialing: dial tcp 127.0.0.1:9: connect: connection refused\""), 503, "USERHARBOR_UNAVAILABLE", "The account service is unavailable; try again shortly.", "1", nil},
		{"DEADLINE_EXCEEDED from gRPC", status.Error(codes.DeadlineExceeded, "context deadline exceeded"), 503, "USERHARBOR_UNAVAILABLE", "The account service is unavailable; try again shortly.", "1", nil},
		{"the context's own deadline (a key set wait)", fmt.Errorf("waiting: %w", context.DeadlineExceeded), 503, "USERHARBOR_UNAVAILABLE", "The account service is unavailable; try again shortly.", "1", nil},
		{"INTERNAL", uhError(t, codes.Internal, "secret internals", ""), 502, "USERHARBOR_ERROR", "The account service failed.", "", nil},
		{"UNKNOWN with a reason still 502", uhError(t, codes.Unknown, "what", "SOMETHING"), 502, "USERHARBOR_ERROR", "The account service failed.", "", nil},
		{"UNIMPLEMENTED", status.Error(codes.Unimplemented, "unknown method"), 502, "USERHARBOR_ERROR", "The account service failed.", "", nil},
		{"a cancelled call", context.Canceled, 502, "USERHARBOR_ERROR", "The account service failed.", "", nil},
		{"another domain's ErrorInfo: no reason, no message", uhError(t, codes.PermissionDenied, "proxy says no", "", foreign), 403, "PERMISSION_DENIED", "Forbidden", "", nil},
		{"a local problem passes as it is", crossSiteRequest(), 403, "CROSS_SITE_REQUEST", "Refused: this request came from another site.", "", nil},
	}
	for _, row := range rows {
		w := httptest.NewRecorder()
		if !WriteError(w, row.err) {
			t.Errorf("%s: not taken as UserHarbor's", row.name)
			continue
		}
		if w.Code != row.status || w.Header().Get("Content-Type") != "application/problem+json" {
			t.Errorf("%s: %d %s", row.name, w.Code, w.Header().Get("Content-Type"))
		}
		if got := w.Header().Get("Retry-After"); got != row.retryAfter {
			t.Errorf("%s: Retry-After %q, want %q", row.name, got, row.retryAfter)
		}
		var body map[string]any
		if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil {
			t.Fatalf("%s: %v", row.name, err)
		}
		want := map[string]any{"type": "about:blank", "title": statusTitle(row.status), "status": float64(row.status), "code": row.code, "detail": row.detail}
		if row.errors != nil {
			var list []any
			for _, e := range row.errors {
				list = append(list, map[string]any{"field": e.Field, "description": e.Description})
			}
			want["errors"] = list
		}
		if !reflect.DeepEqual(body, want) {
			t.Errorf("%s:\n got %v\nwant %v", row.name, body, want)
		}
	}
}

func statusTitle(code int) string {
	return map[int]string{400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 409: "Conflict", 429: "Too Many Requests", 502: "Bad Gateway", 503: "Service Unavailable"}[code]
}

func TestErrorsOfTheAppAreLeftToIt(t *testing.T) {
	for _, err := range []error{errors.New("database is down"), fmt.Errorf("wrapped: %w", errors.New("x")), nil} {
		w := httptest.NewRecorder()
		if WriteError(w, err) || w.Body.Len() > 0 || w.Code != 200 {
			t.Errorf("%v: answered %d %q", err, w.Code, w.Body.String())
		}
	}
	// A wrapped UserHarbor error is still UserHarbor's.
	wrapped := fmt.Errorf("loading the profile: %w", uhError(t, codes.Unauthenticated, "gone", "INVALID_SESSION"))
	if problem, ok := ProblemFrom(wrapped); !ok || problem.Status != 401 || problem.Code != "INVALID_SESSION" {
		t.Errorf("wrapped: %+v, %v", problem, ok)
	}
}
