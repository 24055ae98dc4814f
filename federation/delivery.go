package federation

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"time"

	"github.com/maillage/maillage/storage"
)

// Retry policy of deliveries: capped exponential backoff, given up after
// GiveUpAfter (more than the 48 hours a peer may be down).
const (
	firstRetry  = 30 * time.Second
	maxRetry    = 4 * time.Hour
	GiveUpAfter = 72 * time.Hour
	// idlePoll bounds how long the loop sleeps, so that retries fall due
	// even without a wake-up.
	idlePoll = 5 * time.Second
)

// backoff is the delay before attempt n+1.
func backoff(attempts int) time.Duration {
	d := firstRetry
	for i := 0; i < attempts && d < maxRetry; i++ {
		d *= 2
	}
	return min(d, maxRetry)
}

func (s *Service) deliverLoop() {
	defer s.wg.Done()
	for {
		s.background("delivery round", func() { s.DeliverDue(context.Background()) })
		wait := idlePoll
		if due, ok := s.store.NextDelivery(); ok {
			wait = min(max(time.Until(due), 10*time.Millisecond), idlePoll)
		}
		timer := time.NewTimer(wait)
		select {
		case <-s.stop:
			timer.Stop()
			return
		case <-s.wake:
		case <-timer.C:
		}
		timer.Stop()
	}
}

// DeliverDue sends every delivery due now, with Config.Workers at a time,
// and returns how many were attempted. Tests with a fake clock call it
// directly.
func (s *Service) DeliverDue(ctx context.Context) int {
	attempted := 0
	for {
		due, err := s.store.DueDeliveries(s.now(), 200)
		if err != nil {
			s.log.Error("delivery queue", "err", err)
			return attempted
		}
		if len(due) == 0 {
			return attempted
		}
		jobs := make(chan storage.Delivery)
		var wg sync.WaitGroup
		for range min(s.cfg.Workers, len(due)) {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for d := range jobs {
					s.deliverSafely(ctx, d)
				}
			}()
		}
		for _, d := range due {
			jobs <- d
		}
		close(jobs)
		wg.Wait()
		attempted += len(due)
		select {
		case <-s.stop:
			return attempted
		default:
		}
	}
}

// deliver posts one delivery and finishes it, or puts it back for later.
func (s *Service) deliver(ctx context.Context, d storage.Delivery) {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	resp, err := s.post(ctx, d.Inbox, d.Activity)
	now := s.now()
	retryAt := now.Add(backoff(d.Attempts))
	switch {
	case err == nil && resp.StatusCode < 300:
		s.cfg.Observer.Delivery(inboxHost(d.Inbox), "delivered")
		s.finish(d)
		return
	case err == nil && resp.StatusCode != http.StatusTooManyRequests && resp.StatusCode < 500:
		s.log.Warn("delivery refused, dropped", "inbox", d.Inbox, "status", resp.StatusCode)
		s.cfg.Observer.Delivery(inboxHost(d.Inbox), "refused")
		s.finish(d)
		return
	case err == nil:
		if ra := retryAfter(resp.Header.Get("Retry-After"), now); ra.After(retryAt) {
			retryAt = ra
		}
		s.log.Info("delivery postponed", "inbox", d.Inbox, "status", resp.StatusCode, "attempts", d.Attempts+1, "retry_at", retryAt)
	default:
		s.log.Info("delivery failed", "inbox", d.Inbox, "err", err, "attempts", d.Attempts+1, "retry_at", retryAt)
	}
	if now.Sub(d.Created) > GiveUpAfter {
		s.log.Warn("delivery given up", "inbox", d.Inbox, "attempts", d.Attempts+1, "since", d.Created)
		s.cfg.Observer.Delivery(inboxHost(d.Inbox), "given_up")
		s.finish(d)
		return
	}
	s.cfg.Observer.Delivery(inboxHost(d.Inbox), "retried")
	if err := s.store.RetryDelivery(d, retryAt); err != nil {
		s.log.Error("delivery queue", "err", err)
	}
}

// inboxHost is the host of an inbox URL, the label of delivery metrics.
func inboxHost(inbox string) string {
	if u, err := url.Parse(inbox); err == nil && u.Host != "" {
		return u.Host
	}
	return "?"
}

func (s *Service) finish(d storage.Delivery) {
	if err := s.store.FinishDelivery(d); err != nil {
		s.log.Error("delivery queue", "err", err)
	}
}

// retryAfter reads a Retry-After header: seconds or an HTTP date.
func retryAfter(v string, now time.Time) time.Time {
	if v == "" {
		return time.Time{}
	}
	if secs, err := strconv.Atoi(v); err == nil && secs >= 0 {
		return now.Add(time.Duration(min(secs, 86400)) * time.Second)
	}
	if t, err := http.ParseTime(v); err == nil {
		return t
	}
	return time.Time{}
}
