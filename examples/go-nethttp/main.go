// net/http with UserHarbor: examples/go-nethttp/run.sh builds and starts it (PORT,
// USERHARBOR_URL, USERHARBOR_API_KEY, TRUSTED_PROXIES). test/integrations/ runs it against a
// real server.
package main

import (
	"encoding/json"
	"log"
	"net/http"
	"os"
	"time"

	"github.com/userharbor/userharbor/sdk/go/uhhttp"
)

func main() {
	proxies, err := uhhttp.ParseTrustedProxies(os.Getenv("TRUSTED_PROXIES")) // e.g. 10.0.0.0/8
	if err != nil {
		log.Fatal(err)
	}
	uh, err := uhhttp.New(uhhttp.Config{
		URL:            os.Getenv("USERHARBOR_URL"),
		APIKey:         os.Getenv("USERHARBOR_API_KEY"),
		TrustedProxies: proxies,
	})
	if err != nil {
		log.Fatal(err)
	}

	mux := http.NewServeMux()
	mux.Handle("POST /login", uh.LoginHandler())
	mux.Handle("POST /logout", uh.LogoutHandler())
	me := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		user, _ := uhhttp.UserFrom(r.Context())
		json.NewEncoder(w).Encode(map[string]string{"id": user.AccountID, "username": user.Username})
	})
	mux.Handle("GET /me", uh.RequireUser()(me))
	mux.Handle("GET /me/strict", uh.RequireUser(uhhttp.Strict())(me))

	server := &http.Server{Addr: "127.0.0.1:" + os.Getenv("PORT"), Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	log.Printf("go-nethttp example listening on %s", server.Addr)
	log.Fatal(server.ListenAndServe())
}
