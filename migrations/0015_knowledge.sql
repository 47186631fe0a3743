-- The knowledge repository: articles with their kept versions, periodic
-- reviews, tags, links to cases and risks, the words of the vocabulary
-- "did you mean" draws on, and full-text search: an FTS5 table on SQLite,
-- a weighted tsvector column with a GIN index on PostgreSQL.

CREATE TABLE articles (
    id                {{id}},
    kind              TEXT NOT NULL,
    status            TEXT NOT NULL CHECK (status IN ('draft', 'in_review', 'published', 'archived')),
    title             TEXT NOT NULL,
    summary           TEXT NOT NULL,
    body              TEXT NOT NULL,
    -- Tags, country and attachment text, searched with the text.
    search_extra      TEXT NOT NULL DEFAULT '',
    unit_id           BIGINT NOT NULL REFERENCES units(id),
    owner_id          BIGINT NOT NULL REFERENCES people(id),
    author_id         BIGINT NOT NULL REFERENCES people(id),
    sensitivity       TEXT NOT NULL CHECK (sensitivity IN ('official', 'official_sensitive')),
    sharing           TEXT NOT NULL CHECK (sharing IN ('division', 'cps', 'partners')),
    parent_id         BIGINT REFERENCES articles(id),
    position          BIGINT NOT NULL DEFAULT 0,
    country           TEXT NOT NULL DEFAULT '',
    review_by         DATE,
    last_reviewed     {{timestamp}},
    published_version BIGINT NOT NULL DEFAULT 0,
    pending_version   BIGINT NOT NULL DEFAULT 0,
    revision          BIGINT NOT NULL DEFAULT 1,
    created_at        {{timestamp}} NOT NULL,
    updated_at        {{timestamp}} NOT NULL,
    published_at      {{timestamp}}
);
CREATE INDEX articles_status_updated ON articles (status, updated_at, id);
CREATE INDEX articles_unit ON articles (unit_id, status);
CREATE INDEX articles_review ON articles (status, review_by);
CREATE INDEX articles_owner ON articles (owner_id, status);
CREATE INDEX articles_parent ON articles (parent_id, position);

-- Every version of an article's text. A published version is never changed.
CREATE TABLE article_versions (
    article_id   BIGINT NOT NULL REFERENCES articles(id),
    number       BIGINT NOT NULL,
    state        TEXT NOT NULL CHECK (state IN ('draft', 'in_review', 'published', 'withdrawn')),
    title        TEXT NOT NULL,
    summary      TEXT NOT NULL,
    body         TEXT NOT NULL,
    author_id    BIGINT NOT NULL REFERENCES people(id),
    note         TEXT NOT NULL DEFAULT '',
    return_note  TEXT NOT NULL DEFAULT '',
    created_at   {{timestamp}} NOT NULL,
    updated_at   {{timestamp}} NOT NULL,
    submitted_at {{timestamp}},
    approved_by  BIGINT REFERENCES people(id),
    approved_at  {{timestamp}},
    PRIMARY KEY (article_id, number)
);

CREATE TABLE article_reviews (
    id             {{id}},
    article_id     BIGINT NOT NULL REFERENCES articles(id),
    reviewer_id    BIGINT NOT NULL REFERENCES people(id),
    reviewed_at    {{timestamp}} NOT NULL,
    outcome        TEXT NOT NULL CHECK (outcome IN ('still_accurate', 'updated')),
    note           TEXT NOT NULL DEFAULT '',
    version        BIGINT NOT NULL,
    next_review_by DATE NOT NULL
);
CREATE INDEX article_reviews_article ON article_reviews (article_id, reviewed_at);

CREATE TABLE article_tags (
    article_id BIGINT NOT NULL REFERENCES articles(id),
    tag        TEXT NOT NULL,
    PRIMARY KEY (article_id, tag)
);
CREATE INDEX article_tags_tag ON article_tags (tag, article_id);

-- Cases and risks an article is about, by reference.
CREATE TABLE article_links (
    article_id BIGINT NOT NULL REFERENCES articles(id),
    kind       TEXT NOT NULL CHECK (kind IN ('case', 'risk')),
    ref        TEXT NOT NULL,
    PRIMARY KEY (article_id, kind, ref)
);
CREATE INDEX article_links_ref ON article_links (kind, ref);

-- Files kept with an article: PDF, DOCX and XLSX, recognised by content;
-- the text extracted from them is searched with the article.
CREATE TABLE article_attachments (
    id           {{id}},
    article_id   BIGINT NOT NULL REFERENCES articles(id),
    name         TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         BIGINT NOT NULL,
    sha256       TEXT NOT NULL,
    data         {{blob}} NOT NULL,
    text         TEXT NOT NULL DEFAULT '',
    uploaded_by  BIGINT NOT NULL REFERENCES people(id),
    uploaded_at  {{timestamp}} NOT NULL
);
CREATE INDEX article_attachments_article ON article_attachments (article_id, id);

-- The national leads and specialisms directory: who leads on a subject or
-- a country, their deputy, how to reach them, what they help with.
CREATE TABLE knowledge_specialisms (
    code       TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    country    TEXT NOT NULL DEFAULT '',
    lead_id    BIGINT NOT NULL REFERENCES people(id),
    deputy_id  BIGINT REFERENCES people(id),
    contact    TEXT NOT NULL DEFAULT '',
    helps_with TEXT NOT NULL DEFAULT '',
    tag        TEXT NOT NULL DEFAULT '',
    updated_at {{timestamp}} NOT NULL
);

-- Questions to a specialism's queue, each allocated to one person on it.
CREATE TABLE knowledge_help (
    id          {{id}},
    specialism  TEXT NOT NULL REFERENCES knowledge_specialisms(code),
    topic       TEXT NOT NULL,
    question    TEXT NOT NULL,
    case_ref    TEXT NOT NULL DEFAULT '',
    urgency     TEXT NOT NULL CHECK (urgency IN ('routine', 'urgent', 'immediate')),
    asker_id    BIGINT NOT NULL REFERENCES people(id),
    assignee_id BIGINT REFERENCES people(id),
    status      TEXT NOT NULL CHECK (status IN ('open', 'answered')),
    answer      TEXT NOT NULL DEFAULT '',
    article_id  BIGINT REFERENCES articles(id),
    created_at  {{timestamp}} NOT NULL,
    answered_at {{timestamp}}
);
CREATE INDEX knowledge_help_assignee ON knowledge_help (assignee_id, status);
CREATE INDEX knowledge_help_asker ON knowledge_help (asker_id, created_at);

-- People away (leave, court, travel): help requests pass them by.
CREATE TABLE knowledge_away (
    person_id  BIGINT PRIMARY KEY REFERENCES people(id),
    away_until DATE NOT NULL
);

-- Requests for guidance that does not exist yet: a gap in the repository,
-- recorded by anyone, seen by the authors of the unit it concerns.
CREATE TABLE knowledge_gaps (
    id           {{id}},
    topic        TEXT NOT NULL,
    detail       TEXT NOT NULL DEFAULT '',
    unit_id      BIGINT NOT NULL REFERENCES units(id),
    requested_by BIGINT NOT NULL REFERENCES people(id),
    status       TEXT NOT NULL CHECK (status IN ('open', 'answered', 'closed')),
    article_id   BIGINT REFERENCES articles(id),
    created_at   {{timestamp}} NOT NULL,
    closed_at    {{timestamp}},
    closed_by    BIGINT REFERENCES people(id)
);
CREATE INDEX knowledge_gaps_unit ON knowledge_gaps (unit_id, status, created_at);

-- How many articles hold each word, for "did you mean".
CREATE TABLE knowledge_words (
    word     TEXT PRIMARY KEY,
    articles BIGINT NOT NULL
);

{{if sqlite}}
CREATE VIRTUAL TABLE articles_fts USING fts5(
    title, summary, body, search_extra,
    content = 'articles', content_rowid = 'id', tokenize = 'porter unicode61'
);
CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts (rowid, title, summary, body, search_extra)
    VALUES (new.id, new.title, new.summary, new.body, new.search_extra);
END;
CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts (articles_fts, rowid, title, summary, body, search_extra)
    VALUES ('delete', old.id, old.title, old.summary, old.body, old.search_extra);
END;
CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, summary, body, search_extra ON articles BEGIN
    INSERT INTO articles_fts (articles_fts, rowid, title, summary, body, search_extra)
    VALUES ('delete', old.id, old.title, old.summary, old.body, old.search_extra);
    INSERT INTO articles_fts (rowid, title, summary, body, search_extra)
    VALUES (new.id, new.title, new.summary, new.body, new.search_extra);
END;
{{end}}
{{if postgres}}
ALTER TABLE articles ADD COLUMN search tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('english', title), 'A') ||
    setweight(to_tsvector('english', summary), 'B') ||
    setweight(to_tsvector('english', search_extra), 'B') ||
    setweight(to_tsvector('english', body), 'C')
) STORED;
CREATE INDEX articles_search ON articles USING GIN (search);
{{end}}
