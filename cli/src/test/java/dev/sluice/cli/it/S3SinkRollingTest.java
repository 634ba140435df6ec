package dev.sluice.cli.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.connect.Json;
import dev.sluice.connect.parquet.ParquetRows;
import dev.sluice.connect.s3.S3Clients;
import dev.sluice.connect.s3.S3Settings;
import dev.sluice.connect.s3.S3SinkTask;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The S3 sink task with {@code flush_interval} (rotate.interval.ms) against s3rver: an object stays
 * open across commits, and the commit stops below its first row, until its rows span the interval
 * of event time; then it is uploaded as a Parquet object and the commit moves on to the next
 * object's first row. Stopping discards the open object (its rows come again from the commit).
 */
class S3SinkRollingTest {
    private static final String SCHEMA = "{\"type\":\"record\",\"name\":\"r\",\"fields\":[{\"name\":\"id\",\"type\":\"long\"},"
            + "{\"name\":\"kind\",\"type\":[\"null\",\"string\"],\"default\":null}]}";

    @Test
    void anObjectRollsWhenItsRowsSpanTheFlushIntervalAndCommitsStopBelowOpenObjects(@TempDir Path dir) throws Exception {
        S3Server server = S3Server.shared();
        String bucket = KafkaBrokerExtension.uniqueName("rolling").toLowerCase().replace('_', '-');
        S3Client s3 = S3Clients.create(new S3Settings("us-east-1", server.endpoint(), S3Server.KEY, S3Server.KEY, "", "",
                "", "", "", false));
        s3.createBucket(b -> b.bucket(bucket));
        S3SinkTask task = new S3SinkTask();
        task.start(Map.of("s3.bucket", bucket, "s3.prefix", "lake/", "s3.endpoint", server.endpoint(),
                "s3.access.key.id", S3Server.KEY, "s3.secret.access.key", S3Server.KEY, "format", "parquet",
                "avro.schema", SCHEMA, "rotate.interval.ms", "3600000"));
        long t0 = 1_700_000_000_000L;
        TopicPartition tp = new TopicPartition("events", 0);
        task.put(List.of(record(10, t0, "{\"id\":1,\"kind\":\"a\"}"), record(11, t0 + 1_000, "{\"id\":2,\"kind\":null}")));
        assertEquals(Map.of(tp, new OffsetAndMetadata(10)), task.preCommit(Map.of(tp, new OffsetAndMetadata(12))),
                "rows of an open object are not committed");
        assertEquals(List.of(), keys(s3, bucket));

        task.put(List.of(record(12, t0 + 3_600_000, "{\"id\":3,\"kind\":\"c\"}"))); // an hour of event time later
        assertEquals(Map.of(tp, new OffsetAndMetadata(12)), task.preCommit(Map.of(tp, new OffsetAndMetadata(13))));
        List<String> keys = keys(s3, bucket);
        assertEquals(List.of("lake/events-0-0000000000000000010.parquet"), keys);
        Path copy = dir.resolve("copy.parquet");
        Files.write(copy, s3.getObjectAsBytes(b -> b.bucket(bucket).key(keys.get(0))).asByteArray());
        List<String> rows = new ArrayList<>();
        try (ParquetRows r = ParquetRows.open(copy, 0)) {
            for (var row = r.next(); row != null; row = r.next()) {
                rows.add(Json.object(row));
            }
        }
        assertEquals(List.of("{\"id\":1,\"kind\":\"a\"}", "{\"id\":2,\"kind\":null}"), rows);
        task.stop();
        assertEquals(1, keys(s3, bucket).size(), "the open object is discarded, not uploaded, on stop");
        s3.close();
    }

    /**
     * Rows of one partition under two paths: rolling one path's object rolls the other's too, so the
     * commit passes every uploaded row; were the other left open, the commit would stay below it and
     * a restart would write the rolled path's later rows into a second object. A replay from before
     * the commit (its acknowledgement lost) writes the same objects again under the same names.
     */
    @Test
    void aRollClosesEveryOpenObjectOfThePartitionSoAReplayNeverDoublesARow() throws Exception {
        S3Server server = S3Server.shared();
        String bucket = KafkaBrokerExtension.uniqueName("rolling").toLowerCase().replace('_', '-');
        S3Client s3 = S3Clients.create(new S3Settings("us-east-1", server.endpoint(), S3Server.KEY, S3Server.KEY, "", "",
                "", "", "", false));
        s3.createBucket(b -> b.bucket(bucket));
        long t0 = 1_700_000_000_000L;
        TopicPartition tp = new TopicPartition("events", 0);
        List<SinkRecord> input = List.of(record(10, t0, "{\"id\":1,\"kind\":\"a\"}"),
                record(11, t0, "{\"id\":2,\"kind\":\"b\"}"), record(12, t0 + 1_000, "{\"id\":3,\"kind\":\"a\"}"),
                record(13, t0 + 3_600_000, "{\"id\":4,\"kind\":\"a\"}"));
        for (int run = 1; run <= 2; run++) { // the second run replays from offset 10: the first commit was lost
            S3SinkTask task = new S3SinkTask();
            task.start(Map.of("s3.bucket", bucket, "s3.prefix", "lake/${kind}/", "s3.endpoint", server.endpoint(),
                    "s3.access.key.id", S3Server.KEY, "s3.secret.access.key", S3Server.KEY, "format", "json",
                    "rotate.interval.ms", "3600000"));
            task.put(input);
            assertEquals(Map.of(tp, new OffsetAndMetadata(13)), task.preCommit(Map.of(tp, new OffsetAndMetadata(14))),
                    "run " + run + ": the roll of path a closed path b's object too, so only the open row 13 is held back");
            task.stop();
            assertEquals(List.of("lake/a/events-0-0000000000000000010.jsonl", "lake/b/events-0-0000000000000000011.jsonl"),
                    keys(s3, bucket), "run " + run);
        }
        assertEquals("{\"id\":1,\"kind\":\"a\"}\n{\"id\":3,\"kind\":\"a\"}\n",
                s3.getObjectAsBytes(b -> b.bucket(bucket).key("lake/a/events-0-0000000000000000010.jsonl")).asUtf8String());
        assertEquals("{\"id\":2,\"kind\":\"b\"}\n",
                s3.getObjectAsBytes(b -> b.bucket(bucket).key("lake/b/events-0-0000000000000000011.jsonl")).asUtf8String());
        s3.close();
    }

    private static SinkRecord record(long offset, long timestamp, String json) {
        return new SinkRecord("events", 0, null, null, null, json, offset, timestamp, TimestampType.CREATE_TIME);
    }

    private static List<String> keys(S3Client s3, String bucket) {
        return s3.listObjectsV2Paginator(b -> b.bucket(bucket)).contents().stream().map(S3Object::key).sorted().toList();
    }
}
