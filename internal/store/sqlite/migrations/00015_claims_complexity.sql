-- +goose Up
-- Simple motor physical damage (docs/claims.md): the first notice decides
-- whether a motor claim is simple (owes the 10-day settlement milestone) or
-- complex, and keeps why, with the damage estimate given at the notice.
ALTER TABLE claims ADD COLUMN complexity TEXT NOT NULL DEFAULT '';
ALTER TABLE claims ADD COLUMN complexity_note TEXT NOT NULL DEFAULT '';
ALTER TABLE claims ADD COLUMN estimate_minor BIGINT NOT NULL DEFAULT 0;

-- Claims that already run the motor milestones were treated as simple.
UPDATE claims SET complexity = 'simple', complexity_note = 'registered before complexity was recorded'
    WHERE loss_type = 'motor';

-- +goose Down
-- Forward-only: caredesk never rolls a schema back (restore a backup instead).
