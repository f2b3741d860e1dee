// Command logcheck checks a Fazhi log over HTTP with Go's reference implementation of signed
// notes and Merkle tiles (golang.org/x/mod/sumdb/note and .../tlog) and nothing of Fazhi's own
// code: it opens the signed checkpoint with the log's key (and any witness keys), authenticates
// the C2SP tiles against the checkpoint's root, recomputes inclusion proofs for a sample of
// leaves and a consistency proof, and checks that the log's own proof endpoints serve the same
// proofs. It exits 0 with a one-line summary, 1 with the first failure, 2 on a usage error.
//
//	GOPATH=/usr/share/gocode GO111MODULE=off go run interop/go/logcheck/main.go \
//	    -log http://127.0.0.1:8080/log -key 'fazhi-log/999902+1a2b3c4d+AR...'
//
// The log is given by its base URL: <base>/checkpoint, <base>/tile/<L>/<N>[.p/<W>],
// <base>/proof/inclusion?index=&size= and <base>/proof/consistency?old=&new= (see README.md).
// Each jurisdiction's log has its own base, http://host/j/<code>/log, and its checkpoint carries
// the witness signature of the jurisdiction above once it cosigned it (-witness, -cosigner).
package main

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// The C2SP tlog-tiles height: a tile spans 8 levels of the tree and holds up to 256 hashes.
const tileHeight = 8

// The signed-note type byte of C2SP tlog-cosignature v1 (Ed25519) cosignatures.
const algCosignatureV1 = 0x04

type keyList []string

func (k *keyList) String() string     { return strings.Join(*k, ",") }
func (k *keyList) Set(v string) error { *k = append(*k, v); return nil }

func main() {
	var (
		base       = flag.String("log", "", "the log's base URL, e.g. http://127.0.0.1:8080/log")
		logKey     = flag.String("key", "", "the log's note verifier key; its name is the checkpoint's origin")
		witnesses  keyList
		cosigners  keyList
		checkpoint = flag.String("checkpoint", "", "read the signed checkpoint from this file instead of <log>/checkpoint")
		previous   = flag.String("previous", "", "a signed checkpoint saved earlier: the current one must extend it")
		samples    = flag.Int("samples", 16, "how many leaves to prove inclusion of")
	)
	flag.Var(&witnesses, "witness", "a witness's note verifier key whose Ed25519 signature must be on the checkpoint (repeatable)")
	flag.Var(&cosigners, "cosigner", "a C2SP cosignature/v1 key (type 0x04, or the type 0x01 note key of the same name) whose cosignature must be on the checkpoint (repeatable)")
	flag.Parse()
	if *base == "" || *logKey == "" || flag.NArg() != 0 || *samples < 1 {
		fmt.Fprintln(os.Stderr, "usage: logcheck -log BASEURL -key VKEY [-witness VKEY]... [-cosigner VKEY]... [-checkpoint FILE] [-previous FILE] [-samples N]")
		os.Exit(2)
	}
	c := &checker{base: strings.TrimSuffix(*base, "/"), client: &http.Client{Timeout: 30 * time.Second}}
	summary, err := c.run(*logKey, witnesses, cosigners, *checkpoint, *previous, *samples)
	if err != nil {
		fmt.Fprintf(os.Stderr, "logcheck: FAILED: %v\n", err)
		os.Exit(1)
	}
	fmt.Println("logcheck: OK " + summary)
}

type checker struct {
	base   string
	client *http.Client
	tiles  map[tlog.Tile][]byte // fetched tiles; tlog re-authenticates them on every read
}

func (c *checker) run(logKey string, witnesses, cosigners []string, checkpointFile, previousFile string, samples int) (string, error) {
	logVerifier, err := note.NewVerifier(logKey)
	if err != nil {
		return "", fmt.Errorf("the log key %q: %v", logKey, err)
	}
	verifiers := []note.Verifier{logVerifier}
	for _, key := range witnesses {
		v, err := note.NewVerifier(key)
		if err != nil {
			return "", fmt.Errorf("the witness key %q: %v", key, err)
		}
		verifiers = append(verifiers, v)
	}
	var cosigs []cosigner
	for _, key := range cosigners {
		cs, err := parseCosigner(key)
		if err != nil {
			return "", fmt.Errorf("the cosigner key %q: %v", key, err)
		}
		cosigs = append(cosigs, cs)
	}

	var msg []byte
	if checkpointFile != "" {
		msg, err = os.ReadFile(checkpointFile)
	} else {
		msg, err = c.get("/checkpoint")
	}
	if err != nil {
		return "", fmt.Errorf("reading the checkpoint: %v", err)
	}
	tree, n, err := openCheckpoint(msg, logVerifier.Name(), verifiers)
	if err != nil {
		return "", fmt.Errorf("the checkpoint: %v", err)
	}
	var cosigned []string
	for _, cs := range cosigs {
		ts, err := cs.verify(n)
		if err != nil {
			return "", fmt.Errorf("the checkpoint: %v", err)
		}
		cosigned = append(cosigned, fmt.Sprintf("%s@%s", cs.name, time.Unix(int64(ts), 0).UTC().Format(time.RFC3339)))
	}
	summary := fmt.Sprintf("origin=%s size=%d root=%s signatures=%d", logVerifier.Name(), tree.N, tree.Hash, len(verifiers))
	if len(cosigned) > 0 {
		summary += " cosignatures=" + strings.Join(cosigned, ",")
	}
	if tree.N == 0 {
		return summary + " (empty log: nothing to prove)", nil
	}

	// Every hash read through the tile reader is authenticated against the signed root.
	c.tiles = make(map[tlog.Tile][]byte)
	reader := tlog.TileHashReader(tree, c)
	root, err := tlog.TreeHash(tree.N, reader)
	if err != nil {
		return "", fmt.Errorf("the tiles: %v", err)
	}
	if root != tree.Hash {
		return "", fmt.Errorf("the tiles give root %s, the checkpoint %s", root, tree.Hash)
	}

	proved := 0
	for _, index := range sampleIndexes(tree.N, samples) {
		if err := c.checkInclusion(tree, reader, index); err != nil {
			return "", fmt.Errorf("leaf %d: %v", index, err)
		}
		proved++
	}

	var olds []string
	if tree.N >= 2 {
		old := tree.N / 2
		oldRoot, err := tlog.TreeHash(old, reader)
		if err != nil {
			return "", fmt.Errorf("the root at size %d: %v", old, err)
		}
		if err := c.checkConsistency(tree, reader, tlog.Tree{N: old, Hash: oldRoot}); err != nil {
			return "", fmt.Errorf("consistency from size %d: %v", old, err)
		}
		olds = append(olds, strconv.FormatInt(old, 10))
	}
	if previousFile != "" {
		prevMsg, err := os.ReadFile(previousFile)
		if err != nil {
			return "", fmt.Errorf("reading the previous checkpoint: %v", err)
		}
		prev, _, err := openCheckpoint(prevMsg, logVerifier.Name(), []note.Verifier{logVerifier})
		if err != nil {
			return "", fmt.Errorf("the previous checkpoint: %v", err)
		}
		switch {
		case prev.N > tree.N:
			return "", fmt.Errorf("rollback: the previous checkpoint has size %d, the current one %d", prev.N, tree.N)
		case prev.N == tree.N && prev.Hash != tree.Hash:
			return "", fmt.Errorf("fork: two roots for size %d: %s and %s", tree.N, prev.Hash, tree.Hash)
		case prev.N > 0 && prev.N < tree.N:
			if err := c.checkConsistency(tree, reader, prev); err != nil {
				return "", fmt.Errorf("consistency from the previous checkpoint (size %d): %v", prev.N, err)
			}
		}
		olds = append(olds, fmt.Sprintf("%d(previous)", prev.N))
	}
	summary += fmt.Sprintf(" tiles=%d inclusion=%d", len(c.tiles), proved)
	if len(olds) > 0 {
		summary += " consistency-from=" + strings.Join(olds, ",")
	}
	return summary, nil
}

// openCheckpoint opens a signed C2SP checkpoint: every verifier must have signed it (note.Open
// only fails when none did), and its origin line must be the log key's name.
func openCheckpoint(msg []byte, origin string, verifiers []note.Verifier) (tlog.Tree, *note.Note, error) {
	n, err := note.Open(msg, note.VerifierList(verifiers...))
	if err != nil {
		return tlog.Tree{}, nil, err
	}
	for _, v := range verifiers {
		signed := false
		for _, sig := range n.Sigs {
			signed = signed || (sig.Name == v.Name() && sig.Hash == v.KeyHash())
		}
		if !signed {
			return tlog.Tree{}, nil, fmt.Errorf("no signature by %s+%08x", v.Name(), v.KeyHash())
		}
	}
	tree, err := parseCheckpoint(n.Text, origin)
	return tree, n, err
}

// parseCheckpoint parses a C2SP tlog-checkpoint body: origin, decimal size, base64 root, then
// optional non-empty extension lines.
func parseCheckpoint(text, origin string) (tlog.Tree, error) {
	lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	if len(lines) < 3 {
		return tlog.Tree{}, fmt.Errorf("a checkpoint has at least 3 lines, this one %d", len(lines))
	}
	if lines[0] != origin {
		return tlog.Tree{}, fmt.Errorf("origin %q is not the log key's name %q", lines[0], origin)
	}
	size, err := strconv.ParseInt(lines[1], 10, 64)
	if err != nil || size < 0 || strconv.FormatInt(size, 10) != lines[1] {
		return tlog.Tree{}, fmt.Errorf("size line %q is not a decimal number", lines[1])
	}
	root, err := tlog.ParseHash(lines[2])
	if err != nil {
		return tlog.Tree{}, fmt.Errorf("root line %q: %v", lines[2], err)
	}
	for i, ext := range lines[3:] {
		if ext == "" {
			return tlog.Tree{}, fmt.Errorf("extension line %d is empty", i+4)
		}
	}
	return tlog.Tree{N: size, Hash: root}, nil
}

// sampleIndexes returns up to k leaf indexes spread over [0, n): the first, the last, and
// evenly spaced ones between.
func sampleIndexes(n int64, k int) []int64 {
	if int64(k) > n {
		k = int(n)
	}
	seen := make(map[int64]bool)
	var out []int64
	for i := 0; i < k; i++ {
		index := n - 1
		if k > 1 {
			index = int64(i) * (n - 1) / int64(k-1)
		}
		if !seen[index] {
			seen[index] = true
			out = append(out, index)
		}
	}
	return out
}

type inclusionDoc struct {
	LeafIndex int64       `json:"leaf_index"`
	TreeSize  int64       `json:"tree_size"`
	Hashes    []tlog.Hash `json:"hashes"`
}

type consistencyDoc struct {
	OldSize int64       `json:"old_size"`
	NewSize int64       `json:"new_size"`
	Hashes  []tlog.Hash `json:"hashes"`
}

// checkInclusion proves leaf index from the tiles with tlog and checks the log's own proof.
func (c *checker) checkInclusion(tree tlog.Tree, reader tlog.HashReader, index int64) error {
	leaves, err := reader.ReadHashes([]int64{tlog.StoredHashIndex(0, index)})
	if err != nil {
		return fmt.Errorf("reading the leaf hash: %v", err)
	}
	leaf := leaves[0]
	proof, err := tlog.ProveRecord(tree.N, index, reader)
	if err != nil {
		return fmt.Errorf("tlog.ProveRecord: %v", err)
	}
	if err := tlog.CheckRecord(proof, tree.N, tree.Hash, index, leaf); err != nil {
		return fmt.Errorf("tlog.CheckRecord on the proof from tiles: %v", err)
	}
	var doc inclusionDoc
	if err := c.getJSON(fmt.Sprintf("/proof/inclusion?index=%d&size=%d", index, tree.N), &doc); err != nil {
		return err
	}
	if doc.LeafIndex != index || doc.TreeSize != tree.N {
		return fmt.Errorf("the log's inclusion proof is for leaf %d in size %d", doc.LeafIndex, doc.TreeSize)
	}
	if err := tlog.CheckRecord(doc.Hashes, tree.N, tree.Hash, index, leaf); err != nil {
		return fmt.Errorf("tlog.CheckRecord on the log's inclusion proof: %v", err)
	}
	if !sameHashes(doc.Hashes, proof) {
		return errors.New("the log's inclusion proof differs from tlog.ProveRecord's")
	}
	return nil
}

// checkConsistency checks the log's consistency proof from old to tree, and tlog's from tiles.
func (c *checker) checkConsistency(tree tlog.Tree, reader tlog.HashReader, old tlog.Tree) error {
	proof, err := tlog.ProveTree(tree.N, old.N, reader)
	if err != nil {
		return fmt.Errorf("tlog.ProveTree: %v", err)
	}
	if err := tlog.CheckTree(proof, tree.N, tree.Hash, old.N, old.Hash); err != nil {
		return fmt.Errorf("tlog.CheckTree on the proof from tiles: %v", err)
	}
	var doc consistencyDoc
	if err := c.getJSON(fmt.Sprintf("/proof/consistency?old=%d&new=%d", old.N, tree.N), &doc); err != nil {
		return err
	}
	if doc.OldSize != old.N || doc.NewSize != tree.N {
		return fmt.Errorf("the log's consistency proof is from size %d to %d", doc.OldSize, doc.NewSize)
	}
	if err := tlog.CheckTree(doc.Hashes, tree.N, tree.Hash, old.N, old.Hash); err != nil {
		return fmt.Errorf("tlog.CheckTree on the log's consistency proof: %v", err)
	}
	if !sameHashes(doc.Hashes, proof) {
		return errors.New("the log's consistency proof differs from tlog.ProveTree's")
	}
	return nil
}

func sameHashes(a, b []tlog.Hash) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// Height, ReadTiles and SaveTiles make the checker a tlog.TileReader over the log's C2SP tile
// URLs: C2SP paths are Go's tile paths without the height (tile/8/0/001 is tile/0/001).
func (c *checker) Height() int { return tileHeight }

func (c *checker) ReadTiles(tiles []tlog.Tile) ([][]byte, error) {
	data := make([][]byte, len(tiles))
	for i, t := range tiles {
		if cached, ok := c.tiles[t]; ok {
			data[i] = cached
			continue
		}
		goPath := t.Path()
		prefix := fmt.Sprintf("tile/%d/", tileHeight)
		if !strings.HasPrefix(goPath, prefix) || t.L < 0 {
			return nil, fmt.Errorf("unexpected tile %s", goPath)
		}
		path := "/tile/" + strings.TrimPrefix(goPath, prefix)
		body, err := c.get(path)
		if err != nil {
			return nil, fmt.Errorf("tile %s: %v", path, err)
		}
		if len(body) != t.W*tlog.HashSize {
			return nil, fmt.Errorf("tile %s has %d bytes, expected %d", path, len(body), t.W*tlog.HashSize)
		}
		c.tiles[t] = body
		data[i] = body
	}
	return data, nil
}

func (c *checker) SaveTiles(tiles []tlog.Tile, data [][]byte) {}

func (c *checker) get(path string) ([]byte, error) {
	url := c.base + path
	resp, err := c.client.Get(url)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return nil, fmt.Errorf("GET %s: %v", url, err)
	}
	if resp.StatusCode != http.StatusOK {
		first, _, _ := strings.Cut(strings.TrimSpace(string(body)), "\n")
		if len(first) > 200 {
			first = first[:200] + "…"
		}
		return nil, fmt.Errorf("GET %s: %s: %s", url, resp.Status, first)
	}
	return body, nil
}

func (c *checker) getJSON(path string, v interface{}) error {
	body, err := c.get(path)
	if err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("GET %s%s: not the expected JSON: %v", c.base, path, err)
	}
	return nil
}

// A cosigner verifies C2SP tlog-cosignature v1 lines, which x/mod/sumdb/note does not know (it
// lists them in Note.UnverifiedSigs).
type cosigner struct {
	name string
	id   uint32
	key  ed25519.PublicKey
}

func keyID(name string, alg byte, key []byte) uint32 {
	h := sha256.New()
	h.Write([]byte(name))
	h.Write([]byte{'\n', alg})
	h.Write(key)
	return binary.BigEndian.Uint32(h.Sum(nil))
}

// parseCosigner reads <name>+<hex8 key id>+<base64(type || Ed25519 public key)>, type 0x04 (a
// cosignature key) or 0x01 (the same witness's note key).
func parseCosigner(vkey string) (cosigner, error) {
	parts := strings.SplitN(vkey, "+", 3)
	if len(parts) != 3 || parts[0] == "" {
		return cosigner{}, errors.New("expected <name>+<key id>+<public key>")
	}
	id, err := strconv.ParseUint(parts[1], 16, 32)
	if err != nil || len(parts[1]) != 8 {
		return cosigner{}, errors.New("the key id is not 8 hexadecimal digits")
	}
	raw, err := base64.StdEncoding.DecodeString(parts[2])
	if err != nil || len(raw) != 1+ed25519.PublicKeySize || (raw[0] != algCosignatureV1 && raw[0] != 1) {
		return cosigner{}, errors.New("not an Ed25519 key of type 0x04 or 0x01")
	}
	key := ed25519.PublicKey(raw[1:])
	if keyID(parts[0], raw[0], key) != uint32(id) {
		return cosigner{}, errors.New("the key id does not match the key")
	}
	return cosigner{name: parts[0], id: keyID(parts[0], algCosignatureV1, key), key: key}, nil
}

// verify checks the first cosignature line of this cosigner on n and returns its timestamp:
// base64(key id || u64 big-endian timestamp || Ed25519 signature of
// "cosignature/v1\ntime <timestamp>\n" || note text).
func (cs cosigner) verify(n *note.Note) (uint64, error) {
	for _, sig := range n.UnverifiedSigs {
		if sig.Name != cs.name || sig.Hash != cs.id {
			continue
		}
		raw, err := base64.StdEncoding.DecodeString(sig.Base64)
		if err != nil || len(raw) != 4+8+ed25519.SignatureSize {
			return 0, fmt.Errorf("the cosignature by %s is malformed", cs.name)
		}
		ts := binary.BigEndian.Uint64(raw[4:12])
		if ts >= 1<<63 {
			return 0, fmt.Errorf("the cosignature by %s has an invalid timestamp", cs.name)
		}
		msg := fmt.Sprintf("cosignature/v1\ntime %d\n%s", ts, n.Text)
		if !ed25519.Verify(cs.key, []byte(msg), raw[12:]) {
			return 0, fmt.Errorf("the cosignature by %s does not verify", cs.name)
		}
		return ts, nil
	}
	return 0, fmt.Errorf("no cosignature by %s+%08x", cs.name, cs.id)
}
