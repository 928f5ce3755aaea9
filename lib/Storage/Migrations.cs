using Microsoft.Data.Sqlite;

namespace Cast2md.Storage;

/// <summary>
/// Versioned schema changes, applied in order inside one write transaction and recorded in
/// <c>PRAGMA user_version</c>. Two processes starting together serialise on the write lock; the second
/// sees the new version and applies nothing. Never edit a released step: append a new one.
/// </summary>
internal static class Migrations
{
    private static readonly string[] Steps =
    [
        // 1: feeds, episodes, the job queue with leases, its history, settings overrides.
        """
            CREATE TABLE feeds (
                id              INTEGER PRIMARY KEY,
                url             TEXT NOT NULL UNIQUE,
                title           TEXT NOT NULL,
                description     TEXT,
                image_url       TEXT,
                author          TEXT,
                link            TEXT,
                categories      TEXT NOT NULL DEFAULT '[]',
                custom_title    TEXT,
                etag            TEXT,
                last_modified   TEXT,
                last_polled_ms  INTEGER,
                last_error      TEXT,
                created_ms      INTEGER NOT NULL,
                updated_ms      INTEGER NOT NULL
            );
            CREATE TABLE episodes (
                id                  INTEGER PRIMARY KEY,
                feed_id             INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
                guid                TEXT NOT NULL,
                title               TEXT NOT NULL,
                description         TEXT,
                link                TEXT,
                author              TEXT,
                audio_url           TEXT,
                audio_type          TEXT,
                audio_length        INTEGER,
                duration_seconds    REAL,
                published_ms        INTEGER,
                status              TEXT NOT NULL DEFAULT 'new',
                audio_path          TEXT,
                transcript_path     TEXT,
                transcript_url      TEXT,
                transcript_type     TEXT,
                transcript_language TEXT,
                chapters_url        TEXT,
                transcript_source   TEXT,
                transcript_model    TEXT,
                error_message       TEXT,
                permanent_failure   INTEGER NOT NULL DEFAULT 0,
                created_ms          INTEGER NOT NULL,
                updated_ms          INTEGER NOT NULL,
                UNIQUE (feed_id, guid)
            );
            CREATE INDEX episodes_status ON episodes(status, updated_ms);
            CREATE INDEX episodes_feed ON episodes(feed_id, published_ms);
            CREATE TABLE jobs (
                id                 INTEGER PRIMARY KEY,
                episode_id         INTEGER NOT NULL REFERENCES episodes(id) ON DELETE CASCADE,
                job_type           TEXT NOT NULL CHECK (job_type IN ('download', 'transcript_download', 'transcribe')),
                status             TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'completed', 'failed', 'cancelled')),
                priority           INTEGER NOT NULL DEFAULT 10,
                attempts           INTEGER NOT NULL DEFAULT 0,
                max_attempts       INTEGER NOT NULL DEFAULT 5,
                run_after_ms       INTEGER NOT NULL,
                created_ms         INTEGER NOT NULL,
                started_ms         INTEGER,
                completed_ms       INTEGER,
                claimed_by         TEXT,
                lease_token        TEXT,
                lease_expires_ms   INTEGER,
                progress_percent   REAL,
                error_message      TEXT,
                permanent_failure  INTEGER NOT NULL DEFAULT 0
            );
            -- At most one active job per episode and type, enforced by the database itself.
            CREATE UNIQUE INDEX jobs_one_active ON jobs(episode_id, job_type) WHERE status IN ('queued', 'running');
            CREATE INDEX jobs_claim ON jobs(job_type, status, priority, id);
            CREATE INDEX jobs_leases ON jobs(status, lease_expires_ms);
            CREATE TABLE job_history (
                id          INTEGER PRIMARY KEY,
                job_id      INTEGER NOT NULL,
                at_ms       INTEGER NOT NULL,
                event       TEXT NOT NULL,
                actor       TEXT,
                detail      TEXT
            );
            CREATE INDEX job_history_job ON job_history(job_id, id);
            CREATE TABLE settings (
                key         TEXT PRIMARY KEY,
                value       TEXT NOT NULL,
                updated_ms  INTEGER NOT NULL
            );
            """,
        // 2: transcriber nodes (API keys stored only as SHA-256), a job's wanted model, and every lease token
        // ever issued (so a late result can be matched to the claim it came from).
        """
            CREATE TABLE nodes (
                id                 TEXT PRIMARY KEY,
                name               TEXT NOT NULL,
                url                TEXT,
                api_key_hash       TEXT NOT NULL UNIQUE,
                whisper_model      TEXT,
                whisper_backend    TEXT,
                models             TEXT NOT NULL DEFAULT '[]',
                priority           INTEGER NOT NULL DEFAULT 10,
                last_heartbeat_ms  INTEGER,
                current_job_id     INTEGER,
                created_ms         INTEGER NOT NULL,
                updated_ms         INTEGER NOT NULL
            );
            CREATE INDEX nodes_name ON nodes(name);
            ALTER TABLE jobs ADD COLUMN model TEXT;
            CREATE INDEX jobs_claimed_by ON jobs(claimed_by) WHERE status = 'running';
            CREATE TABLE job_claims (
                token       TEXT PRIMARY KEY,
                job_id      INTEGER NOT NULL,
                worker      TEXT NOT NULL,
                claimed_ms  INTEGER NOT NULL
            );
            CREATE INDEX job_claims_job ON job_claims(job_id);
            """,
        // 3: job ids are never handed out twice (AUTOINCREMENT; the sequence starts beyond every id a claim or history
        // row has seen, so a node holding a deleted job's id and token can never act on a new job), claims issued to an
        // earlier job that had the same id are dropped, a running job records its holder's last sign of life (so
        // "stuck" means silent, not merely long), and a node can report that it cannot work (its health).
        """
            CREATE TABLE jobs_v3 (
                id                 INTEGER PRIMARY KEY AUTOINCREMENT,
                episode_id         INTEGER NOT NULL REFERENCES episodes(id) ON DELETE CASCADE,
                job_type           TEXT NOT NULL CHECK (job_type IN ('download', 'transcript_download', 'transcribe')),
                status             TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'completed', 'failed', 'cancelled')),
                priority           INTEGER NOT NULL DEFAULT 10,
                attempts           INTEGER NOT NULL DEFAULT 0,
                max_attempts       INTEGER NOT NULL DEFAULT 5,
                run_after_ms       INTEGER NOT NULL,
                created_ms         INTEGER NOT NULL,
                started_ms         INTEGER,
                completed_ms       INTEGER,
                claimed_by         TEXT,
                lease_token        TEXT,
                lease_expires_ms   INTEGER,
                progress_percent   REAL,
                error_message      TEXT,
                permanent_failure  INTEGER NOT NULL DEFAULT 0,
                model              TEXT,
                alive_ms           INTEGER
            );
            INSERT INTO jobs_v3 (id, episode_id, job_type, status, priority, attempts, max_attempts, run_after_ms, created_ms, started_ms,
                                 completed_ms, claimed_by, lease_token, lease_expires_ms, progress_percent, error_message, permanent_failure, model)
            SELECT id, episode_id, job_type, status, priority, attempts, max_attempts, run_after_ms, created_ms, started_ms,
                   completed_ms, claimed_by, lease_token, lease_expires_ms, progress_percent, error_message, permanent_failure, model
            FROM jobs;
            DROP TABLE jobs;
            ALTER TABLE jobs_v3 RENAME TO jobs;
            CREATE UNIQUE INDEX jobs_one_active ON jobs(episode_id, job_type) WHERE status IN ('queued', 'running');
            CREATE INDEX jobs_claim ON jobs(job_type, status, priority, id);
            CREATE INDEX jobs_leases ON jobs(status, lease_expires_ms);
            CREATE INDEX jobs_claimed_by ON jobs(claimed_by) WHERE status = 'running';
            CREATE INDEX jobs_episode ON jobs(episode_id, job_type, id);
            INSERT INTO sqlite_sequence (name, seq) SELECT 'jobs', 0 WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'jobs');
            UPDATE sqlite_sequence
            SET seq = MAX(seq, COALESCE((SELECT MAX(id) FROM jobs), 0), COALESCE((SELECT MAX(job_id) FROM job_history), 0),
                          COALESCE((SELECT MAX(job_id) FROM job_claims), 0))
            WHERE name = 'jobs';
            DELETE FROM job_claims
            WHERE NOT EXISTS (SELECT 1 FROM jobs WHERE jobs.id = job_claims.job_id AND jobs.created_ms <= job_claims.claimed_ms);
            ALTER TABLE nodes ADD COLUMN problem TEXT;
            """,
        // Notifications waiting to be sent: one row per event and target (ntfy, webhook), written in the transaction of
        // the outcome it reports, so a target that is down delays a notification but does not lose it. dedup_key makes
        // an event that is noticed again (a node seen offline at every housekeeping round) one row; sent_ms marks a 2xx.
        """
            CREATE TABLE notification_outbox (
                id                INTEGER PRIMARY KEY,
                target            TEXT NOT NULL,
                event             TEXT NOT NULL,
                payload           TEXT NOT NULL,
                dedup_key         TEXT UNIQUE,
                created_ms        INTEGER NOT NULL,
                next_attempt_ms   INTEGER NOT NULL,
                attempts          INTEGER NOT NULL DEFAULT 0,
                claimed_until_ms  INTEGER,
                sent_ms           INTEGER,
                last_error        TEXT
            );
            CREATE INDEX notification_outbox_due ON notification_outbox(next_attempt_ms) WHERE sent_ms IS NULL;
            """,
        // Search: every transcript segment (rows written when a transcript is committed, see Search.SearchIndex) and
        // every episode's title and description, each behind two FTS5 indexes kept in step by triggers: unicode61
        // without diacritics for the Latin scripts, trigram for CJK. The segments go with their episode (cascade, so a
        // feed delete takes them too) and with its transcript when the path is cleared.
        """
            CREATE TABLE search_segments (
                id          INTEGER PRIMARY KEY,
                episode_id  INTEGER NOT NULL REFERENCES episodes(id) ON DELETE CASCADE,
                start_ms    INTEGER NOT NULL,
                end_ms      INTEGER NOT NULL,
                text        TEXT NOT NULL
            );
            CREATE INDEX search_segments_episode ON search_segments(episode_id);
            CREATE VIRTUAL TABLE search_segments_words USING fts5(text, content='search_segments', content_rowid='id',
                tokenize='unicode61 remove_diacritics 2');
            CREATE VIRTUAL TABLE search_segments_trigram USING fts5(text, content='search_segments', content_rowid='id', tokenize='trigram');
            CREATE TRIGGER search_segments_added AFTER INSERT ON search_segments BEGIN
                INSERT INTO search_segments_words (rowid, text) VALUES (new.id, new.text);
                INSERT INTO search_segments_trigram (rowid, text) VALUES (new.id, new.text);
            END;
            CREATE TRIGGER search_segments_removed AFTER DELETE ON search_segments BEGIN
                INSERT INTO search_segments_words (search_segments_words, rowid, text) VALUES ('delete', old.id, old.text);
                INSERT INTO search_segments_trigram (search_segments_trigram, rowid, text) VALUES ('delete', old.id, old.text);
            END;
            CREATE TRIGGER search_segments_transcript_cleared AFTER UPDATE OF transcript_path ON episodes
            WHEN new.transcript_path IS NULL BEGIN
                DELETE FROM search_segments WHERE episode_id = new.id;
            END;
            CREATE VIRTUAL TABLE search_episodes_words USING fts5(title, description, content='episodes', content_rowid='id',
                tokenize='unicode61 remove_diacritics 2');
            CREATE VIRTUAL TABLE search_episodes_trigram USING fts5(title, description, content='episodes', content_rowid='id', tokenize='trigram');
            CREATE TRIGGER search_episodes_added AFTER INSERT ON episodes BEGIN
                INSERT INTO search_episodes_words (rowid, title, description) VALUES (new.id, new.title, new.description);
                INSERT INTO search_episodes_trigram (rowid, title, description) VALUES (new.id, new.title, new.description);
            END;
            CREATE TRIGGER search_episodes_removed AFTER DELETE ON episodes BEGIN
                INSERT INTO search_episodes_words (search_episodes_words, rowid, title, description) VALUES ('delete', old.id, old.title, old.description);
                INSERT INTO search_episodes_trigram (search_episodes_trigram, rowid, title, description) VALUES ('delete', old.id, old.title, old.description);
            END;
            CREATE TRIGGER search_episodes_changed AFTER UPDATE OF title, description ON episodes BEGIN
                INSERT INTO search_episodes_words (search_episodes_words, rowid, title, description) VALUES ('delete', old.id, old.title, old.description);
                INSERT INTO search_episodes_trigram (search_episodes_trigram, rowid, title, description) VALUES ('delete', old.id, old.title, old.description);
                INSERT INTO search_episodes_words (rowid, title, description) VALUES (new.id, new.title, new.description);
                INSERT INTO search_episodes_trigram (rowid, title, description) VALUES (new.id, new.title, new.description);
            END;
            INSERT INTO search_episodes_words (search_episodes_words) VALUES ('rebuild');
            INSERT INTO search_episodes_trigram (search_episodes_trigram) VALUES ('rebuild');
            """,
        // Search: prefix indexes of 2 to 5 characters in the word indexes. Without them a prefix query ("trans*") merges
        // the doclists of every word it begins, for each query; with them it reads one doclist, as a word does. Longer
        // prefixes begin few enough words to need none. The triggers name the tables, so they keep working; the indexes
        // are rebuilt from the stored text.
        """
            DROP TABLE search_segments_words;
            CREATE VIRTUAL TABLE search_segments_words USING fts5(text, content='search_segments', content_rowid='id',
                tokenize='unicode61 remove_diacritics 2', prefix='2 3 4 5');
            INSERT INTO search_segments_words (search_segments_words) VALUES ('rebuild');
            DROP TABLE search_episodes_words;
            CREATE VIRTUAL TABLE search_episodes_words USING fts5(title, description, content='episodes', content_rowid='id',
                tokenize='unicode61 remove_diacritics 2', prefix='2 3 4 5');
            INSERT INTO search_episodes_words (search_episodes_words) VALUES ('rebuild');
            """,
        // Spans: a long episode's transcription split at silences into child jobs (parent_job_id, the nominal range
        // [span_start_ms, span_end_ms)), each with its own lease and attempts; the parent records how many it was split
        // into (spans) and waits, running without a lease, until the last span's result stitches the transcript. A span's
        // result (its transcript's JSON) waits in span_result until then. The one-active-job rule stays for whole jobs:
        // a split parent and its spans are active together.
        """
            ALTER TABLE jobs ADD COLUMN parent_job_id INTEGER;
            ALTER TABLE jobs ADD COLUMN span_start_ms INTEGER;
            ALTER TABLE jobs ADD COLUMN span_end_ms INTEGER;
            ALTER TABLE jobs ADD COLUMN spans INTEGER;
            ALTER TABLE jobs ADD COLUMN span_result TEXT;
            DROP INDEX jobs_one_active;
            CREATE UNIQUE INDEX jobs_one_active ON jobs(episode_id, job_type) WHERE status IN ('queued', 'running') AND parent_job_id IS NULL;
            CREATE INDEX jobs_spans ON jobs(parent_job_id, span_start_ms) WHERE parent_job_id IS NOT NULL;
            """,
        // Search: a word-pair index for phrases. The word index answers a phrase by walking the doclists of all its
        // words, so any phrase with "the" in it walked most of the index. Here each segment's neighbouring words are
        // indexed as pairs ("tell_the the_truth", computed by the cast2md_word_pairs function every connection of ours
        // registers): a phrase is a phrase of its pairs, and a pair's doclist is short. Contentless (the pairs are not
        // stored), so a segment's entry is deleted by row id. The existing segments are indexed here once, and the index
        // merged into one segment after that bulk insert: left as the insert wrote it (dozens of partial segments), the
        // next writes paid for the merging, 250 ms instead of 60 ms for a 200-segment transcript at two million.
        """
            CREATE VIRTUAL TABLE search_segments_pairs USING fts5(pairs, content='', contentless_delete=1,
                tokenize="unicode61 remove_diacritics 0 tokenchars '_'");
            INSERT INTO search_segments_pairs (rowid, pairs) SELECT id, cast2md_word_pairs(text) FROM search_segments;
            INSERT INTO search_segments_pairs (search_segments_pairs) VALUES ('optimize');
            DROP TRIGGER search_segments_added;
            CREATE TRIGGER search_segments_added AFTER INSERT ON search_segments BEGIN
                INSERT INTO search_segments_words (rowid, text) VALUES (new.id, new.text);
                INSERT INTO search_segments_trigram (rowid, text) VALUES (new.id, new.text);
                INSERT INTO search_segments_pairs (rowid, pairs) VALUES (new.id, cast2md_word_pairs(new.text));
            END;
            DROP TRIGGER search_segments_removed;
            CREATE TRIGGER search_segments_removed AFTER DELETE ON search_segments BEGIN
                INSERT INTO search_segments_words (search_segments_words, rowid, text) VALUES ('delete', old.id, old.text);
                INSERT INTO search_segments_trigram (search_segments_trigram, rowid, text) VALUES ('delete', old.id, old.text);
                DELETE FROM search_segments_pairs WHERE rowid = old.id;
            END;
            """,
        // Spans: a split parent's progress is its spans' (the mean: spans are cut near even points; a completed span
        // counts 100, a running one its own progress, a queued one 0 whatever it reached before it failed), kept by trigger whatever path a span's progress or status takes (lease
        // renewals, completion, a retry that starts it again), so the queue, the API and the monitor's ETA show the
        // episode's progress and not the 0 of the moment it was split. Only a parent still waiting is updated.
        """
            CREATE TRIGGER jobs_span_progress AFTER UPDATE OF progress_percent, status ON jobs
            WHEN new.parent_job_id IS NOT NULL BEGIN
                UPDATE jobs SET progress_percent = (
                    SELECT AVG(CASE span.status WHEN 'completed' THEN 100.0 WHEN 'running' THEN COALESCE(span.progress_percent, 0) ELSE 0 END)
                    FROM jobs span WHERE span.parent_job_id = new.parent_job_id)
                WHERE id = new.parent_job_id AND status = 'running';
            END;
            """,
    ];

    public static int LatestVersion => Steps.Length;

    /// <param name="upTo">Stop after this version (specs build a database as an older cast2md left it).</param>
    public static void Apply(SqliteConnection connection, int? upTo = null)
    {
        using var transaction = connection.BeginTransaction(deferred: false);
        var current = CurrentVersion(connection, transaction);
        if (current > Steps.Length)
            throw new Errors.Cast2mdException(
                $"The database was written by a newer cast2md (schema {current}, this one knows {Steps.Length}); upgrade cast2md."
            );
        for (var version = current + 1; version <= Math.Min(upTo ?? Steps.Length, Steps.Length); version++)
        {
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            // user_version cannot be a parameter; the value is our own integer constant.
            command.CommandText = Steps[version - 1] + $"\nPRAGMA user_version = {version};";
            command.ExecuteNonQuery();
        }
        transaction.Commit();
    }

    private static int CurrentVersion(SqliteConnection connection, SqliteTransaction transaction)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "PRAGMA user_version;";
        return Convert.ToInt32(command.ExecuteScalar());
    }
}
