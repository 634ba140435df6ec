package dev.sluice.cli.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * A real PostgreSQL server (the Debian package, which {@code .ci/run} installs when missing) in a
 * temporary directory, on a free port of 127.0.0.1, with logical replication on for Debezium.
 * PostgreSQL refuses to run as root, so as root it runs as the {@code postgres} user.
 */
public final class PostgresServer extends LocalServer {
    private PostgresServer(Path dir, int port, Process process) {
        super(dir, port, process, dir.resolve("server.log"));
    }

    private static PostgresServer shared;

    /** One server per test JVM (a start costs seconds; databases cost milliseconds), stopped at exit. */
    public static synchronized PostgresServer shared() {
        if (shared == null) {
            shared = start();
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close, "postgres-stop"));
        }
        return shared;
    }

    public static Path binaries() {
        for (String version : List.of("17", "16", "15")) {
            Path bin = Path.of("/usr/lib/postgresql", version, "bin");
            if (Files.isExecutable(bin.resolve("postgres"))) {
                return bin;
            }
        }
        throw new IllegalStateException("PostgreSQL is not installed: apt-get install -y postgresql (.ci/run does this)");
    }

    public static PostgresServer start() {
        try {
            Path bin = binaries();
            Path dir = Files.createTempDirectory("sluice-pg-");
            boolean root = "root".equals(System.getProperty("user.name"));
            if (root) {
                run(List.of("chown", "-R", "postgres:postgres", dir.toString()));
            }
            run(asUser(root, List.of(bin.resolve("initdb").toString(), "-D", dir.resolve("data").toString(),
                    "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync")));
            int port = freePort();
            List<String> cmd = asUser(root, List.of(bin.resolve("postgres").toString(), "-D", dir.resolve("data").toString(),
                    "-p", Integer.toString(port), "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=" + dir,
                    "-c", "wal_level=logical", "-c", "max_replication_slots=10", "-c", "max_wal_senders=10",
                    "-c", "fsync=off", "-c", "TimeZone=UTC"));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("server.log").toFile()).start();
            PostgresServer server = new PostgresServer(dir, port, p);
            server.awaitReady("PostgreSQL", server::acceptsConnections);
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> asUser(boolean root, List<String> cmd) {
        if (!root) {
            return cmd;
        }
        List<String> out = new ArrayList<>(List.of("runuser", "-u", "postgres", "--"));
        out.addAll(cmd);
        return out;
    }

    private static void run(List<String> cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        try {
            if (p.waitFor() != 0) {
                throw new IllegalStateException(String.join(" ", cmd) + " failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private boolean acceptsConnections() throws SQLException {
        try (Connection c = connect("postgres")) {
            return true;
        }
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    public Connection connect(String database) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", "postgres");
        return DriverManager.getConnection(jdbcUrl(database), p);
    }

    public void execute(String database, String... statements) {
        try (Connection c = connect(database); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    @Override
    protected void requestStop() {
        try {
            // fast shutdown: ends open sessions (a replication connection would hold a smart one)
            run(asUser("root".equals(System.getProperty("user.name")), List.of(binaries().resolve("pg_ctl").toString(),
                    "stop", "-m", "fast", "-D", dir.resolve("data").toString())));
        } catch (IOException | RuntimeException e) {
            process.destroy();
        }
    }
}
