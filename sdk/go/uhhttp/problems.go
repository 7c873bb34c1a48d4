package uhhttp

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"math"
	"net/http"
	"strconv"
	"strings"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// FieldError is a field the caller got wrong (BadRequest's field violations, or the login
// body's).
type FieldError struct {
	Field       string `json:"field"`
	Description string `json:"description"`
}

// Problem is an HTTP answer in RFC 9457 form (application/problem+json): the integration's
// own refusals, and UserHarbor's errors mapped by ProblemFrom.
type Problem struct {
	Status int
	// Code is the stable machine-readable reason: UserHarbor's ErrorInfo reason, or the
	// integration's own (INVALID_SESSION, CROSS_SITE_REQUEST, ...).
	Code string
	// Detail is safe for the end user: never a stack, an address, a token or a password.
	Detail string
	// RetryAfter, in whole seconds, is sent as Retry-After when positive.
	RetryAfter int
	Errors     []FieldError
}

func (p *Problem) Error() string { return p.Code + ": " + p.Detail }

// problemBody is the JSON: type, title, status, code, detail, and errors when there are some.
type problemBody struct {
	Type   string       `json:"type"`
	Title  string       `json:"title"`
	Status int          `json:"status"`
	Code   string       `json:"code"`
	Detail string       `json:"detail"`
	Errors []FieldError `json:"errors,omitempty"`
}

// Write sends the problem (headers already set on w, such as Set-Cookie, go with it).
func (p *Problem) Write(w http.ResponseWriter) {
	header := w.Header()
	header.Set("Content-Type", "application/problem+json")
	if p.RetryAfter > 0 {
		header.Set("Retry-After", strconv.Itoa(p.RetryAfter))
	}
	w.WriteHeader(p.Status)
	title := http.StatusText(p.Status)
	if title == "" {
		title = "Error"
	}
	_ = json.NewEncoder(w).Encode(problemBody{"about:blank", title, p.Status, p.Code, p.Detail, p.Errors})
}

// The integration's own answers.
func invalidSession() *Problem {
	return &Problem{Status: 401, Code: "INVALID_SESSION", Detail: "Sign in first: no valid session."}
}

func emailNotVerified() *Problem {
	return &Problem{Status: 403, Code: "EMAIL_NOT_VERIFIED", Detail: "Verify your email address first."}
}

func crossSiteRequest() *Problem {
	return &Problem{Status: 403, Code: "CROSS_SITE_REQUEST", Detail: "Refused: this request came from another site."}
}

func invalidRequest(detail string, errors ...FieldError) *Problem {
	return &Problem{Status: 400, Code: "INVALID_REQUEST", Detail: detail, Errors: errors}
}

// statusByCode is the contract's table (docs/integrations.md §6); codes not in it are 502.
var statusByCode = map[codes.Code]int{
	codes.Unauthenticated:    401,
	codes.PermissionDenied:   403,
	codes.ResourceExhausted:  429,
	codes.InvalidArgument:    400,
	codes.OutOfRange:         400,
	codes.FailedPrecondition: 403,
	codes.AlreadyExists:      409,
	codes.NotFound:           404,
	codes.Unavailable:        503,
	codes.DeadlineExceeded:   503,
}

// ProblemFrom maps UserHarbor's error (a gRPC status from the generated client, or a
// deadline or cancellation of the call's context) to a Problem: the ErrorInfo reason as
// Code, Retry-After from RetryInfo on 429 and 503, BadRequest field violations as Errors.
// Detail is UserHarbor's own message only when the error carries its ErrorInfo (those are
// written for callers); transport failures get a fixed sentence. A *Problem comes back as
// it is. False for anything else (an error of the app's own).
func ProblemFrom(err error) (*Problem, bool) {
	var problem *Problem
	if errors.As(err, &problem) {
		return problem, true
	}
	var st *status.Status
	switch {
	case errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled):
		st = status.FromContextError(err)
	default:
		var ok bool
		if st, ok = status.FromError(err); !ok || err == nil {
			return nil, false
		}
	}
	var reason, detail string
	var retry *errdetails.RetryInfo
	var violations []FieldError
	for _, d := range st.Details() {
		switch d := d.(type) {
		case *errdetails.ErrorInfo:
			if d.GetDomain() == "userharbor.v1" && reason == "" {
				reason, detail = d.GetReason(), st.Message()
			}
		case *errdetails.RetryInfo:
			retry = d
		case *errdetails.BadRequest:
			for _, v := range d.GetFieldViolations() {
				violations = append(violations, FieldError{v.GetField(), v.GetDescription()})
			}
		}
	}
	if reason == "INVALID_API_KEY" || reason == "MISSING_SCOPE" {
		// This backend's own credentials, not its end user's: a misconfiguration.
		return &Problem{Status: 502, Code: reason, Detail: "UserHarbor refused this backend's API key."}, true
	}
	httpStatus, known := statusByCode[st.Code()]
	switch {
	case !known:
		return &Problem{Status: 502, Code: "USERHARBOR_ERROR", Detail: "The account service failed."}, true
	case httpStatus == 503:
		return &Problem{Status: 503, Code: cmp.Or(reason, "USERHARBOR_UNAVAILABLE"),
			Detail: cmp.Or(detail, "The account service is unavailable; try again shortly."), RetryAfter: retryAfter(retry)}, true
	case httpStatus == 429:
		return &Problem{Status: 429, Code: cmp.Or(reason, "RESOURCE_EXHAUSTED"),
			Detail: cmp.Or(detail, "Too many requests."), RetryAfter: retryAfter(retry)}, true
	}
	return &Problem{Status: httpStatus, Code: cmp.Or(reason, codeName(st.Code())),
		Detail: cmp.Or(detail, http.StatusText(httpStatus)), Errors: violations}, true
}

// WriteError answers err as problem+json when it is UserHarbor's (see ProblemFrom) and
// reports whether it did; the app handles other errors itself.
func WriteError(w http.ResponseWriter, err error) bool {
	problem, ok := ProblemFrom(err)
	if ok {
		problem.Write(w)
	}
	return ok
}

// retryAfter is the RetryInfo delay in whole seconds, rounded up, at least 1; 1 without one.
func retryAfter(retry *errdetails.RetryInfo) int {
	if retry.GetRetryDelay() == nil {
		return 1
	}
	return max(1, int(math.Ceil(retry.GetRetryDelay().AsDuration().Seconds())))
}

// codeName is a gRPC code as UPPER_SNAKE (InvalidArgument: INVALID_ARGUMENT).
func codeName(code codes.Code) string {
	var b strings.Builder
	for i, c := range code.String() {
		if i > 0 && c >= 'A' && c <= 'Z' {
			b.WriteByte('_')
		}
		b.WriteRune(c)
	}
	return strings.ToUpper(b.String())
}
