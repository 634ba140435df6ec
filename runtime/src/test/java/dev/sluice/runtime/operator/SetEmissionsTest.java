package dev.sluice.runtime.operator;

import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.expr.ExprCompiler;
import dev.sluice.runtime.function.DefaultFunctionCatalog;
import dev.sluice.runtime.plan.AggregateCall;
import dev.sluice.serdes.row.ArrayType;
import dev.sluice.serdes.row.MapType;
import dev.sluice.serdes.row.Row;
import dev.sluice.serdes.row.ScalarType;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A table GROUP BY's COLLECT_SET and HISTOGRAM rows made from the task's cache of emitted sets
 * ({@link SetEmissions}) equal those read from the store, over a random changelog: rows inserted,
 * updated (within and across groups) and deleted, NULLs, a FILTER, DISTINCT forms, a bound small
 * enough to evict, and the aggregate processor re-initialized midway (its cache starts empty).
 */
class SetEmissionsTest {
    private static final Expr V = new Expr.InputRef(0, ScalarType.BIGINT);
    private static final Expr S = new Expr.InputRef(1, ScalarType.VARCHAR);
    private static final List<AggregateCall> CALLS = List.of(
            new AggregateCall("COLLECT_SET", List.of(V), false, Optional.empty(), List.of(), new ArrayType(ScalarType.BIGINT)),
            new AggregateCall("HISTOGRAM", List.of(S), false, Optional.empty(), List.of(),
                    new MapType(ScalarType.VARCHAR, ScalarType.BIGINT)),
            new AggregateCall("COLLECT_SET", List.of(S), false,
                    Optional.of(new Expr.Call(">", List.of(V, new Expr.Literal(1L, ScalarType.BIGINT)), ScalarType.BOOLEAN)),
                    List.of(), new ArrayType(ScalarType.VARCHAR)),
            new AggregateCall("HISTOGRAM", List.of(S), true, Optional.empty(), List.of(),
                    new MapType(ScalarType.VARCHAR, ScalarType.BIGINT)),
            new AggregateCall("COUNT", List.of(), false, Optional.empty(), List.of(), ScalarType.BIGINT));
    private static final Serializer<Row> KEYS = (topic, row) -> row.get(0).toString().getBytes(StandardCharsets.UTF_8);

    @ParameterizedTest
    @ValueSource(longs = {6, 1 << 18})
    void rowsFromTheCacheEqualRowsFromTheStore(long maxValues) {
        DefaultFunctionCatalog functions = DefaultFunctionCatalog.wallClock();
        Aggregation aggregation = Aggregation.overChangelogWithValueStore(CALLS, -1, functions, new ExprCompiler(functions));
        TableElements.keepElementsInStore(CALLS, aggregation);
        KeyValueStore<Bytes, byte[]> store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("q-elements-store"),
                Serdes.Bytes(), Serdes.ByteArray()).withLoggingDisabled().build();
        MockProcessorContext<Object, Object> context = new MockProcessorContext<>();
        store.init(context.getStateStoreContext(), store);
        TaskId task = new TaskId(0, 3);
        SetEmissions.PerTask emitted = new SetEmissions.PerTask(maxValues);
        TableElements owner = TableElements.of(store, "q", CALLS, aggregation, KEYS, -1).withEmissions(emitted);
        owner.openEmissions(task, true);
        TableElements cached = TableElements.of(store, "q", CALLS, aggregation, KEYS, -1).withEmissions(emitted);
        cached.openEmissions(task, false);
        TableElements uncached = TableElements.of(store, "q", CALLS, aggregation, KEYS, -1);

        Random random = new Random(maxValues);
        Map<String, Row> live = new HashMap<>();
        Map<String, String> groupOf = new HashMap<>();
        Map<String, AggregateState> states = new HashMap<>();
        int compared = 0;
        for (int i = 0; i < 1_200; i++) {
            if (i == 600) {
                // the task's aggregate processor is initialized again (an aborted transaction)
                owner.closeEmissions();
                owner.openEmissions(task, true);
            }
            String user = "u" + random.nextInt(25);
            Row old = live.get(user);
            Row now = random.nextInt(5) == 0 ? null
                    : Row.of(random.nextInt(6) == 0 ? null : (long) random.nextInt(6),
                    random.nextInt(6) == 0 ? null : "s" + random.nextInt(8));
            String from = groupOf.get(user);
            String to = now == null ? null : "g" + random.nextInt(3);
            if (from != null && from.equals(to)) {
                compared += change(aggregation, states, owner, cached, uncached, from, old, now);
            } else {
                if (from != null) {
                    compared += change(aggregation, states, owner, cached, uncached, from, old, null);
                }
                if (to != null) {
                    compared += change(aggregation, states, owner, cached, uncached, to, null, now);
                }
            }
            if (now == null) {
                live.remove(user);
                groupOf.remove(user);
            } else {
                live.put(user, now);
                groupOf.put(user, to);
            }
        }
        assertTrue(compared > 800, "rows compared: " + compared);
    }

    /** One change of group {@code group}, then its row made both ways; 1 if a row was made. */
    private static int change(Aggregation aggregation, Map<String, AggregateState> states, TableElements owner,
                              TableElements cached, TableElements uncached, String group, Row old, Row now) {
        Row key = Row.of(group);
        AggregateState state = states.get(group);
        if (old != null) {
            state = aggregation.retract(old, state, null, false);
        }
        if (now != null) {
            state = aggregation.add(now, state == null ? aggregation.initial() : state, null);
        }
        owner.update(key, old, now, state);
        if (state == null) {
            states.remove(group);
            return 0;
        }
        states.put(group, state);
        Object[] fromCache = aggregation.results(state, 1);
        Object[] fromStore = aggregation.results(state, 1);
        // twice from the cache: a row made from it must not change what it holds
        cached.fill(key, aggregation.results(state, 1), 1);
        cached.fill(key, fromCache, 1);
        uncached.fill(key, fromStore, 1);
        assertEquals(Arrays.asList(fromStore), Arrays.asList(fromCache), group);
        return 1;
    }
}
