namespace Cast2md.Tests.Import;

/// <summary>
/// The original cast2md's PostgreSQL schema as its last migration leaves it (written from its schema table: feeds,
/// episodes, the job queue, nodes, settings, the search tables; pgvector's embeddings left out, as the specs' server
/// has no pgvector). Timestamps are naive, as the original writes them.
/// </summary>
public static class OriginalSchema
{
    public const string Sql = """
        CREATE TABLE feed (
            id SERIAL PRIMARY KEY,
            url TEXT NOT NULL UNIQUE,
            title TEXT NOT NULL,
            description TEXT,
            image_url TEXT,
            author TEXT,
            link TEXT,
            categories TEXT,
            custom_title TEXT,
            last_polled TIMESTAMP,
            itunes_id TEXT,
            pocketcasts_uuid TEXT,
            created_at TIMESTAMP NOT NULL DEFAULT now(),
            updated_at TIMESTAMP NOT NULL DEFAULT now()
        );
        CREATE INDEX idx_feed_url ON feed(url);
        CREATE TABLE episode (
            id SERIAL PRIMARY KEY,
            feed_id INTEGER NOT NULL REFERENCES feed(id) ON DELETE CASCADE,
            guid TEXT NOT NULL,
            title TEXT NOT NULL,
            description TEXT,
            audio_url TEXT NOT NULL,
            duration_seconds INTEGER,
            published_at TIMESTAMP,
            status TEXT NOT NULL DEFAULT 'new',
            audio_path TEXT,
            transcript_path TEXT,
            transcript_url TEXT,
            transcript_model TEXT,
            transcript_source TEXT,
            transcript_type TEXT,
            pocketcasts_transcript_url TEXT,
            transcript_checked_at TIMESTAMP,
            next_transcript_retry_at TIMESTAMP,
            transcript_failure_reason TEXT,
            link TEXT,
            author TEXT,
            error_message TEXT,
            permanent_failure BOOLEAN DEFAULT FALSE,
            created_at TIMESTAMP NOT NULL DEFAULT now(),
            updated_at TIMESTAMP NOT NULL DEFAULT now(),
            UNIQUE (feed_id, guid)
        );
        CREATE INDEX idx_episode_feed ON episode(feed_id);
        CREATE INDEX idx_episode_status ON episode(status);
        CREATE INDEX idx_episode_status_updated ON episode(status, updated_at);
        CREATE INDEX idx_episode_published ON episode(published_at);
        CREATE TABLE job_queue (
            id SERIAL PRIMARY KEY,
            episode_id INTEGER NOT NULL REFERENCES episode(id) ON DELETE CASCADE,
            job_type TEXT NOT NULL,
            priority INTEGER NOT NULL DEFAULT 10,
            status TEXT NOT NULL DEFAULT 'queued',
            attempts INTEGER NOT NULL DEFAULT 0,
            max_attempts INTEGER NOT NULL DEFAULT 10,
            scheduled_at TIMESTAMP NOT NULL DEFAULT now(),
            started_at TIMESTAMP,
            completed_at TIMESTAMP,
            next_retry_at TIMESTAMP,
            error_message TEXT,
            created_at TIMESTAMP NOT NULL DEFAULT now(),
            assigned_node_id TEXT,
            claimed_at TIMESTAMP,
            progress_percent INTEGER
        );
        CREATE INDEX idx_job_queue_status_priority ON job_queue(status, priority);
        CREATE INDEX idx_job_queue_episode ON job_queue(episode_id);
        CREATE INDEX idx_job_queue_type ON job_queue(job_type);
        CREATE UNIQUE INDEX idx_job_queue_episode_type_active ON job_queue(episode_id, job_type) WHERE status IN ('queued', 'running');
        CREATE TABLE transcriber_node (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            url TEXT NOT NULL,
            api_key TEXT NOT NULL,
            whisper_model TEXT,
            whisper_backend TEXT,
            status TEXT NOT NULL DEFAULT 'offline',
            last_heartbeat TIMESTAMP,
            current_job_id INTEGER,
            priority INTEGER NOT NULL DEFAULT 10,
            created_at TIMESTAMP NOT NULL DEFAULT now(),
            updated_at TIMESTAMP NOT NULL DEFAULT now()
        );
        CREATE INDEX idx_transcriber_node_status ON transcriber_node(status);
        CREATE TABLE settings (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL,
            updated_at TIMESTAMP NOT NULL DEFAULT now()
        );
        CREATE TABLE transcript_segments (
            id SERIAL PRIMARY KEY,
            episode_id INTEGER NOT NULL REFERENCES episode(id) ON DELETE CASCADE,
            segment_start REAL NOT NULL,
            segment_end REAL NOT NULL,
            text TEXT NOT NULL,
            text_search TSVECTOR GENERATED ALWAYS AS (to_tsvector('english', text)) STORED
        );
        CREATE INDEX idx_transcript_segments_search ON transcript_segments USING GIN(text_search);
        CREATE INDEX idx_transcript_segments_episode ON transcript_segments(episode_id);
        CREATE TABLE episode_search (
            episode_id INTEGER PRIMARY KEY REFERENCES episode(id) ON DELETE CASCADE,
            feed_id INTEGER NOT NULL,
            title_search TSVECTOR,
            description_search TSVECTOR
        );
        CREATE TABLE schema_version (
            version INTEGER PRIMARY KEY,
            applied_at TIMESTAMP NOT NULL DEFAULT now()
        );
        INSERT INTO schema_version (version) SELECT generate_series(1, 18);
        """;
}
