package falcon

import "time"

// retryPolicy says whether a failed attempt of a call is sent again, and after how long:
//
//	verdict of the attempt   sent again                                wait before it
//	done                     no                                        -
//	reauth (the token was    once per call, with a fresh token; not    none
//	refused: it expired      counted against maxRetries
//	early or was revoked)
//	retryNow (a 429: the     while retries remain, writes too          none here: the tenant's
//	gateway refused before                                             cooldown holds acquire
//	the service ran)
//	retryLater (5xx, reset,  while retries remain (exchange.once       backoff(n): exponential
//	garbled reply)           gives it only to reads and idempotent     from backoffBase, capped
//	                         writes)                                   at backoffMax, jittered
//
// The token endpoint's own retries (tenant.requestToken) use the same back-off.
type retryPolicy struct {
	maxRetries  int           // resends after 429s and transient failures
	backoffBase time.Duration // first back-off (jittered, doubled each time)
	backoffMax  time.Duration
}

// attempts is one call's progress against the policy.
type attempts struct {
	n        int // the current attempt, 1-based; a re-authenticated resend keeps its number
	reauthed bool
}

// next decides what follows an attempt that ended with verdict v: whether to send again,
// and the back-off to wait first.
func (p retryPolicy) next(a *attempts, v verdict) (again bool, wait time.Duration) {
	switch v {
	case reauth:
		if a.reauthed {
			return false, 0
		}
		a.reauthed = true
		return true, 0
	case retryNow, retryLater:
		if a.n > p.maxRetries {
			return false, 0
		}
		if v == retryLater {
			wait = p.backoff(a.n)
		}
		a.n++
		return true, wait
	}
	return false, 0
}

// backoff is the wait before retry n (1-based) of a transient failure.
func (p retryPolicy) backoff(n int) time.Duration { return backoff(p.backoffBase, p.backoffMax, n) }
