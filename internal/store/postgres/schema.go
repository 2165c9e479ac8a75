package postgres

// migrations are applied in order, each in its own transaction; the number
// applied is kept in schema_version. Append only: never edit a released
// step.
//
// The tables are the SQLite store's as of its fourth step, in PostgreSQL's
// types: times are text in timeLayout (see the package comment), in the
// "C" collation as every column compared or sorted on is, so that order is
// byte order whatever the database's locale, as in SQLite. IDs are handed
// out as SQLite's INTEGER PRIMARY KEY does (one more than the highest),
// stories' as its AUTOINCREMENT does (story_seq), so that a store copied
// either way keeps its IDs and the same input gives the same IDs.
var migrations = []string{
	// 1: everything the Store/Tx contract keeps.
	`
CREATE TABLE story (
	id         bigint PRIMARY KEY,
	headline   text NOT NULL DEFAULT '',
	titles     jsonb,  -- lang → title
	first_seen text COLLATE "C",
	last_seen  text COLLATE "C",
	articles   integer NOT NULL DEFAULT 0,
	langs      text[],
	outlets    text[],
	top_terms  text[]
);
CREATE INDEX story_last_seen ON story (last_seen DESC NULLS LAST, id DESC);
CREATE INDEX story_articles ON story (articles DESC, id DESC);

-- The highest story ID ever handed out or written, so that the IDs of
-- deleted stories are not given again.
CREATE TABLE story_seq (value bigint NOT NULL);
INSERT INTO story_seq VALUES (0);

CREATE TABLE article (
	id           bigint PRIMARY KEY,
	external_id  text NOT NULL DEFAULT '',
	input        text NOT NULL DEFAULT '',
	url          text NOT NULL DEFAULT '',
	source       text COLLATE "C" NOT NULL DEFAULT '',
	lang         text COLLATE "C" NOT NULL DEFAULT '',
	title        text NOT NULL DEFAULT '',
	text         text NOT NULL DEFAULT '',
	author       text NOT NULL DEFAULT '',
	dateline     text NOT NULL DEFAULT '',
	published    text COLLATE "C",
	fetched      text COLLATE "C",
	stored       text COLLATE "C" NOT NULL,
	related      boolean NOT NULL DEFAULT false,
	related_of   bigint REFERENCES article (id) DEFERRABLE INITIALLY DEFERRED,
	content_hash text COLLATE "C",
	minhash      bytea,  -- little-endian uint64s
	duplicate_of bigint REFERENCES article (id) DEFERRABLE INITIALLY DEFERRED,
	story        bigint REFERENCES story (id) DEFERRABLE INITIALLY DEFERRED,
	stemmed      text NOT NULL DEFAULT '',
	-- The stream's view: where the assigner holds the article, since when,
	-- and whether it is no longer in its memory.
	stream_story bigint,
	stream_at    text COLLATE "C",
	evicted      boolean NOT NULL DEFAULT false
);
-- Exact copies may be kept as duplicates, so the hash is unique among originals.
CREATE UNIQUE INDEX article_hash ON article (content_hash)
	WHERE content_hash IS NOT NULL AND duplicate_of IS NULL;
-- A key seen again, copy or not, means the item is already stored.
CREATE INDEX article_hash_any ON article (content_hash, id) WHERE content_hash IS NOT NULL;
CREATE INDEX article_story ON article (story, id);
CREATE INDEX article_stream ON article (stream_story, id);
CREATE INDEX article_time ON article ((COALESCE(published, fetched, stored)), id);
CREATE INDEX article_duplicate_of ON article (duplicate_of) WHERE duplicate_of IS NOT NULL;
CREATE INDEX article_related_of ON article (related_of) WHERE related_of IS NOT NULL;
CREATE INDEX article_source ON article (source);

-- LSH band keys of originals' MinHash signatures (uint64 bits as bigint).
-- No foreign key: bands are written only with their article, in the same
-- statement, and the check's 32 trigger calls cost 40% of an insert.
CREATE TABLE band (
	key        bigint NOT NULL,
	article_id bigint NOT NULL,
	PRIMARY KEY (key, article_id)
);

CREATE TABLE story_event (
	id       bigint PRIMARY KEY,
	kind     text NOT NULL CHECK (kind IN ('merge', 'split')),
	story    bigint NOT NULL,  -- no foreign key: events outlive merged stories
	other    bigint NOT NULL DEFAULT 0,
	at       text COLLATE "C",
	detail   text NOT NULL DEFAULT '',
	articles bigint[]  -- those that moved, as far as the assigner held them
);
CREATE INDEX story_event_story ON story_event (story);
CREATE INDEX story_event_other ON story_event (other);

CREATE TABLE validator (
	url           text PRIMARY KEY,
	etag          text NOT NULL DEFAULT '',
	last_modified text NOT NULL DEFAULT '',
	updated       text COLLATE "C" NOT NULL
);

CREATE TABLE stream_story (
	id        bigint PRIMARY KEY,
	first_at  text COLLATE "C",
	last_at   text COLLATE "C",
	restamped boolean NOT NULL DEFAULT false,
	changed   boolean NOT NULL DEFAULT false,
	active    boolean NOT NULL DEFAULT true
);
CREATE INDEX stream_story_active ON stream_story (id) WHERE active;

-- Settled halves of stories the stream has not split, by first article.
CREATE TABLE story_part (
	founder bigint PRIMARY KEY,
	story   bigint NOT NULL
);

CREATE TABLE meta (
	key   text COLLATE "C" PRIMARY KEY,
	value bytea NOT NULL
);

CREATE TABLE entity (
	id          bigint PRIMARY KEY,
	canonical   text NOT NULL,
	type        text NOT NULL,
	mentions    bigint NOT NULL DEFAULT 0,
	first_seen  text COLLATE "C",
	story       bigint,  -- a one-word entity: the stream story it belongs to
	merged_into bigint   -- merged into that entity: look there
);

CREATE TABLE entity_variant (
	entity     bigint NOT NULL,
	norm       text COLLATE "C" NOT NULL,
	text       text NOT NULL,
	lang       text NOT NULL DEFAULT '',
	key        text COLLATE "C" NOT NULL DEFAULT '',
	surname    text NOT NULL DEFAULT '',
	mentions   bigint NOT NULL DEFAULT 0,
	first_seen text COLLATE "C",
	evidence   text NOT NULL DEFAULT '',
	PRIMARY KEY (entity, norm)
);
CREATE INDEX entity_variant_norm ON entity_variant (norm, entity);
CREATE INDEX entity_variant_key ON entity_variant (key, entity, norm);

-- Merges made by the machine or a person, and separations a person made.
CREATE TABLE entity_merge (
	id       bigint PRIMARY KEY,
	into_id  bigint NOT NULL,
	from_id  bigint NOT NULL,
	by       text NOT NULL,
	evidence text NOT NULL DEFAULT '',
	at       text COLLATE "C"
);
CREATE INDEX entity_merge_into ON entity_merge (into_id, id);
CREATE TABLE entity_split (
	a  bigint NOT NULL,
	b  bigint NOT NULL,
	at text COLLATE "C",
	PRIMARY KEY (a, b)
);

CREATE TABLE mention (
	article bigint NOT NULL,
	field   integer NOT NULL,
	start   integer NOT NULL,
	"end"   integer NOT NULL,
	text    text NOT NULL,
	type    text NOT NULL,
	title   text NOT NULL DEFAULT '',
	entity  bigint,  -- NULL: the article could mean several
	PRIMARY KEY (article, field, start)
);
CREATE INDEX mention_entity ON mention (entity);

CREATE TABLE quote (
	id             bigint PRIMARY KEY,
	article        bigint NOT NULL,
	start          integer NOT NULL,
	"end"          integer NOT NULL,
	text           text NOT NULL,
	speaker        text NOT NULL DEFAULT '',
	speaker_entity bigint,
	via            text NOT NULL DEFAULT '',
	confidence     double precision NOT NULL DEFAULT 0
);
CREATE INDEX quote_article ON quote (article, start);
CREATE INDEX quote_speaker ON quote (speaker_entity);

CREATE TABLE figure (
	article  bigint NOT NULL,
	start    integer NOT NULL,
	"end"    integer NOT NULL,
	text     text NOT NULL,
	value    double precision NOT NULL,
	unit     text NOT NULL DEFAULT '',
	counts   text NOT NULL DEFAULT '',  -- what the number is of
	year     text NOT NULL DEFAULT '',
	approx   boolean NOT NULL DEFAULT false,
	rounding double precision NOT NULL DEFAULT 0,  -- how far the value may be off, as written
	PRIMARY KEY (article, start)
);

-- People's corrections (the writer's body, as given), in the order made.
CREATE TABLE correction (
	id     bigint PRIMARY KEY,
	kind   text NOT NULL,
	body   bytea NOT NULL,
	at     text COLLATE "C",
	undone boolean NOT NULL DEFAULT false
);

-- A story's digest, built when the story settles; writing the story's row
-- drops it, until the next settle builds it again.
CREATE TABLE story_digest (
	story bigint PRIMARY KEY,
	built text COLLATE "C",
	body  bytea NOT NULL
);
`,
	// 2: the full-text index (fts.go): each article's words, their column
	// as weight (title A, text B, stemmed C), written by the writer, as
	// PostgreSQL's own parsers cut words otherwise than SQLite's. NULL
	// until written: Open indexes those (article_fts_missing finds them).
	`
ALTER TABLE article ADD COLUMN fts tsvector;
CREATE INDEX article_fts ON article USING gin (fts);
CREATE INDEX article_fts_missing ON article (id) WHERE fts IS NULL;
`,
}
