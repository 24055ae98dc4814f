package storage

import (
	"encoding/json"
	"fmt"
	"runtime"
	"sync"

	bolt "go.etcd.io/bbolt"

	"github.com/maillage/maillage/catalogue"
)

// loadIndex builds the search index from every stored place and event,
// decoding on all cores.
func (s *Store) loadIndex() error {
	s.index = catalogue.NewIndex(s.now())
	return s.db.View(func(tx *bolt.Tx) error {
		err := decodeAll(tx.Bucket(bucketPlaces), func(data []byte) error {
			var p catalogue.Place
			if err := json.Unmarshal(data, &p); err != nil {
				return err
			}
			s.index.PutPlace(&p)
			return nil
		})
		if err != nil {
			return fmt.Errorf("index places: %w", err)
		}
		err = decodeAll(tx.Bucket(bucketEvents), func(data []byte) error {
			var e catalogue.Event
			if err := json.Unmarshal(data, &e); err != nil {
				return err
			}
			s.index.PutEvent(&e)
			return nil
		})
		if err != nil {
			return fmt.Errorf("index events: %w", err)
		}
		return nil
	})
}

// decodeAll calls fn on every value of b from several goroutines. The
// values are only valid during the transaction, which outlives the call.
func decodeAll(b *bolt.Bucket, fn func([]byte) error) error {
	workers := runtime.GOMAXPROCS(0)
	values := make(chan []byte, 256)
	errs := make(chan error, workers)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for v := range values {
				if err := fn(v); err != nil {
					errs <- err
					for range values { // drain so the producer ends
					}
					return
				}
			}
		}()
	}
	c := b.Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		values <- v
	}
	close(values)
	wg.Wait()
	select {
	case err := <-errs:
		return err
	default:
		return nil
	}
}
