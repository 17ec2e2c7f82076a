package service

import (
	"context"
	"slices"
	"strings"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/letters"
	"github.com/caredesk/caredesk/internal/store"
)

// builtinAuthor names the author of the templates caredesk ships.
const builtinAuthor = "caredesk (built-in)"

// builtinTemplate returns caredesk's own version 1 of a template, or nil.
func builtinTemplate(kind, regime, language string) *care.LetterTemplate {
	subj, body, ok := letters.Default(kind, regime, language)
	if !ok {
		return nil
	}
	return &care.LetterTemplate{Kind: kind, Regime: regime, Language: language, Version: 1, Subject: subj, Body: body,
		Mandatory: care.MandatoryBlocks(kind, regime), AuthorName: builtinAuthor}
}

// templateInUse returns the template a letter is rendered from: the latest
// stored version, or the built-in one until an administrator edits it.
func templateInUse(ctx context.Context, tx *store.Tx, kind, regime, language string) (*care.LetterTemplate, error) {
	t, err := tx.FindLetterTemplate(ctx, kind, regime, language, 0)
	if care.ErrorCode(err) != care.ENOTFOUND {
		return t, err
	}
	if b := builtinTemplate(kind, regime, language); b != nil {
		return b, nil
	}
	return nil, care.Errorf(care.ENOTFOUND, "There is no %s template for %s in language %q; an administrator can write one.",
		strings.ToLower(care.LetterKindLabel(kind)), regime, language)
}

func checkTemplateKey(kind, regime, language string) error {
	var p care.Problems
	care.CheckTemplateKey(&p, kind, regime, language)
	return p.Err()
}

// FindLetterTemplates lists the template in use for every kind and regime
// in English, and every other language an administrator wrote, by kind,
// regime and language.
func (s *Service) FindLetterTemplates(ctx context.Context) ([]*care.LetterTemplate, error) {
	if err := care.ActorFromContext(ctx).Require(care.PermCaseRead); err != nil {
		return nil, err
	}
	var stored []*care.LetterTemplate
	if err := s.store.Read(ctx, func(tx *store.Tx) (err error) {
		stored, err = tx.FindLatestLetterTemplates(ctx)
		return err
	}); err != nil {
		return nil, err
	}
	key := func(t *care.LetterTemplate) string { return t.Kind + "/" + t.Regime + "/" + t.Language }
	byKey := map[string]*care.LetterTemplate{}
	for _, t := range stored {
		byKey[key(t)] = t
	}
	var out []*care.LetterTemplate
	for _, regime := range care.LetterRegimes {
		for _, kind := range care.LetterKindsFor(regime) {
			b := builtinTemplate(kind, regime, "en")
			if t, ok := byKey[key(b)]; ok {
				b = t
			}
			byKey[key(b)] = nil
			out = append(out, b)
		}
	}
	for _, t := range stored {
		if byKey[key(t)] != nil {
			out = append(out, t)
		}
	}
	slices.SortStableFunc(out, func(a, b *care.LetterTemplate) int {
		return strings.Compare(a.Language, b.Language)
	})
	return out, nil
}

// FindLetterTemplate returns the version of a template in use (version 0)
// or an earlier one.
func (s *Service) FindLetterTemplate(ctx context.Context, kind, regime, language string, version int) (*care.LetterTemplate, error) {
	if err := care.ActorFromContext(ctx).Require(care.PermCaseRead); err != nil {
		return nil, err
	}
	if err := checkTemplateKey(kind, regime, language); err != nil {
		return nil, err
	}
	var t *care.LetterTemplate
	err := s.store.Read(ctx, func(tx *store.Tx) (err error) {
		if version == 0 {
			t, err = templateInUse(ctx, tx, kind, regime, language)
			return err
		}
		t, err = tx.FindLetterTemplate(ctx, kind, regime, language, version)
		if care.ErrorCode(err) == care.ENOTFOUND && version == 1 {
			if b := builtinTemplate(kind, regime, language); b != nil {
				t, err = b, nil
			}
		}
		return err
	})
	return t, err
}

// FindLetterTemplateVersions lists every version of a template, newest
// first, ending with the built-in version 1 while it is not stored.
func (s *Service) FindLetterTemplateVersions(ctx context.Context, kind, regime, language string) ([]*care.LetterTemplate, error) {
	if err := care.ActorFromContext(ctx).Require(care.PermCaseRead); err != nil {
		return nil, err
	}
	if err := checkTemplateKey(kind, regime, language); err != nil {
		return nil, err
	}
	var out []*care.LetterTemplate
	err := s.store.Read(ctx, func(tx *store.Tx) (err error) {
		out, err = tx.FindLetterTemplateVersions(ctx, kind, regime, language)
		return err
	})
	if err != nil {
		return nil, err
	}
	if len(out) == 0 {
		if b := builtinTemplate(kind, regime, language); b != nil {
			out = append(out, b)
		}
	}
	if len(out) == 0 {
		return nil, care.Errorf(care.ENOTFOUND, "There is no %s template for %s in language %q.",
			strings.ToLower(care.LetterKindLabel(kind)), regime, language)
	}
	return out, nil
}

// SaveLetterTemplate stores an edit of a template as its next version
// (administrators). The template must parse, render the sample letter, and
// contain every block its kind must have under its regime; the pre-send
// check still refuses a letter whose block renders empty. The first edit
// of a built-in template stores the built-in text as version 1, so the
// history shows what changed.
func (s *Service) SaveLetterTemplate(ctx context.Context, t *care.LetterTemplate) error {
	actor := care.ActorFromContext(ctx)
	if err := actor.Require(care.PermConfigAdmin); err != nil {
		return err
	}
	t.Subject, t.Note = strings.TrimSpace(t.Subject), strings.TrimSpace(t.Note)
	t.Body = strings.ReplaceAll(t.Body, "\r\n", "\n")
	var p care.Problems
	care.CheckTemplateKey(&p, t.Kind, t.Regime, t.Language)
	p.Required("subject", t.Subject)
	p.MaxLen("subject", t.Subject, 500)
	p.Required("body", t.Body)
	p.MaxLen("body", t.Body, 100_000)
	p.MaxLen("note", t.Note, 2_000)
	if err := p.Err(); err != nil {
		return err
	}
	tp, err := letters.Parse(t.Subject, t.Body)
	if err != nil {
		return err
	}
	t.Mandatory = care.MandatoryBlocks(t.Kind, t.Regime)
	if missing := missingBlocks(tp, t.Mandatory); len(missing) > 0 {
		for _, b := range missing {
			p.Add("body", "has no %q block: a %s must state %s ({{block %q .}}…{{end}})", b,
				strings.ToLower(care.LetterKindLabel(t.Kind)), care.BlockLabel(b), b)
		}
		return p.Err()
	}
	if _, err := tp.Render(letters.Sample(), t.Mandatory); err != nil {
		return err
	}
	t.AuthorID = actor.UserID
	return s.store.Write(ctx, func(tx *store.Tx) error {
		var err error
		if t.AuthorName, err = signerName(ctx, tx); err != nil {
			return err
		}
		cur, err := tx.FindLetterTemplate(ctx, t.Kind, t.Regime, t.Language, 0)
		switch {
		case care.ErrorCode(err) == care.ENOTFOUND:
			t.Version = 1
			if b := builtinTemplate(t.Kind, t.Regime, t.Language); b != nil {
				if err := tx.CreateLetterTemplate(ctx, b); err != nil {
					return err
				}
				t.Version = 2
			}
		case err != nil:
			return err
		default:
			t.Version = cur.Version + 1
		}
		t.CreatedAt = tx.Now()
		if err := tx.CreateLetterTemplate(ctx, t); err != nil {
			return err
		}
		return audit(ctx, tx, "update", "letter_template", t.ID, map[string]any{"kind": t.Kind, "regime": t.Regime,
			"language": t.Language, "version": t.Version, "note": t.Note})
	})
}

// missingBlocks lists the mandatory blocks a template does not contain.
func missingBlocks(tp *letters.Template, mandatory []string) []string {
	have := tp.Blocks()
	var out []string
	for _, b := range mandatory {
		if !slices.Contains(have, b) {
			out = append(out, b)
		}
	}
	return out
}
