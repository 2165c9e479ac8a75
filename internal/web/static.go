package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"time"
)

// asset is one embedded static file with its content hash.
type asset struct {
	body []byte
	etag string
	ver  string
}

// assets are the embedded static files, hashed once: pages link them as
// /static/NAME?v=HASH, so that they can be cached for a year and a new
// build's stylesheet still reaches every reader at once.
var assets = func() map[string]asset {
	out := map[string]asset{}
	sub := staticSub()
	err := fs.WalkDir(sub, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(sub, p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		v := hex.EncodeToString(sum[:6])
		out[p] = asset{body: b, etag: `"` + v + `"`, ver: v}
		return nil
	})
	if err != nil {
		panic(err) // the embedded folder is part of the build
	}
	return out
}()

// staticURL is the versioned address of an embedded file.
func staticURL(name string) string {
	return "/static/" + name + "?v=" + assets[name].ver
}

// static serves an embedded file with a long cache lifetime and an ETag
// (ServeContent answers If-None-Match with 304).
func (s *server) static(w http.ResponseWriter, r *http.Request) error {
	name := r.PathValue("file")
	a, ok := assets[name]
	if !ok {
		return errNotFound
	}
	h := w.Header()
	if ct := mime.TypeByExtension(path.Ext(name)); ct != "" {
		h.Set("Content-Type", ct)
	}
	h.Set("ETag", a.etag)
	if r.URL.Query().Get("v") == a.ver {
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		// An unversioned or stale address: cache, but check back.
		h.Set("Cache-Control", "public, max-age=3600")
	}
	http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(a.body))
	return nil
}
