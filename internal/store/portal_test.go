package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/store"
	"github.com/caredesk/caredesk/internal/store/storetest"
)

func TestFindCaseByInteractionExternalID(t *testing.T) {
	storetest.Each(t, time.Now, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		var c care.Case
		err := s.Write(ctx, func(tx *store.Tx) error {
			c = care.Case{Type: "complaint", Channel: "web", Status: "new", Priority: "normal", Subject: "s"}
			if err := tx.CreateCase(ctx, &c); err != nil {
				return err
			}
			return tx.CreateInteraction(ctx, &care.Interaction{CaseID: c.ID, Channel: "web", Direction: "inbound",
				ExternalID: "portal:abc", OfferedAt: tx.Now()})
		})
		if err != nil {
			t.Fatal(err)
		}
		err = s.Read(ctx, func(tx *store.Tx) error {
			got, err := tx.FindCaseByInteractionExternalID(ctx, "portal:abc")
			if err != nil || got.ID != c.ID {
				t.Errorf("found %v %+v", err, got)
			}
			if _, err := tx.FindCaseByInteractionExternalID(ctx, "portal:nope"); care.ErrorCode(err) != care.ENOTFOUND {
				t.Errorf("missing key: %v", err)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}
