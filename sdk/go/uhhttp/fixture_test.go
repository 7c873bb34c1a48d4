package uhhttp_test

// The httptest app, the request helper and the stand-in servers of server_test.go.

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	userharborv1 "github.com/userharbor/userharbor/gen/go/userharbor/v1"
	"github.com/userharbor/userharbor/sdk/go/uhhttp"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
)

const password = "integration correct horse 1"

// counter counts the calls made through a Harbor's client, per method.
type counter struct {
	mu    sync.Mutex
	calls map[string]int
}

func (c *counter) intercept(ctx context.Context, method string, req, reply any, cc *grpc.ClientConn, invoker grpc.UnaryInvoker, opts ...grpc.CallOption) error {
	c.mu.Lock()
	c.calls[method[strings.LastIndex(method, "/")+1:]]++
	c.mu.Unlock()
	return invoker(ctx, method, req, reply, cc, opts...)
}

func (c *counter) of(method string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.calls[method]
}

// app is an httptest server with the integration mounted as an app would mount it.
type app struct {
	url      string
	uh       *uhhttp.Harbor
	calls    *counter
	accounts userharborv1.AccountServiceClient // the test's own, uncounted
	admin    userharborv1.AdminServiceClient
}

func serverURL(t *testing.T) string {
	t.Helper()
	url := os.Getenv("UH_SERVER_URL")
	if url == "" {
		t.Skip("UH_SERVER_URL is not set: run through test/sdk/verifiers.test.ts, or point it at a server with REQUIRE_VERIFIED_EMAIL=false")
	}
	return url
}

func newApp(t *testing.T, cfg uhhttp.Config) *app {
	t.Helper()
	if cfg.URL == "" {
		cfg.URL = serverURL(t)
	}
	calls := &counter{calls: map[string]int{}}
	cfg.DialOptions = append(cfg.DialOptions, grpc.WithChainUnaryInterceptor(calls.intercept))
	uh, err := uhhttp.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { uh.Close() })

	showUser := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		user, ok := uhhttp.UserFrom(r.Context())
		answer := map[string]any{"user": nil}
		if ok {
			answer["user"] = user
		}
		_ = json.NewEncoder(w).Encode(answer)
	})
	mux := http.NewServeMux()
	mux.Handle("POST /login", uh.LoginHandler())
	mux.Handle("/logout", uh.LogoutHandler()) // any method: the handler itself insists on POST
	mux.Handle("GET /me", uh.RequireUser()(showUser))
	mux.Handle("GET /me/strict", uh.RequireUser(uhhttp.Strict())(showUser))
	mux.Handle("GET /maybe", uh.OptionalUser()(showUser))
	mux.Handle("GET /verified", uh.RequireVerifiedEmail()(showUser))
	mux.Handle("POST /notes", uh.RequireUser()(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusCreated)
	})))
	// The app's own call, answered with WriteError when it fails.
	mux.HandleFunc("GET /profile", func(w http.ResponseWriter, r *http.Request) {
		res, err := uh.Client.GetCurrentUser(r.Context(), &userharborv1.GetCurrentUserRequest{SessionToken: uh.SessionToken(r)})
		if uhhttp.WriteError(w, err) {
			return
		}
		_ = json.NewEncoder(w).Encode(map[string]string{"email": res.GetUser().GetEmail()})
	})
	server := httptest.NewServer(mux)
	t.Cleanup(server.Close)

	a := &app{url: server.URL, uh: uh, calls: calls}
	if cfg.URL == os.Getenv("UH_SERVER_URL") {
		conn, err := grpc.NewClient(strings.TrimPrefix(cfg.URL, "http://"), grpc.WithTransportCredentials(insecure.NewCredentials()))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { conn.Close() })
		a.accounts = userharborv1.NewAccountServiceClient(conn)
		a.admin = userharborv1.NewAdminServiceClient(conn)
	}
	return a
}

// reply is an answer read whole.
type reply struct {
	*http.Response
	body []byte
}

func (r reply) cookie(name string) *http.Cookie {
	for _, c := range r.Cookies() {
		if c.Name == name {
			return c
		}
	}
	return nil
}

func (r reply) json(t *testing.T) map[string]any {
	t.Helper()
	var v map[string]any
	if err := json.Unmarshal(r.body, &v); err != nil {
		t.Fatalf("%d %s: %v", r.StatusCode, r.body, err)
	}
	return v
}

// send makes one request with exactly the headers given (cookies by hand), from an optional
// local address.
func send(t *testing.T, method, url, body string, headers map[string]string, localAddr ...string) reply {
	t.Helper()
	var reader io.Reader
	if body != "" {
		reader = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, url, reader)
	if err != nil {
		t.Fatal(err)
	}
	for name, value := range headers {
		req.Header.Set(name, value)
	}
	transport := &http.Transport{}
	if len(localAddr) > 0 {
		dialer := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(localAddr[0])}}
		transport.DialContext = dialer.DialContext
	}
	defer transport.CloseIdleConnections()
	res, err := (&http.Client{Transport: transport, Timeout: 10 * time.Second}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return reply{res, data}
}

func expectProblem(t *testing.T, r reply, status int, code string) {
	t.Helper()
	if r.StatusCode != status || r.Header.Get("Content-Type") != "application/problem+json" {
		t.Fatalf("want %d problem+json, got %d %s: %s", status, r.StatusCode, r.Header.Get("Content-Type"), r.body)
	}
	if got := r.json(t)["code"]; got != code {
		t.Fatalf("code %v, want %s: %s", got, code, r.body)
	}
	for _, secret := range []string{"127.0.0.1", "uhs_", "uhd_", "goroutine", ".go:"} {
		if strings.Contains(string(r.body), secret) {
			t.Fatalf("the problem shows %q: %s", secret, r.body)
		}
	}
}

// user is a registered account signed in through the app's /login.
type user struct {
	name, id string
	login    reply
	cookies  string // Cookie header: session and assertion
}

func (a *app) newUser(t *testing.T, names uhhttp.CookieNames, headers map[string]string, localAddr ...string) user {
	t.Helper()
	name := "gohttp" + strings.ToLower(rand.Text()[:10])
	reg, err := a.accounts.Register(context.Background(), &userharborv1.RegisterRequest{Username: name, Email: name + "@example.com", Password: password})
	if err != nil {
		t.Fatal(err)
	}
	if headers == nil {
		headers = map[string]string{}
	}
	headers["Content-Type"] = "application/json"
	login := send(t, "POST", a.url+"/login", `{"username":"`+name+`","password":"`+password+`"}`, headers, localAddr...)
	if login.StatusCode != 200 {
		t.Fatalf("login: %d %s", login.StatusCode, login.body)
	}
	jar := names.Session + "=" + login.cookie(names.Session).Value + "; " + names.Assertion + "=" + login.cookie(names.Assertion).Value
	return user{name, reg.GetUser().GetId(), login, jar}
}

// silentServer accepts connections and never answers.
func silentServer(t *testing.T) string {
	t.Helper()
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var held []net.Conn
	var mu sync.Mutex
	go func() {
		for {
			conn, err := listener.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			held = append(held, conn)
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		listener.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, conn := range held {
			conn.Close()
		}
	})
	return "http://" + listener.Addr().String()
}

type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
