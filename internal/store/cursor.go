package store

import (
	"encoding/base64"
	"encoding/json"

	"caseboard/internal/fault"
)

// cursor is a keyset position: the sort key and id of the last row of a
// page. Lists resume after it with WHERE (key, id) > (?, ?), which costs the
// same on page 1,000 as on page 1, unlike OFFSET.
type cursor struct {
	Key string `json:"k"`
	ID  int64  `json:"i"`
}

func (c cursor) encode() string {
	raw, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(raw)
}

func decodeCursor(s string) (cursor, error) {
	var c cursor
	if s == "" {
		return c, nil
	}
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || json.Unmarshal(raw, &c) != nil || c.ID <= 0 {
		return cursor{}, &fault.Error{Code: fault.Invalid, Message: "the page cursor is not one this list gave out",
			Fields: []fault.FieldError{{Field: "cursor", Message: "Start again from the first page"}}}
	}
	return c, nil
}
