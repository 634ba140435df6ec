package dev.sluice.compiler.endpoint;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where a script reads or writes, as seed 001 writes it: {@code 'kafka://host:9092/topic'},
 * {@code 'file:///data/*.csv'}, {@code 'postgresql://user@host:5432/db?table=orders'}. Kafka
 * endpoints are topics; every other endpoint is served by a Kafka Connect connector that feeds or
 * drains a topic the compiler names after the query.
 */
public sealed interface Endpoint {

    /** The URI as written, with any password replaced: safe to print. */
    String display();

    /** {@code kafka://broker1:9092,broker2:9092/topic}. */
    record Kafka(String servers, String topic, String display) implements Endpoint {
    }

    /** {@code file:///dir/year=*&#47;*.csv}: a glob of local files (or a directory for a sink). */
    record Files(String path, String display) implements Endpoint {
        /** The format the file names say: csv, jsonl, parquet, or empty. */
        public Optional<String> formatFromName() {
            String p = path.toLowerCase(java.util.Locale.ROOT);
            if (p.endsWith(".gz")) {
                p = p.substring(0, p.length() - 3);
            }
            for (String ext : List.of("csv", "jsonl", "ndjson", "json", "parquet", "avro", "tsv")) {
                if (p.endsWith("." + ext)) {
                    return Optional.of(ext.equals("ndjson") ? "jsonl" : ext);
                }
            }
            return Optional.empty();
        }
    }

    /**
     * {@code postgresql://[user[:password]@]host[:port]/database[?table=t&mode=cdc]}. The password,
     * if any, is a {@code ${ENV}} reference or a literal the printed form hides.
     */
    record Postgres(String host, int port, String database, Optional<String> user, Optional<String> password,
                    Map<String, String> parameters, String display) implements Endpoint {
        public Optional<String> table() {
            return Optional.ofNullable(parameters.get("table"));
        }

        public String jdbcUrl() {
            return "jdbc:postgresql://" + host + ":" + port + "/" + database;
        }
    }

    /**
     * {@code clickhouse://[user[:password]@]host[:port]/database[?table=t&secure=true]}: ClickHouse
     * over its HTTP interface (port 8123 unless written; {@code secure=true} or
     * {@code clickhouses://} for HTTPS, port 8443). {@code database} is empty when the URI names none.
     */
    record ClickHouse(String host, int port, boolean secure, String database, Optional<String> user,
                      Optional<String> password, Map<String, String> parameters, String display) implements Endpoint {
        public Optional<String> table() {
            return Optional.ofNullable(parameters.get("table"));
        }

        public String httpUrl() {
            return (secure ? "https://" : "http://") + host + ":" + port;
        }
    }

    /** {@code http(s)://host/path}: a URL polled for JSON records. */
    record Http(String url, String display) implements Endpoint {
    }

    /** {@code s3://bucket/key-pattern}: objects whose keys match (a source) or a key prefix template (a sink). */
    record S3(String bucket, String keys, String display) implements Endpoint {
    }

    /** Parquet-on-S3 endpoints: parsed, not planned yet. */
    record Unsupported(String scheme, String display) implements Endpoint {
    }
}
