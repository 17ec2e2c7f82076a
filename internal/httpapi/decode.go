package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"reflect"
	"strings"
	"time"

	"github.com/caredesk/caredesk/internal/care"
)

// decode reads the request body, a single JSON object, into v. Unknown
// fields, wrong types, trailing data, a wrong Content-Type and oversize
// bodies are refused with a problem that says what and where.
func (a *API) decode(w http.ResponseWriter, r *http.Request, v any) error {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
		return care.Errorf(eMediaType, "Send the body as JSON with Content-Type: application/json.")
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, a.opts.MaxBody))
	if err != nil {
		return decodeError(err)
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		if name, ok := unknownField(err); ok {
			return malformed(fieldPath(body, reflect.TypeOf(v), name), "is not a known field")
		}
		return decodeError(err)
	}
	var extra json.RawMessage
	if err := dec.Decode(&extra); errors.Is(err, io.EOF) {
		return nil
	}
	return malformed("body", "must hold a single JSON value; unexpected data after offset %d", dec.InputOffset())
}

// unknownField recognises the decoder's error for a field the DTO lacks.
func unknownField(err error) (string, bool) {
	const prefix = `json: unknown field "`
	if msg := err.Error(); strings.HasPrefix(msg, prefix) {
		return strings.TrimSuffix(strings.TrimPrefix(msg, prefix), `"`), true
	}
	return "", false
}

// fieldPath finds where in body the unknown field name sits, as a dotted
// path ("interaction.colour"), by walking the JSON beside the DTO type t;
// the decoder's own error gives only the bare name.
func fieldPath(body []byte, t reflect.Type, name string) string {
	var doc any
	if json.Unmarshal(body, &doc) != nil {
		return name
	}
	if path, ok := findUnknown(doc, t, name, ""); ok {
		return path
	}
	return name
}

func findUnknown(v any, t reflect.Type, name, prefix string) (string, bool) {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
		t = t.Elem()
	}
	switch x := v.(type) {
	case []any:
		for _, e := range x {
			if p, ok := findUnknown(e, t, name, prefix); ok {
				return p, true
			}
		}
	case map[string]any:
		if t.Kind() != reflect.Struct {
			return "", false
		}
		for key, val := range x {
			f, known := jsonField(t, key)
			switch {
			case !known && key == name:
				return prefix + key, true
			case known:
				if p, ok := findUnknown(val, f.Type, name, prefix+key+"."); ok {
					return p, true
				}
			}
		}
	}
	return "", false
}

// jsonField returns the struct field that decodes the JSON key, matched
// case-insensitively as encoding/json does.
func jsonField(t reflect.Type, key string) (reflect.StructField, bool) {
	for i := range t.NumField() {
		f := t.Field(i)
		tag, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if tag != "" && tag != "-" && strings.EqualFold(tag, key) {
			return f, true
		}
	}
	return reflect.StructField{}, false
}

// malformed returns an error for a request that cannot be parsed, naming field.
func malformed(field, format string, args ...any) error {
	e := care.Invalid(field, format, args...)
	e.Code, e.Message = eMalformed, "The request cannot be parsed."
	return e
}

// decodeError turns a json.Decoder error into a problem naming the field.
func decodeError(err error) error {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &mbe):
		return care.Errorf(care.ETOOLARGE, "The body is larger than %d bytes.", mbe.Limit)
	case errors.Is(err, io.EOF):
		return malformed("body", "is empty; send a JSON object")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return malformed("body", "ends before the JSON value is complete")
	case errors.As(err, &syntax):
		return malformed("body", "is not valid JSON at offset %d: %s", syntax.Offset,
			strings.TrimPrefix(syntax.Error(), "json: "))
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			field = "body"
		}
		return malformed(field, "%s", typeMessage(typ.Type))
	}
	return malformed("body", "cannot be read: %v", err)
}

var (
	timeType  = reflect.TypeFor[time.Time]()
	dateType  = reflect.TypeFor[date]()
	moneyType = reflect.TypeFor[money]()
)

// typeMessage says what a field should have held.
func typeMessage(t reflect.Type) string {
	switch t {
	case timeType:
		return "must be an RFC 3339 time such as 2026-01-31T09:30:00Z"
	case dateType:
		return "must be a date such as 2026-01-31"
	case moneyType:
		return `must be an amount such as 123.45 or "123.45"`
	}
	switch t.Kind() {
	case reflect.String:
		return "must be a string"
	case reflect.Bool:
		return "must be true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "must be an integer"
	case reflect.Float32, reflect.Float64:
		return "must be a number"
	case reflect.Slice, reflect.Array:
		return "must be an array"
	case reflect.Struct, reflect.Map:
		return "must be an object"
	}
	return "has the wrong type"
}

// typeError makes a custom unmarshaler's failure look like the decoder's
// own, so that the decoder fills in the field's path.
func typeError(value string, t reflect.Type) error {
	return &json.UnmarshalTypeError{Value: value, Type: t}
}

// timestamp is an RFC 3339 time in a request; null or absent is the zero time.
type timestamp struct{ time.Time }

// UnmarshalJSON implements json.Unmarshaler.
func (t *timestamp) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		t.Time = time.Time{}
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return typeError("non-string", timeType)
	}
	v, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return typeError("string", timeType)
	}
	t.Time = v.UTC()
	return nil
}

// date is a calendar date (YYYY-MM-DD) in a request, as midnight UTC.
type date struct{ time.Time }

// UnmarshalJSON implements json.Unmarshaler.
func (d *date) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		d.Time = time.Time{}
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return typeError("non-string", dateType)
	}
	v, err := care.ParseDate(s)
	if err != nil {
		return typeError("string", dateType)
	}
	d.Time = v
	return nil
}

// money is an amount in a request, given as a JSON number or a decimal
// string. It keeps the text: care.ParseMoney decides, so that 123.456 is
// refused rather than rounded through a float.
type money struct {
	text string
	set  bool
}

// UnmarshalJSON implements json.Unmarshaler.
func (m *money) UnmarshalJSON(b []byte) error {
	s := string(b)
	switch {
	case s == "null":
		*m = money{}
		return nil
	case strings.HasPrefix(s, `"`):
		if err := json.Unmarshal(b, &m.text); err != nil {
			return typeError("string", moneyType)
		}
	case s != "" && (s[0] == '-' || s[0] >= '0' && s[0] <= '9'):
		m.text = s
	default:
		return typeError("non-number", moneyType)
	}
	m.set = true
	return nil
}

// minor returns the amount in minor units, or an EINVALID error naming field.
func (m money) minor(field string) (int64, error) {
	if !m.set {
		return 0, nil
	}
	v, err := care.ParseMoney(m.text)
	if err != nil {
		return 0, care.Invalid(field, "must be an amount with at most two decimal places, such as 123.45")
	}
	return v, nil
}

// optional is a PATCH field: absent leaves the value unchanged, null clears
// it (where clearing makes sense), and a value sets it.
type optional[T any] struct {
	Set, Null bool
	V         T
}

// UnmarshalJSON implements json.Unmarshaler.
func (o *optional[T]) UnmarshalJSON(b []byte) error {
	o.Set = true
	if string(b) == "null" {
		o.Null = true
		return nil
	}
	return json.Unmarshal(b, &o.V)
}

// ptr returns nil when the field was absent, else a pointer to its value
// (the zero value for null).
func (o optional[T]) ptr() *T {
	if !o.Set {
		return nil
	}
	v := o.V
	return &v
}
