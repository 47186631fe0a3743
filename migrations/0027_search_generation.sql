-- A count that moves whenever what a search ranks could change: an article
-- added or removed, or its title, summary, text or search_extra changed.
-- A search keeps the best matches of its unfiltered ranking in memory with
-- the count it was ranked at, and serves pages from them only while the
-- count is unchanged. The count moves in the writing transaction, so no
-- search can use a ranking older than the articles it reads. Changes to
-- other columns (status, unit, sharing, owner) leave it alone: those are
-- the filters, applied afresh on every search.
CREATE TABLE search_generation (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    n  BIGINT NOT NULL
);
INSERT INTO search_generation (id, n) VALUES (1, 0);

{{if sqlite}}
CREATE TRIGGER articles_search_generation_insert AFTER INSERT ON articles BEGIN
    UPDATE search_generation SET n = n + 1;
END;
CREATE TRIGGER articles_search_generation_delete AFTER DELETE ON articles BEGIN
    UPDATE search_generation SET n = n + 1;
END;
CREATE TRIGGER articles_search_generation_update AFTER UPDATE OF title, summary, body, search_extra ON articles BEGIN
    UPDATE search_generation SET n = n + 1;
END;
{{end}}
{{if postgres}}
-- Once a statement, not once a row: a bulk load moves it once.
CREATE FUNCTION articles_search_moved() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE search_generation SET n = n + 1;
    RETURN NULL;
END
$$;
CREATE TRIGGER articles_search_generation AFTER INSERT OR DELETE OR UPDATE OF title, summary, body, search_extra ON articles
    FOR EACH STATEMENT EXECUTE FUNCTION articles_search_moved();
{{end}}
