-- recoupe store, version 2 (SQLite): the claims list's filters read one index each, however
-- large the store (bench/run.py --only api times them on 100,000 articles).
-- Keep in step with postgresql/0002_claim_filters.sql.

-- An actor's claims carry the claim's type and end date too, so that filtering them by type
-- and time reads claim_actors alone.
ALTER TABLE claim_actors ADD COLUMN type TEXT;
ALTER TABLE claim_actors ADD COLUMN date_end TEXT;
UPDATE claim_actors SET
  type = (SELECT c.type FROM claims c WHERE c.id = claim_actors.claim_id),
  date_end = (SELECT c.date_end FROM claims c WHERE c.id = claim_actors.claim_id);

-- Each index walks the claims in the list's order (most independent sources first) and holds
-- the columns the filters test, so that a page is read from the index until it is full and a
-- total is counted on the index alone.
DROP INDEX claim_actors_rank;
CREATE INDEX claim_actors_rank ON claim_actors
  (actor_id, independent_sources DESC, first_reported DESC, claim_id, type, date_start, date_end);
DROP INDEX claims_rank;
CREATE INDEX claims_rank ON claims
  (independent_sources DESC, first_reported DESC, id, date_start, date_end,
   n_asserted, n_reported, n_hedged, n_hypothetical, n_negated);
DROP INDEX claims_type;
CREATE INDEX claims_type ON claims
  (type, independent_sources DESC, first_reported DESC, id, date_start, date_end,
   n_asserted, n_reported, n_hedged, n_hypothetical, n_negated);
