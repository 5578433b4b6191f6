-- The tables of BookReviews' PostgreSQL store at schema version 1 (before review_count and
-- rating_sum in books, the username in reviews and the covering index): what the upgrade on
-- open starts from. Read by tests/examples/bookreviews_store_test.cpp and
-- tests/deploy/bookreviews_scaleout.py, which add their own rows.
CREATE TABLE bookreviews_schema (version INTEGER NOT NULL);
CREATE TABLE users (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, username TEXT NOT NULL,
    password_hash TEXT NOT NULL, created_at TIMESTAMPTZ NOT NULL DEFAULT now());
CREATE UNIQUE INDEX users_username_ci ON users (lower(username));
CREATE TABLE books (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, title TEXT NOT NULL,
    author TEXT NOT NULL, year INTEGER NOT NULL, description TEXT NOT NULL);
CREATE TABLE reviews (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    book_id BIGINT NOT NULL REFERENCES books (id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users (id),
    rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5), text TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now());
CREATE INDEX reviews_by_book ON reviews (book_id, created_at);
