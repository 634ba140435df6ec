package dev.sluice.runtime.function.aggregate;

import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.function.Accumulator;
import dev.sluice.runtime.function.AccumulatorFactory;
import dev.sluice.runtime.function.AggregateFunction;
import dev.sluice.runtime.function.FunctionException;
import dev.sluice.serdes.binary.ValueCodec;
import dev.sluice.serdes.row.ArrayType;
import dev.sluice.serdes.row.MapType;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.SqlType;

import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * ksqlDB's aggregates over how often each value was seen, kept as value → count in first-seen
 * order (so they retract exactly, and work over tables too):
 * {@code COLLECT_SET(x)} (distinct values in first-seen order, NULL included once),
 * {@code COUNT_DISTINCT(x)} (NULLs not counted), {@code HISTOGRAM(x)} (MAP of value to count, NULLs
 * not counted), {@code TOPK(x, k)} (the k greatest values, duplicates kept, greatest first) and
 * {@code TOPK(x, other..., k)} (see {@link TopkWithColumns}),
 * {@code TOPKDISTINCT(x, k)} (the k greatest distinct values) and {@code ATTR(x)} (the one value
 * every row has, NULL included; NULL when the rows disagree).
 */
final class ValueCountsFunction implements RetractableAggregate {
    /** ATTR: ksqlDB's "the one value all rows agree on": that value (NULL included), else NULL. */
    enum Kind { COLLECT_SET, COUNT_DISTINCT, HISTOGRAM, TOPK, TOPKDISTINCT, ATTR }

    private final Kind kind;

    ValueCountsFunction(Kind kind) {
        this.kind = kind;
    }

    @Override
    public String name() {
        return kind.name();
    }

    private boolean topK() {
        return kind == Kind.TOPK || kind == Kind.TOPKDISTINCT;
    }

    @Override
    public SqlType returnType(List<Expr> arguments) {
        if (kind == Kind.TOPK && arguments.size() > 2) {
            return TopkWithColumns.returnType(arguments);
        }
        ArgumentChecks.arity(name(), arguments, topK() ? 2 : 1, topK() ? 2 : 1);
        SqlType t = arguments.get(0).type();
        return switch (kind) {
            case COLLECT_SET -> new ArrayType(t);
            case ATTR -> t;
            case COUNT_DISTINCT -> ScalarType.BIGINT;
            case HISTOGRAM -> {
                if (t != ScalarType.VARCHAR && t != ScalarType.NULL) {
                    throw new FunctionException("HISTOGRAM expects (VARCHAR), not (" + t.sql() + ")");
                }
                yield new MapType(ScalarType.VARCHAR, ScalarType.BIGINT);
            }
            case TOPK, TOPKDISTINCT -> {
                ArgumentChecks.comparableOrBytes(name(), arguments, 0, "values");
                if (!Expr.isConstant(arguments.get(1)) || !(((Expr.Literal) arguments.get(1)).value() instanceof Number)) {
                    throw new FunctionException(name() + " expects a constant INTEGER k as its second argument");
                }
                yield new ArrayType(t);
            }
        };
    }

    @Override
    public AccumulatorFactory implement(List<Expr> arguments, SqlType returnType, List<Boolean> sortDescending) {
        if (kind == Kind.TOPK && arguments.size() > 2) {
            return TopkWithColumns.implementBounded(arguments, returnType);
        }
        return implementRetractable(arguments, returnType, sortDescending);
    }

    @Override
    public AccumulatorFactory implementRetractable(List<Expr> arguments, SqlType returnType, List<Boolean> sortDescending) {
        if (kind == Kind.TOPK && arguments.size() > 2) {
            // cannot retract: AggregationPlanner refuses it over a table at the call
            return TopkWithColumns.implementBounded(arguments, returnType);
        }
        SqlType type = arguments.get(0).type();
        int k = topK() ? ((Number) ((Expr.Literal) arguments.get(1)).value()).intValue() : 0;
        if (topK() && k < 1) {
            throw new FunctionException(name() + ": k must be at least 1, not " + k);
        }
        return Factories.of(() -> new Counts(kind, type, k, new LinkedHashMap<>()), in -> {
            long n = StateIo.readVarLong(in);
            Map<Object, Long> counts = new LinkedHashMap<>();
            for (long i = 0; i < n; i++) {
                Object value = ValueCodec.read(in, type);
                counts.put(Counts.key(value), StateIo.readVarLong(in));
            }
            return new Counts(kind, type, k, counts);
        });
    }

    private static final class Counts implements Accumulator {
        private final Kind kind;
        private final SqlType type;
        private final int k;
        private final Map<Object, Long> counts;

        /**
         * The map key of a value: a BYTES value by its content (a {@code byte[]}'s equals is
         * identity, so equal byte strings would be counted apart). Nested BYTES (in an ARRAY or
         * ROW) still compare by identity here.
         */
        static Object key(Object value) {
            return value instanceof byte[] bytes ? java.nio.ByteBuffer.wrap(bytes) : value;
        }

        /** The value a map key stands for. */
        static Object value(Object key) {
            return key instanceof java.nio.ByteBuffer bytes ? bytes.array() : key;
        }

        Counts(Kind kind, SqlType type, int k, Map<Object, Long> counts) {
            this.kind = kind;
            this.type = type;
            this.k = k;
            this.counts = counts;
        }

        @Override
        public void add(Object[] arguments, long timestamp) {
            Object v = arguments[0];
            if (v != null || kind == Kind.COLLECT_SET || kind == Kind.ATTR) {
                counts.merge(key(v), 1L, Long::sum);
            }
        }

        @Override
        public boolean canRetract() {
            return true;
        }

        @Override
        public void retract(Object[] arguments, long timestamp) {
            counts.computeIfPresent(key(arguments[0]), (v, n) -> n > 1 ? n - 1 : null);
        }

        @Override
        public void merge(Accumulator other) {
            ((Counts) other).counts.forEach((v, n) -> counts.merge(v, n, Long::sum));
        }

        @Override
        public Object result() {
            return switch (kind) {
                case COLLECT_SET -> counts.isEmpty() ? null
                        : Collections.unmodifiableList(counts.keySet().stream().map(Counts::value).toList());
                case COUNT_DISTINCT -> (long) counts.size();
                case ATTR -> counts.size() == 1 ? value(counts.keySet().iterator().next()) : null;
                case HISTOGRAM -> Collections.unmodifiableMap(new LinkedHashMap<>(counts));
                case TOPK, TOPKDISTINCT -> {
                    if (counts.isEmpty()) {
                        yield null;
                    }
                    List<Object> values = new ArrayList<>(counts.keySet().stream().map(Counts::value).toList());
                    values.sort(ValueOrder.NATURAL.reversed());
                    List<Object> out = new ArrayList<>(k);
                    for (Object v : values) {
                        long times = kind == Kind.TOPK ? counts.get(key(v)) : 1;
                        for (long i = 0; i < times && out.size() < k; i++) {
                            out.add(v);
                        }
                    }
                    yield Collections.unmodifiableList(out);
                }
            };
        }

        @Override
        public void write(DataOutput out) throws IOException {
            StateIo.writeVarLong(out, counts.size());
            for (Map.Entry<Object, Long> e : counts.entrySet()) {
                ValueCodec.write(out, type, value(e.getKey()));
                StateIo.writeVarLong(out, e.getValue());
            }
        }
    }
}
