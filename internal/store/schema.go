package store

// migrations are applied in order, each in its own transaction; the number
// applied is kept in schema_version. Append only: never edit a released step.
var migrations = []string{
	// 1: articles, bands, stories, events, validators, full-text index.
	`
CREATE TABLE story (
	id         INTEGER PRIMARY KEY AUTOINCREMENT,
	headline   TEXT NOT NULL DEFAULT '',
	titles     TEXT,    -- JSON object lang → title
	first_seen TEXT,
	last_seen  TEXT,
	articles   INTEGER NOT NULL DEFAULT 0,
	langs      TEXT,    -- JSON arrays
	outlets    TEXT,
	top_terms  TEXT
);
CREATE INDEX story_last_seen ON story(last_seen);

CREATE TABLE article (
	id           INTEGER PRIMARY KEY,
	external_id  TEXT NOT NULL DEFAULT '',
	input        TEXT NOT NULL DEFAULT '',
	url          TEXT NOT NULL DEFAULT '',
	source       TEXT NOT NULL DEFAULT '',
	lang         TEXT NOT NULL DEFAULT '',
	title        TEXT NOT NULL DEFAULT '',
	text         TEXT NOT NULL DEFAULT '',
	author       TEXT NOT NULL DEFAULT '',
	dateline     TEXT NOT NULL DEFAULT '',
	published    TEXT,
	fetched      TEXT,
	stored       TEXT NOT NULL,
	related      INTEGER NOT NULL DEFAULT 0,
	related_of   INTEGER REFERENCES article(id) DEFERRABLE INITIALLY DEFERRED,
	content_hash TEXT,
	minhash      BLOB,
	duplicate_of INTEGER REFERENCES article(id) DEFERRABLE INITIALLY DEFERRED,
	story        INTEGER REFERENCES story(id) DEFERRABLE INITIALLY DEFERRED,
	stemmed      TEXT NOT NULL DEFAULT ''
);
-- Exact copies may be kept as duplicates, so the hash is unique among originals.
CREATE UNIQUE INDEX article_hash ON article(content_hash)
	WHERE content_hash IS NOT NULL AND duplicate_of IS NULL;
-- A key seen again, copy or not, means the item is already stored.
CREATE INDEX article_hash_any ON article(content_hash) WHERE content_hash IS NOT NULL;
CREATE INDEX article_story ON article(story);
CREATE INDEX article_time ON article(COALESCE(published, fetched, stored));
CREATE INDEX article_duplicate_of ON article(duplicate_of) WHERE duplicate_of IS NOT NULL;
CREATE INDEX article_related_of ON article(related_of) WHERE related_of IS NOT NULL;

-- LSH band keys of originals' MinHash signatures, clustered by key.
CREATE TABLE band (
	key        INTEGER NOT NULL,
	article_id INTEGER NOT NULL REFERENCES article(id),
	PRIMARY KEY (key, article_id)
) WITHOUT ROWID;

CREATE TABLE story_event (
	id     INTEGER PRIMARY KEY,
	kind   TEXT NOT NULL CHECK (kind IN ('merge', 'split')),
	story  INTEGER NOT NULL,  -- no foreign key: events outlive merged stories
	other  INTEGER NOT NULL DEFAULT 0,
	at     TEXT,
	detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX story_event_story ON story_event(story);
CREATE INDEX story_event_other ON story_event(other);

CREATE TABLE validator (
	url           TEXT PRIMARY KEY,
	etag          TEXT NOT NULL DEFAULT '',
	last_modified TEXT NOT NULL DEFAULT '',
	updated       TEXT NOT NULL
);

-- Kept by the code, not by triggers: a batch's articles are indexed in one
-- statement at commit, because FTS5 flushes its pending terms at every
-- statement savepoint and per-row indexing made a segment per article.
CREATE VIRTUAL TABLE article_fts USING fts5(
	title, text, stemmed,
	content='article', content_rowid='id',
	tokenize='unicode61 remove_diacritics 2'
);
`, // 2: the streaming assigner's own state, apart from what readers see.
	// article.story is the story readers see (the settled view);
	// stream_story is where the streaming assigner holds the article, at
	// stream_at, and evicted says it is no longer held in memory. Stores
	// from before keep their stories as the stream's.
	`
ALTER TABLE article ADD COLUMN stream_story INTEGER;
ALTER TABLE article ADD COLUMN stream_at TEXT;
ALTER TABLE article ADD COLUMN evicted INTEGER NOT NULL DEFAULT 0;
UPDATE article SET stream_story = story,
	stream_at = COALESCE(published, (SELECT last_seen FROM story WHERE story.id = article.story), fetched, stored);
CREATE INDEX article_stream ON article(stream_story, evicted);

CREATE TABLE stream_story (
	id        INTEGER PRIMARY KEY,
	first_at  TEXT,
	last_at   TEXT,
	restamped INTEGER NOT NULL DEFAULT 0,
	changed   INTEGER NOT NULL DEFAULT 0,
	active    INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX stream_story_active ON stream_story(id) WHERE active = 1;
INSERT INTO stream_story (id, first_at, last_at, changed)
	SELECT id, first_seen, last_seen, 1 FROM story;

-- Settled halves of stories the stream has not split, by first article.
CREATE TABLE story_part (
	founder INTEGER PRIMARY KEY,
	story   INTEGER NOT NULL
);

CREATE TABLE meta (
	key   TEXT PRIMARY KEY,
	value BLOB NOT NULL
);
`,
	// 3: what articles say: the entities they name (resolved across
	// articles and scripts), their quotes and figures.
	`
-- The articles a merge or split moved (JSON), for why they are together.
ALTER TABLE story_event ADD COLUMN articles TEXT;

CREATE TABLE entity (
	id          INTEGER PRIMARY KEY,
	canonical   TEXT NOT NULL,
	type        TEXT NOT NULL,
	mentions    INTEGER NOT NULL DEFAULT 0,
	first_seen  TEXT,
	story       INTEGER,  -- a one-word entity: the stream story it belongs to
	merged_into INTEGER   -- merged into that entity: look there
);

CREATE TABLE entity_variant (
	entity     INTEGER NOT NULL,
	norm       TEXT NOT NULL,
	text       TEXT NOT NULL,
	lang       TEXT NOT NULL DEFAULT '',
	key        TEXT NOT NULL DEFAULT '',
	surname    TEXT NOT NULL DEFAULT '',
	mentions   INTEGER NOT NULL DEFAULT 0,
	first_seen TEXT,
	evidence   TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (entity, norm)
) WITHOUT ROWID;
CREATE INDEX entity_variant_norm ON entity_variant(norm);
CREATE INDEX entity_variant_key ON entity_variant(key);

-- Merges made by the machine or a person, and separations a person made.
CREATE TABLE entity_merge (
	id       INTEGER PRIMARY KEY,
	into_id  INTEGER NOT NULL,
	from_id  INTEGER NOT NULL,
	by       TEXT NOT NULL,
	evidence TEXT NOT NULL DEFAULT '',
	at       TEXT
);
CREATE INDEX entity_merge_into ON entity_merge(into_id);
CREATE TABLE entity_split (
	a  INTEGER NOT NULL,
	b  INTEGER NOT NULL,
	at TEXT,
	PRIMARY KEY (a, b)
) WITHOUT ROWID;

CREATE TABLE mention (
	article INTEGER NOT NULL,
	field   INTEGER NOT NULL,
	start   INTEGER NOT NULL,
	end     INTEGER NOT NULL,
	text    TEXT NOT NULL,
	type    TEXT NOT NULL,
	title   TEXT NOT NULL DEFAULT '',
	entity  INTEGER,  -- NULL: the article could mean several
	PRIMARY KEY (article, field, start)
) WITHOUT ROWID;
CREATE INDEX mention_entity ON mention(entity);

CREATE TABLE quote (
	id             INTEGER PRIMARY KEY,
	article        INTEGER NOT NULL,
	start          INTEGER NOT NULL,
	end            INTEGER NOT NULL,
	text           TEXT NOT NULL,
	speaker        TEXT NOT NULL DEFAULT '',
	speaker_entity INTEGER,
	via            TEXT NOT NULL DEFAULT '',
	confidence     REAL NOT NULL DEFAULT 0
);
CREATE INDEX quote_article ON quote(article);
CREATE INDEX quote_speaker ON quote(speaker_entity);

-- Browsing and search by outlet, and stories by size.
CREATE INDEX article_source ON article(source);
CREATE INDEX story_articles ON story(articles);

-- People's corrections (service.Correction and what undoing it needs, as
-- JSON), in the order they were made.
CREATE TABLE correction (
	id     INTEGER PRIMARY KEY,
	kind   TEXT NOT NULL,
	body   TEXT NOT NULL,
	at     TEXT,
	undone INTEGER NOT NULL DEFAULT 0
);

-- A story's digest (intel/digest) as JSON, built when the story settles;
-- writing the story's row drops it, until the next settle builds it again.
CREATE TABLE story_digest (
	story INTEGER PRIMARY KEY,
	built TEXT,
	body  BLOB NOT NULL
);

CREATE TABLE figure (
	article INTEGER NOT NULL,
	start   INTEGER NOT NULL,
	end     INTEGER NOT NULL,
	text    TEXT NOT NULL,
	value   REAL NOT NULL,
	unit    TEXT NOT NULL DEFAULT '',
	counts  TEXT NOT NULL DEFAULT '',  -- what the number is of
	year    TEXT NOT NULL DEFAULT '',
	approx  INTEGER NOT NULL DEFAULT 0,
	rounding REAL NOT NULL DEFAULT 0,  -- how far the value may be off, as written
	PRIMARY KEY (article, start)
) WITHOUT ROWID;
`,
	// 4: each article's language as a word of the full-text index
	// (text.LangToken; TestLangTokenSQL keeps the two in step), in a
	// column of its own that searches weigh 0 when ranking: a search for
	// some languages names them inside its MATCH, so the index intersects
	// doclists and no match is looked up in article for its lang. The
	// column is generated, so nothing writes it and it takes no space; the
	// index is made again whole, from article (FTS5 cannot add a column).
	`
ALTER TABLE article ADD COLUMN lang_token TEXT GENERATED ALWAYS AS ('xxlang' ||
	CASE WHEN lang <> '' AND lang NOT GLOB '*[^a-z]*' THEN lang ELSE '0' || lower(hex(lang)) END) VIRTUAL;
DROP TABLE article_fts;
CREATE VIRTUAL TABLE article_fts USING fts5(
	title, text, stemmed, lang_token,
	content='article', content_rowid='id',
	tokenize='unicode61 remove_diacritics 2'
);
INSERT INTO article_fts(article_fts) VALUES ('rebuild');
`,
}
