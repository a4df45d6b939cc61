-- recoupe store, version 1 (SQLite). Keep in step with postgresql/0001_initial.sql.

-- seq is the stored order: the first stored article of a story names it (story_id).
CREATE TABLE articles (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  url TEXT,
  outlet TEXT,
  date TEXT,
  lang TEXT,
  title TEXT,
  text TEXT NOT NULL,
  content_hash TEXT NOT NULL,
  story_id TEXT NOT NULL,
  signature BLOB NOT NULL,
  ingested_at TEXT NOT NULL
);
CREATE INDEX articles_story ON articles (story_id);
CREATE INDEX articles_date ON articles (date);

-- LSH band keys of the MinHash signatures: candidate copies without an all-pairs scan.
CREATE TABLE band_keys (
  key TEXT NOT NULL,
  article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
  PRIMARY KEY (key, article_id)
);
CREATE INDEX band_keys_article ON band_keys (article_id);

CREATE TABLE actors (
  id TEXT PRIMARY KEY,
  type TEXT,
  name TEXT NOT NULL,
  part_of TEXT,
  affiliated_with TEXT,
  role TEXT,
  wikidata TEXT,
  in_kb INTEGER NOT NULL DEFAULT 1,
  n_claims INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX actors_claims ON actors (n_claims DESC, id);

-- key: the folded name (lowercase, no accents) that name searches compare
CREATE TABLE actor_names (
  actor_id TEXT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  key TEXT NOT NULL,
  PRIMARY KEY (actor_id, name)
);
CREATE INDEX actor_names_key ON actor_names (key);

CREATE TABLE mentions (
  article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
  start_char INTEGER NOT NULL,
  end_char INTEGER NOT NULL,
  actor_id TEXT NOT NULL,
  PRIMARY KEY (article_id, start_char, actor_id)
);
CREATE INDEX mentions_actor ON mentions (actor_id);

-- when_start/when_end: the fact's time as a closed range of ISO days, for range queries
CREATE TABLE facts (
  fact_id TEXT PRIMARY KEY,
  article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
  idx INTEGER NOT NULL,
  type TEXT NOT NULL,
  source TEXT NOT NULL,
  target TEXT,
  claim_key TEXT NOT NULL,
  modality TEXT NOT NULL,
  speaker TEXT,
  when_json TEXT,
  when_start TEXT,
  when_end TEXT,
  place TEXT,
  place_name TEXT,
  place_country TEXT,
  place_lat REAL,
  place_lon REAL,
  quantity TEXT,
  evidence TEXT NOT NULL,
  evidence_start INTEGER NOT NULL,
  evidence_end INTEGER NOT NULL,
  trigger_word TEXT,
  claim_id TEXT
);
CREATE INDEX facts_article ON facts (article_id, idx);
CREATE INDEX facts_claim_key ON facts (claim_key);
CREATE INDEX facts_claim ON facts (claim_id);
CREATE INDEX facts_place ON facts (place_name);

-- date_start/date_end: the claim's time (its when, else its report dates), for --since/--until
CREATE TABLE claims (
  id TEXT PRIMARY KEY,
  claim_key TEXT NOT NULL,
  type TEXT NOT NULL,
  source TEXT NOT NULL,
  target TEXT,
  place TEXT,
  date_start TEXT,
  date_end TEXT,
  independent_sources INTEGER NOT NULL,
  n_articles INTEGER NOT NULL,
  n_asserted INTEGER NOT NULL DEFAULT 0,
  n_reported INTEGER NOT NULL DEFAULT 0,
  n_hedged INTEGER NOT NULL DEFAULT 0,
  n_hypothetical INTEGER NOT NULL DEFAULT 0,
  n_negated INTEGER NOT NULL DEFAULT 0,
  n_contradictions INTEGER NOT NULL DEFAULT 0,
  first_reported TEXT,
  latest_reported TEXT,
  data TEXT NOT NULL
);
CREATE INDEX claims_key ON claims (claim_key);
CREATE INDEX claims_rank ON claims (independent_sources DESC, first_reported DESC, id);
CREATE INDEX claims_type ON claims (type, independent_sources DESC);
CREATE INDEX claims_date_start ON claims (date_start);
CREATE INDEX claims_date_end ON claims (date_end);

-- One row per actor of a claim, with copies of the claim's sort keys: an actor's claims
-- come out of one index in the order of the claims list or of the actor's timeline.
CREATE TABLE claim_actors (
  actor_id TEXT NOT NULL,
  claim_id TEXT NOT NULL REFERENCES claims (id) ON DELETE CASCADE,
  role TEXT NOT NULL,
  independent_sources INTEGER NOT NULL,
  first_reported TEXT,
  date_start TEXT NOT NULL,
  PRIMARY KEY (actor_id, claim_id)
);
CREATE INDEX claim_actors_claim ON claim_actors (claim_id);
CREATE INDEX claim_actors_rank ON claim_actors (actor_id, independent_sources DESC, first_reported DESC, claim_id);
CREATE INDEX claim_actors_time ON claim_actors (actor_id, date_start DESC, claim_id DESC);

CREATE TABLE claim_reports (
  claim_id TEXT NOT NULL REFERENCES claims (id) ON DELETE CASCADE,
  fact_id TEXT NOT NULL REFERENCES facts (fact_id) ON DELETE CASCADE,
  PRIMARY KEY (claim_id, fact_id)
);
CREATE INDEX claim_reports_fact ON claim_reports (fact_id);

-- Full text over titles and texts; accents folded, so "Menaka" finds "Ménaka".
CREATE VIRTUAL TABLE articles_fts USING fts5 (
  title, text, content = 'articles', content_rowid = 'seq', tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
  INSERT INTO articles_fts (rowid, title, text) VALUES (new.seq, coalesce(new.title, ''), new.text);
END;
CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
  INSERT INTO articles_fts (articles_fts, rowid, title, text)
  VALUES ('delete', old.seq, coalesce(old.title, ''), old.text);
END;
CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, text ON articles BEGIN
  INSERT INTO articles_fts (articles_fts, rowid, title, text)
  VALUES ('delete', old.seq, coalesce(old.title, ''), old.text);
  INSERT INTO articles_fts (rowid, title, text) VALUES (new.seq, coalesce(new.title, ''), new.text);
END;
