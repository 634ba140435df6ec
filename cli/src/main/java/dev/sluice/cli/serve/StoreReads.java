package dev.sluice.cli.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads a served table's store through Kafka Streams' interactive queries, wherever it lives: a key
 * from the one instance that owns it ({@code queryMetadataForKey}), a scan partition by partition
 * from each partition's active owner (or, while none is active during a rebalance, a standby).
 * Partitions held here are read locally; the others are asked of their owner's query API
 * ({@code POST /internal/store}), found by the {@code application.server} each instance advertises.
 */
final class StoreReads {
    /** One stored entry: the sink topic's key and value bytes. */
    record Entry(byte[] key, byte[] value) {
    }

    /**
     * What a read returned, and which partitions came from a standby replica because their active
     * owner was gone or moving: those may lag the active by the standby's restore distance.
     */
    record Read(List<Entry> entries, List<String> fromStandby) {
        Read {
            entries = List.copyOf(entries);
            fromStandby = List.copyOf(fromStandby);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT_FOR_OWNERS = Duration.ofSeconds(15);

    private final ServeContext ctx;
    private final HttpClient http;

    StoreReads(ServeContext ctx) {
        this.ctx = ctx;
        HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
        ctx.tls().ifPresent(t -> b.sslContext(t.context()));
        this.http = b.build();
    }

    /** The entry of {@code key} (the sink's key bytes), from the instance owning its partition. */
    Read lookup(ServedTables.Served table, byte[] key) {
        long deadline = System.nanoTime() + WAIT_FOR_OWNERS.toNanos();
        while (true) {
            KeyQueryMetadata meta = ctx.streams().queryMetadataForKey(table.store(), key, new ByteArraySerializer());
            List<HostInfo> candidates = new ArrayList<>();
            if (meta != null && meta.activeHost() != null && meta.activeHost().port() >= 0) {
                candidates.add(meta.activeHost());
            }
            if (meta != null) {
                candidates.addAll(meta.standbyHosts());
            }
            for (int i = 0; i < candidates.size(); i++) {
                boolean stale = i > 0 || meta.activeHost() == null || meta.activeHost().port() < 0;
                try {
                    List<Entry> found = read(candidates.get(i), table.store(), Set.of(meta.partition()), key, stale);
                    return new Read(found, stale ? List.of(describe(table, meta.partition(), candidates.get(i))) : List.of());
                } catch (RuntimeException notThere) {
                    // the owner moved or is down: try a standby, then ask again
                }
            }
            if (System.nanoTime() > deadline) {
                throw new Unavailable("no instance can answer for this key of " + table.source().name()
                        + " right now (state " + ctx.streams().state() + ")");
            }
            sleep();
        }
    }

    /**
     * Every entry, each partition read from one instance in one pass (consistent per partition): from
     * its active owner, or, when the owner does not answer (gone, or moving in a rebalance), from an
     * instance holding a standby replica of it.
     */
    Read scan(ServedTables.Served table) {
        long deadline = System.nanoTime() + WAIT_FOR_OWNERS.toNanos();
        while (true) {
            Map<HostInfo, Set<Integer>> active = new LinkedHashMap<>();
            Map<HostInfo, Set<Integer>> standby = new LinkedHashMap<>();
            for (StreamsMetadata m : ctx.streams().streamsMetadataForStore(table.store())) {
                m.topicPartitions().stream().filter(tp -> tp.topic().equals(table.topic()))
                        .forEach(tp -> active.computeIfAbsent(m.hostInfo(), h -> new TreeSet<>()).add(tp.partition()));
                m.standbyTopicPartitions().stream().filter(tp -> tp.topic().equals(table.topic()))
                        .forEach(tp -> standby.computeIfAbsent(m.hostInfo(), h -> new TreeSet<>()).add(tp.partition()));
            }
            int partitions = partitionCount(table.topic());
            List<Entry> out = new ArrayList<>();
            List<String> stale = new ArrayList<>();
            Set<Integer> done = new TreeSet<>();
            for (var e : active.entrySet()) {
                try {
                    out.addAll(read(e.getKey(), table.store(), e.getValue(), null, false));
                    done.addAll(e.getValue());
                } catch (RuntimeException gone) {
                    // the owner does not answer: its partitions go to a standby below
                }
            }
            for (var e : standby.entrySet()) {
                Set<Integer> missing = new TreeSet<>(e.getValue());
                missing.removeAll(done);
                if (missing.isEmpty()) {
                    continue;
                }
                try {
                    out.addAll(read(e.getKey(), table.store(), missing, null, true));
                    done.addAll(missing);
                    missing.forEach(p -> stale.add(describe(table, p, e.getKey())));
                } catch (RuntimeException notThere) {
                    // try another standby, or the next round
                }
            }
            if (done.size() >= partitions) {
                return new Read(out, stale);
            }
            if (System.nanoTime() > deadline) {
                throw new Unavailable(table.source().name() + ": " + (partitions - done.size()) + " of " + partitions
                        + " partitions have no instance that can answer right now (state " + ctx.streams().state() + ")");
            }
            sleep();
        }
    }

    private static String describe(ServedTables.Served table, int partition, HostInfo host) {
        return table.source().name() + " partition " + partition + " from the standby on " + host.host() + ":" + host.port();
    }

    private int partitionCount(String topic) {
        try {
            return ctx.admin().describeTopics(List.of(topic)).allTopicNames().get(10, java.util.concurrent.TimeUnit.SECONDS)
                    .get(topic).partitions().size();
        } catch (Exception e) {
            throw new IllegalStateException("cannot describe " + topic + ": " + e.getMessage(), e);
        }
    }

    private List<Entry> read(HostInfo host, String store, Set<Integer> partitions, byte[] key, boolean stale) {
        if (host.equals(ctx.self())) {
            return local(ctx.streams(), store, partitions, key, stale);
        }
        ObjectNode request = JSON.createObjectNode();
        request.put("store", store);
        ArrayNode ps = request.putArray("partitions");
        partitions.forEach(ps::add);
        if (key != null) {
            request.put("key", Base64.getEncoder().encodeToString(key));
        }
        request.put("stale", stale);
        String scheme = ctx.tls().isPresent() ? "https" : "http";
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(scheme + "://" + host.host() + ":" + host.port() + "/internal/store"))
                .timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(request.toString()));
        ctx.credentials().ifPresent(c -> b.header("Authorization", "Basic " + Base64.getEncoder()
                .encodeToString((c.user() + ":" + c.password()).getBytes(StandardCharsets.UTF_8))));
        try {
            HttpResponse<String> response = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(host + " answered " + response.statusCode() + ": " + response.body());
            }
            List<Entry> out = new ArrayList<>();
            for (JsonNode e : JSON.readTree(response.body()).get("entries")) {
                out.add(new Entry(Base64.getDecoder().decode(e.get(0).asText()), Base64.getDecoder().decode(e.get(1).asText())));
            }
            return out;
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot reach " + host + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** This instance's partitions of {@code store}; also what {@code /internal/store} answers. */
    static List<Entry> local(KafkaStreams streams, String store, Set<Integer> partitions, byte[] key, boolean stale) {
        List<Entry> out = new ArrayList<>();
        for (int p : partitions) {
            StoreQueryParameters<ReadOnlyKeyValueStore<Bytes, byte[]>> params = StoreQueryParameters
                    .fromNameAndType(store, QueryableStoreTypes.<Bytes, byte[]>keyValueStore()).withPartition(p);
            if (stale) {
                params = params.enableStaleStores();
            }
            ReadOnlyKeyValueStore<Bytes, byte[]> kv = streams.store(params);
            if (key != null) {
                byte[] value = kv.get(Bytes.wrap(key));
                if (value != null) {
                    out.add(new Entry(key, value));
                }
                continue;
            }
            try (KeyValueIterator<Bytes, byte[]> it = kv.all()) {
                it.forEachRemaining(e -> out.add(new Entry(e.key.get(), e.value)));
            }
        }
        return out;
    }

    private static void sleep() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** No instance can answer now (a rebalance without standbys); the API answers 503. */
    static final class Unavailable extends RuntimeException {
        Unavailable(String message) {
            super(message);
        }
    }
}
