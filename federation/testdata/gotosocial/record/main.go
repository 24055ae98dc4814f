// Command record helps record a real GoToSocial's documents as fixtures
// (see ../README.md). It is not part of Maillage: it lives under testdata
// so that `go build ./...` and `go vet ./...` skip it; run it with
// `go run ./federation/testdata/gotosocial/record MODE ...`.
//
//	proxy  -listen 127.0.0.1:8090 -to http://127.0.0.1:8091 -out DIR
//	       forwards every request to Maillage unchanged (Host kept, so
//	       signatures still verify) and writes each POST, with its headers
//	       and exact body, to DIR/NNN-TYPE.json
//	fetch  -data DIR -url http://127.0.0.1:8090 -get IRI -out FILE
//	       a GET signed with the Maillage instance's key (the server must
//	       be stopped: the store is opened), saved with its headers
//	answer -data DIR -url http://127.0.0.1:8090 -text TEXT
//	       answers the newest message with the editors' function and
//	       delivers it (the server must be stopped)
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/maillage/maillage/federation"
	"github.com/maillage/maillage/storage"
)

// Recorded is one request as received.
type Recorded struct {
	Method  string            `json:"method"`
	Path    string            `json:"path"`
	Host    string            `json:"host"`
	Headers map[string]string `json:"headers"`
	Body    string            `json:"body"`
	Status  int               `json:"status,omitempty"` // what Maillage answered
}

func main() {
	if len(os.Args) < 2 {
		log.Fatal("usage: record proxy|fetch|answer ...")
	}
	fs := flag.NewFlagSet(os.Args[1], flag.ExitOnError)
	listen := fs.String("listen", "127.0.0.1:8090", "")
	to := fs.String("to", "http://127.0.0.1:8091", "")
	out := fs.String("out", "", "")
	data := fs.String("data", "", "")
	base := fs.String("url", "http://127.0.0.1:8090", "")
	get := fs.String("get", "", "")
	text := fs.String("text", "", "")
	fs.Parse(os.Args[2:])
	switch os.Args[1] {
	case "proxy":
		proxy(*listen, *to, *out)
	case "fetch":
		svc, st := open(*data, *base)
		defer st.Close()
		defer svc.Close()
		fetch(svc, *get, *out)
	case "answer":
		svc, st := open(*data, *base)
		defer st.Close()
		defer svc.Close()
		msgs, err := st.Messages()
		if err != nil || len(msgs) == 0 {
			log.Fatalf("no message to answer (%v)", err)
		}
		m, err := svc.AnswerMessage(msgs[0].ID, *text)
		if err != nil {
			log.Fatal(err)
		}
		n := svc.DeliverDue(context.Background())
		fmt.Printf("answered %s (%s): %d deliveries\n", m.NoteID, m.Handle, n)
	}
}

func proxy(listen, to, out string) {
	target, err := url.Parse(to)
	if err != nil {
		log.Fatal(err)
	}
	rp := httputil.NewSingleHostReverseProxy(target)
	director := rp.Director
	rp.Director = func(r *http.Request) {
		host := r.Host
		director(r)
		r.Host = host // the signature covers it
	}
	var mu sync.Mutex
	n := 0
	http.ListenAndServe(listen, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		rec := &statusRecorder{ResponseWriter: w, status: 200}
		rp.ServeHTTP(rec, r)
		log.Printf("%s %s %d", r.Method, r.URL, rec.status)
		if r.Method != http.MethodPost {
			return
		}
		h := map[string]string{}
		for k := range r.Header {
			h[k] = r.Header.Get(k)
		}
		var doc struct{ Type string }
		json.Unmarshal(body, &doc)
		mu.Lock()
		n++
		name := filepath.Join(out, fmt.Sprintf("%03d-%s.json", n, doc.Type))
		mu.Unlock()
		data, _ := json.MarshalIndent(Recorded{Method: r.Method, Path: r.URL.RequestURI(), Host: r.Host, Headers: h, Body: string(body), Status: rec.status}, "", "  ")
		if err := os.WriteFile(name, append(data, '\n'), 0o644); err != nil {
			log.Print(err)
		}
	}))
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) { r.status = code; r.ResponseWriter.WriteHeader(code) }

func open(data, base string) (*federation.Service, *storage.Store) {
	st, err := storage.Open(data, storage.Options{BaseURL: base})
	if err != nil {
		log.Fatal(err)
	}
	svc, err := federation.New(federation.Config{Store: st, BaseURL: base, AllowPrivate: true})
	if err != nil {
		log.Fatal(err)
	}
	return svc, st
}

func fetch(svc *federation.Service, iri, out string) {
	req, _ := http.NewRequest(http.MethodGet, iri, nil)
	req.Header.Set("Accept", federation.ContentType)
	if err := svc.SignGet(req, time.Now()); err != nil {
		log.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		log.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	h := map[string]string{}
	for k := range resp.Header {
		h[k] = resp.Header.Get(k)
	}
	data, _ := json.MarshalIndent(Recorded{Method: "GET", Path: iri, Headers: h, Body: string(body), Status: resp.StatusCode}, "", "  ")
	if err := os.WriteFile(out, append(data, '\n'), 0o644); err != nil {
		log.Fatal(err)
	}
	fmt.Println(resp.Status, len(body), "bytes")
}
