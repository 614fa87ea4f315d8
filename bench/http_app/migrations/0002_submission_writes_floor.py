"""Tables of the submission's writes floor (bench/http_app/views.py `submission_writes`): the rows a submission
writes, each with its key and the unique constraints the real ones have, no other index."""

from django.db import migrations

TABLES = """
CREATE TABLE bench_sub_user (id integer PRIMARY KEY, username varchar(150) NOT NULL, is_active boolean NOT NULL);
CREATE TABLE bench_sub_token (id integer PRIMARY KEY, key_hash varchar(64) NOT NULL UNIQUE, user_id integer NOT NULL,
    expires_at timestamptz NOT NULL, assurance_level smallint NOT NULL);
CREATE TABLE bench_sub_sequence (agency varchar(30) NOT NULL, day date NOT NULL, value integer NOT NULL,
    PRIMARY KEY (agency, day));
CREATE TABLE bench_sub_dossier (id serial PRIMARY KEY, code varchar(40) NOT NULL UNIQUE,
    idempotency_key varchar(100) NOT NULL UNIQUE, applicant_id integer NOT NULL, form_data text NOT NULL,
    submitted_at timestamptz NOT NULL);
CREATE TABLE bench_sub_blob (id serial PRIMARY KEY, sha256 varchar(64) NOT NULL UNIQUE, size integer NOT NULL,
    created_at timestamptz NOT NULL);
CREATE TABLE bench_sub_document (id serial PRIMARY KEY, dossier_id integer NOT NULL, slot varchar(60) NOT NULL,
    name varchar(200) NOT NULL, blob_id integer NOT NULL);
CREATE TABLE bench_sub_event (id serial PRIMARY KEY, dossier_id integer NOT NULL, seq integer NOT NULL,
    action varchar(30) NOT NULL, created_at timestamptz NOT NULL, data text NOT NULL);
CREATE TABLE bench_sub_head (id integer PRIMARY KEY, position integer NOT NULL, hash varchar(64) NOT NULL);
CREATE TABLE bench_sub_seal (id serial PRIMARY KEY, position integer NOT NULL UNIQUE, event_id integer NOT NULL,
    prev_hash varchar(64) NOT NULL, hash varchar(64) NOT NULL);
CREATE TABLE bench_sub_sync (id serial PRIMARY KEY, dossier_id integer NOT NULL, event_id integer NOT NULL,
    payload text NOT NULL);
CREATE TABLE bench_sub_stored (id serial PRIMARY KEY, owner_id integer NOT NULL, name varchar(200) NOT NULL,
    blob_id integer NOT NULL);
INSERT INTO bench_sub_head VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
"""


class Migration(migrations.Migration):
    dependencies = [("http_bench", "0001_create_bare_rows")]

    operations = [migrations.RunSQL(TABLES, reverse_sql=migrations.RunSQL.noop)]
