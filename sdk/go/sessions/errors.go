package sessions

import (
	"errors"
	"fmt"
)

// Code says why an assertion was refused. The values are stable strings: log them, count them.
type Code string

const (
	// CodeExpired: exp has passed, beyond the leeway.
	CodeExpired Code = "expired"
	// CodeBadSignature: the signature does not match the named key (a tampered header or
	// payload, or another key).
	CodeBadSignature Code = "bad_signature"
	// CodeUnknownKey: no published key has the kid, even after a refetch.
	CodeUnknownKey Code = "unknown_key"
	// CodeWrongIssuer: iss is not the configured issuer.
	CodeWrongIssuer Code = "wrong_issuer"
	// CodeWrongAudience: aud is missing or not the configured audience (when one is required).
	CodeWrongAudience Code = "wrong_audience"
	// CodeMalformed: not a compact JWS, alg not EdDSA, no kid, or a required claim missing or
	// mistyped.
	CodeMalformed Code = "malformed"
)

// AssertionError is an assertion this verifier will not vouch for. Match a kind with
// errors.Is(err, sessions.ErrExpired) and friends, or read the Code with errors.As.
type AssertionError struct {
	Code Code
	// Reason is a human-readable detail (never the assertion itself).
	Reason string
	// Err is the JOSE library's error, when there is one.
	Err error
}

func (e *AssertionError) Error() string {
	if e.Reason == "" {
		return "session assertion refused: " + string(e.Code)
	}
	return fmt.Sprintf("session assertion refused (%s): %s", e.Code, e.Reason)
}

func (e *AssertionError) Unwrap() error { return e.Err }

// Is reports whether target is an *AssertionError with the same Code, so the Err* values
// below match every refusal of their kind.
func (e *AssertionError) Is(target error) bool {
	t, ok := target.(*AssertionError)
	return ok && t.Code == e.Code
}

// One value per Code, for errors.Is.
var (
	ErrExpired       error = &AssertionError{Code: CodeExpired}
	ErrBadSignature  error = &AssertionError{Code: CodeBadSignature}
	ErrUnknownKey    error = &AssertionError{Code: CodeUnknownKey}
	ErrWrongIssuer   error = &AssertionError{Code: CodeWrongIssuer}
	ErrWrongAudience error = &AssertionError{Code: CodeWrongAudience}
	ErrMalformed     error = &AssertionError{Code: CodeMalformed}
)

// ErrKeySetUnavailable: the key set could not be fetched and no earlier copy is held, so
// nothing is known about the assertion. Check asks the server instead.
var ErrKeySetUnavailable = errors.New("userharbor sessions: key set unavailable")

// ErrInvalidSession: Check found no valid session (the server said so, or there was no
// session token and no usable assertion).
var ErrInvalidSession = errors.New("userharbor sessions: session not valid")

func refuse(code Code, reason string, cause error) *AssertionError {
	return &AssertionError{Code: code, Reason: reason, Err: cause}
}
