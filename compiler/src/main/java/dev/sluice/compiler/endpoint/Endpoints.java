package dev.sluice.compiler.endpoint;

import dev.sluice.grammar.SqlException;
import dev.sluice.grammar.ast.NodeLocation;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Parses endpoint URIs, with errors at the place the URI is written. */
public final class Endpoints {
    private Endpoints() {
    }

    /** The format a {@code parquet://}, {@code avro://}, {@code csv://} or {@code jsonl://} wrapper names. */
    public static Optional<String> uriFormat(String uri) {
        int sep = uri.indexOf("://");
        String scheme = sep < 0 ? "" : uri.substring(0, sep).toLowerCase(Locale.ROOT);
        return java.util.List.of("parquet", "avro", "csv", "jsonl").contains(scheme) ? Optional.of(scheme) : Optional.empty();
    }

    /**
     * The options with the URI's wrapper format as {@code format}; a different {@code format} written
     * beside it is an error (which of the two is meant cannot be told).
     */
    public static Map<String, String> withUriFormat(String uri, Map<String, String> options, NodeLocation where) {
        Optional<String> format = uriFormat(uri);
        if (format.isEmpty()) {
            return options;
        }
        String written = options.get("format");
        if (written != null && !written.equalsIgnoreCase(format.get())) {
            throw new SqlException(where, "'" + uri + "' is read as " + format.get() + " but format = '" + written + "'",
                    "remove format, or the " + format.get() + ":// prefix");
        }
        Map<String, String> out = new LinkedHashMap<>(options);
        out.put("format", format.get());
        return out;
    }

    public static boolean isUri(String text) {
        return text.matches("^[A-Za-z][A-Za-z0-9+.-]*://.*");
    }

    public static Endpoint parse(String uri, NodeLocation where) {
        int sep = uri.indexOf("://");
        if (sep < 0) {
            throw new SqlException(where, "'" + uri + "' is not an endpoint URI",
                    "write scheme://..., e.g. 'kafka://host:9092/topic' or 'file:///data/*.csv'");
        }
        String scheme = uri.substring(0, sep).toLowerCase(Locale.ROOT);
        String rest = uri.substring(sep + 3);
        return switch (scheme) {
            case "kafka" -> kafka(uri, rest, where);
            case "file" -> files(uri, rest, where);
            case "postgresql", "postgres" -> postgres(uri, rest, where);
            case "clickhouse", "clickhouses" -> clickhouse(uri, scheme, rest, where);
            case "http", "https" -> new Endpoint.Http(uri, uri);
            case "s3", "s3a" -> s3(uri, rest, where);
            case "parquet", "avro", "csv", "jsonl" -> {
                // parquet://s3://bucket/*.parquet: the format, then the files or objects it is read from
                Endpoint inner = parse(rest, where);
                if (!(inner instanceof Endpoint.S3) && !(inner instanceof Endpoint.Files)) {
                    throw new SqlException(where, scheme + ":// wraps an s3:// or file:// URI, not '" + rest + "'",
                            "write '" + scheme + "://s3://bucket/prefix/*' or '" + scheme + "://file:///dir/*'");
                }
                yield inner;
            }
            default -> throw new SqlException(where, "unknown endpoint scheme '" + scheme + "'",
                    "Sluice reads and writes kafka://, file://, postgresql://, clickhouse:// and s3://, and reads "
                            + "http(s)://");
        };
    }

    private static Endpoint.Kafka kafka(String uri, String rest, NodeLocation where) {
        int slash = rest.indexOf('/');
        if (slash < 0 || slash == rest.length() - 1) {
            throw new SqlException(where, "'" + uri + "' names no topic", "write kafka://host:9092/topic");
        }
        String topic = rest.substring(slash + 1);
        int q = topic.indexOf('?');
        if (q >= 0) {
            topic = topic.substring(0, q);
        }
        return new Endpoint.Kafka(rest.substring(0, slash), topic, uri);
    }

    private static Endpoint.Files files(String uri, String rest, NodeLocation where) {
        if (!rest.startsWith("/")) {
            throw new SqlException(where, "'" + uri + "' is not an absolute file path",
                    "write file:///absolute/path/*.csv (three slashes)");
        }
        return new Endpoint.Files(rest, uri);
    }

    /** user, password, host:port, path and query parameters of {@code [user[:password]@]host[:port]/path[?k=v&...]}. */
    private record Parts(Optional<String> user, Optional<String> password, String hostPort, String path,
                         Map<String, String> params) {
        String host() {
            int colon = hostPort.lastIndexOf(':');
            return colon < 0 ? hostPort : hostPort.substring(0, colon);
        }

        int port(int otherwise, String uri, NodeLocation where) {
            int colon = hostPort.lastIndexOf(':');
            try {
                return colon < 0 ? otherwise : Integer.parseInt(hostPort.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new SqlException(where, "bad port in '" + redact(uri, password) + "'");
            }
        }
    }

    private static Parts parts(String rest) {
        Map<String, String> params = new LinkedHashMap<>();
        int q = rest.indexOf('?');
        if (q >= 0) {
            for (String pair : rest.substring(q + 1).split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String k = eq < 0 ? pair : pair.substring(0, eq);
                String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                params.put(k.toLowerCase(Locale.ROOT), v);
            }
            rest = rest.substring(0, q);
        }
        Optional<String> user = Optional.empty();
        Optional<String> password = Optional.empty();
        int at = rest.lastIndexOf('@');
        if (at >= 0) {
            String credentials = rest.substring(0, at);
            rest = rest.substring(at + 1);
            int colon = credentials.indexOf(':');
            user = Optional.of(colon < 0 ? credentials : credentials.substring(0, colon));
            if (colon >= 0) {
                password = Optional.of(credentials.substring(colon + 1));
            }
        }
        int slash = rest.indexOf('/');
        return new Parts(user, password, slash < 0 ? rest : rest.substring(0, slash),
                slash < 0 ? "" : rest.substring(slash + 1), params);
    }

    private static Endpoint.Postgres postgres(String uri, String rest, NodeLocation where) {
        Parts p = parts(rest);
        if (p.path().isEmpty()) {
            throw new SqlException(where, "'" + redact(uri, p.password()) + "' names no database",
                    "write postgresql://host:5432/database?table=name");
        }
        return new Endpoint.Postgres(p.host(), p.port(5432, uri, where), p.path(), p.user(), p.password(), p.params(),
                redact(uri, p.password()));
    }

    private static Endpoint.S3 s3(String uri, String rest, NodeLocation where) {
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        if (bucket.isEmpty()) {
            throw new SqlException(where, "'" + uri + "' names no bucket", "write s3://bucket/prefix/*.jsonl");
        }
        return new Endpoint.S3(bucket, slash < 0 ? "" : rest.substring(slash + 1), uri);
    }

    private static Endpoint.ClickHouse clickhouse(String uri, String scheme, String rest, NodeLocation where) {
        Parts p = parts(rest);
        boolean secure = scheme.equals("clickhouses") || Boolean.parseBoolean(p.params().getOrDefault("secure", "false"));
        String database = p.path().endsWith("/") ? p.path().substring(0, p.path().length() - 1) : p.path();
        return new Endpoint.ClickHouse(p.host(), p.port(secure ? 8443 : 8123, uri, where), secure,
                database, p.user(), p.password(), p.params(), redact(uri, p.password()));
    }

    /** A literal password is hidden when the URI is printed; a ${ENV} reference is shown as written. */
    private static String redact(String uri, Optional<String> password) {
        if (password.isEmpty() || password.get().startsWith("${")) {
            return uri;
        }
        return uri.replace(":" + password.get() + "@", ":****@");
    }
}
