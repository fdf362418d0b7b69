package store

// Access tokens, one per tenant ("" = the home tenant). A Token is a secret and never shows
// its value when printed or logged.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"time"
)

// Token is a stored access token. It is a secret: String and LogValue never show Value.
type Token struct {
	Value  string
	Expiry time.Time
}

func (t Token) String() string {
	return fmt.Sprintf("token(redacted, expires %s)", t.Expiry.UTC().Format(time.RFC3339))
}

// LogValue keeps the value out of slog records.
func (t Token) LogValue() slog.Value { return slog.StringValue(t.String()) }

// Format keeps the value out of fmt's %v, %+v and %#v.
func (t Token) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(t.String())) }

// Token returns the stored access token of API client clientID in tenant cid ("" = the home
// tenant), if any, expired or not.
func (s *Store) Token(ctx context.Context, clientID, cid string) (Token, bool, error) {
	db, err := s.conn()
	if err != nil {
		return Token{}, false, err
	}
	var t Token
	var exp int64
	err = db.QueryRowContext(ctx, `SELECT token, expires FROM tokens WHERE client_id=? AND cid=?`, clientID, cid).Scan(&t.Value, &exp)
	if errors.Is(err, sql.ErrNoRows) {
		return Token{}, false, nil
	}
	if err != nil {
		return Token{}, false, classify(err)
	}
	t.Expiry = fromUnix(exp)
	return t, true, nil
}

// PutToken stores the access token of API client clientID in tenant cid ("" = the home
// tenant); an empty value deletes it.
func (s *Store) PutToken(ctx context.Context, clientID, cid string, t Token) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		if t.Value == "" {
			_, err := tx.ExecContext(ctx, `DELETE FROM tokens WHERE client_id=? AND cid=?`, clientID, cid)
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO tokens(client_id, cid, token, expires) VALUES(?,?,?,?)`,
			clientID, cid, t.Value, unix(t.Expiry))
		return err
	})
}
