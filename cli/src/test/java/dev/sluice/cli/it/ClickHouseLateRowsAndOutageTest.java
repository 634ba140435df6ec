package dev.sluice.cli.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.connect.clickhouse.ClickHouseSinkTask;
import dev.sluice.connect.clickhouse.ClickHouseSourceTask;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTaskContext;
import org.apache.kafka.connect.storage.OffsetStorageReader;
import org.junit.jupiter.api.Test;

/**
 * The ClickHouse connectors' tasks against a real ClickHouse (Debian's 18.16). The source reads rows
 * inserted late, at or a little below the last value it read (ties, and rows inside
 * {@code incremental.overlap}), once each, also across a restart from its offset and while paging
 * one row at a time through ties; a row further behind than the overlap is not read, as documented.
 * The sink keeps its rows while ClickHouse is stopped and restarted in the middle of an insert:
 * every row arrives exactly once.
 */
class ClickHouseLateRowsAndOutageTest {

    @Test
    void lateRowsInsideTheOverlapWindowAndTiesAreReadOnceAndARestartResumesWithTheSeenRows() throws Exception {
        ClickHouseServer ch = ClickHouseServer.shared();
        ch.execute("CREATE DATABASE IF NOT EXISTS late", "DROP TABLE IF EXISTS late.events",
                "CREATE TABLE late.events (id UInt64, at DateTime, kind String) ENGINE = MergeTree ORDER BY id",
                "INSERT INTO late.events VALUES (1, '2024-01-15 10:00:00', 'a'), (2, '2024-01-15 10:00:00', 'b')");
        Map<String, String> props = Map.of("clickhouse.url", ch.url(), "clickhouse.database", "late",
                "clickhouse.table", "events", "topic", "t", "poll.interval.ms", "0", "incremental.column", "at",
                "incremental.overlap", "60", "incremental.dedup.key", "id", "max.rows.per.poll", "1");
        ClickHouseSourceTask task = new ClickHouseSourceTask();
        task.initialize(context(null));
        task.start(props);
        // one row per page: the tie at 10:00:00 is paged through, not skipped (a `>` bound skipped row 2)
        List<SourceRecord> read = drain(task);
        assertEquals(List.of(1L, 2L), ids(read));

        ch.execute("INSERT INTO late.events VALUES (3, '2024-01-15 10:00:00', 'tie'), (4, '2024-01-15 09:59:30', 'late'),"
                + " (5, '2024-01-15 09:58:00', 'too late'), (6, '2024-01-15 10:01:00', 'new')");
        List<SourceRecord> more = drain(task);
        // 4 is 30 s behind the last value read (inside the 60 s overlap); 5 is 2 min behind: not read
        assertEquals(List.of(4L, 3L, 6L), ids(more));
        task.stop();

        ch.execute("INSERT INTO late.events VALUES (7, '2024-01-15 10:00:30', 'late after restart')");
        ClickHouseSourceTask restarted = new ClickHouseSourceTask();
        restarted.initialize(context(more.get(more.size() - 1).sourceOffset()));
        restarted.start(props);
        assertEquals(List.of(7L), ids(drain(restarted)), "the restarted task remembers the rows of its window");
        restarted.stop();
    }

    @Test
    void theSinkLosesAndDoublesNoRowWhileClickHouseIsStoppedAndRestartedMidInsert() throws Exception {
        ClickHouseServer first = ClickHouseServer.start();
        ClickHouseServer restarted = null;
        try {
            first.execute("CREATE DATABASE IF NOT EXISTS sink", "CREATE TABLE sink.rows (id UInt64, v String)"
                    + " ENGINE = MergeTree ORDER BY id");
            ClickHouseSinkTask task = new ClickHouseSinkTask();
            task.start(Map.of("clickhouse.url", first.url(), "clickhouse.database", "sink", "clickhouse.table", "rows",
                    "batch.size", "3", "retry.backoff.ms", "200", "max.retry.backoff.ms", "1000", "max.retries", "3",
                    "request.timeout.ms", "5000"));
            task.put(records(0, 4));
            assertEquals("4\n", first.execute("SELECT count() FROM sink.rows"));

            first.stopKeepingData();
            // Connect's sink loop: a put that still fails after the task's own retries throws
            // RetriableException, and Connect hands it the same records again
            List<SinkRecord> second = records(4, 10);
            CompletableFuture<Integer> delivered = CompletableFuture.supplyAsync(() -> {
                int attempts = 0;
                while (true) {
                    attempts++;
                    try {
                        task.put(second);
                        return attempts;
                    } catch (RetriableException e) {
                        if (attempts > 30) {
                            throw e;
                        }
                    }
                }
            });
            Thread.sleep(1500); // the insert is failing and being retried now
            assertTrue(!delivered.isDone(), "the put waits for ClickHouse");
            restarted = first.startAgain();
            int attempts = delivered.get();
            task.put(records(10, 12));
            task.stop();
            System.out.println("ClickHouse sink: rows delivered after " + attempts + " put(s) of Connect's redelivery");
            StringBuilder expected = new StringBuilder();
            for (int i = 0; i < 12; i++) {
                expected.append(i).append("\t1\trow ").append(i).append('\n');
            }
            assertEquals(expected.toString(), restarted.execute(
                    "SELECT id, count(), any(v) FROM sink.rows GROUP BY id ORDER BY id FORMAT TabSeparated"),
                    "every row once: none lost while ClickHouse was down, none doubled by the retries");
        } finally {
            (restarted != null ? restarted : first).close();
        }
    }

    private static List<SinkRecord> records(int from, int to) {
        List<SinkRecord> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add(new SinkRecord("rows", 0, null, null, null, "{\"id\":" + i + ",\"v\":\"row " + i + "\"}", i,
                    1_700_000_000_000L + i, TimestampType.CREATE_TIME));
        }
        return out;
    }

    private static List<SourceRecord> drain(ClickHouseSourceTask task) throws InterruptedException {
        List<SourceRecord> out = new ArrayList<>();
        for (int empty = 0; empty < 3; ) {
            List<SourceRecord> batch = task.poll();
            if (batch == null) {
                empty++;
            } else {
                out.addAll(batch);
            }
        }
        return out;
    }

    private static List<Long> ids(Collection<SourceRecord> records) {
        return records.stream().map(r -> Long.parseLong(dev.sluice.connect.Json.fields((String) r.value()).get("id"))).toList();
    }

    /** What Connect's offset storage gives a starting task: the offset last committed, if any. */
    private static SourceTaskContext context(Map<String, ?> offset) {
        OffsetStorageReader reader = new OffsetStorageReader() {
            @Override
            @SuppressWarnings("unchecked")
            public <T> Map<String, Object> offset(Map<String, T> partition) {
                return (Map<String, Object>) offset;
            }

            @Override
            public <T> Map<Map<String, T>, Map<String, Object>> offsets(Collection<Map<String, T>> partitions) {
                throw new UnsupportedOperationException();
            }
        };
        return new SourceTaskContext() {
            @Override
            public Map<String, String> configs() {
                return Map.of();
            }

            @Override
            public OffsetStorageReader offsetStorageReader() {
                return reader;
            }

            @Override
            public org.apache.kafka.common.metrics.PluginMetrics pluginMetrics() {
                return null; // the tasks register no metrics
            }
        };
    }
}
