package dev.sluice.runtime.operator;

import dev.sluice.serdes.row.Row;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Two regular INNER joins on one key, {@code (first JOIN second) JOIN third}, as one operator: the
 * rows of each input are stored once, in the stores the two binary joins kept for them
 * ({@code <inner>-left-rows-store}, {@code <inner>-right-rows-store}, {@code <outer>-right-rows-store}),
 * and the inner join's result is never stored. Nexmark's q23 (each bid with its bidder and with the
 * auctions its bidder sells) is such a chain: as two binary joins, every bid is written twice, the
 * second time as the bid-and-person row the outer join keeps, the larger of the two.
 *
 * <p>Per record of one input: its row is stored, then the rows of the other two inputs under its
 * key are read and every combination is emitted, stamped as the binary joins would have. The
 * result is the binary joins' in their order: a first- or second-input record meets the other one's
 * rows in (event time, arrival) order and, for each, the third input's rows in that order, as the
 * outer join met them; a third-input record meets the pairs of the first two in the order the outer
 * join's store held them: by the pair's time (the later of the two rows'), then by when the pair was
 * made (the arrival of its later row, then the earlier row's time and arrival, the order in which
 * the inner join produced the pairs of that record). Arrival numbers come from one sequence across
 * the three stores ({@link JoinArrivals}) so that they compare across inputs.
 *
 * <p>Only for joins without a state TTL (the binary operator, {@link RegularInnerJoinProcessor},
 * expires rows by it). Rows are stamped as the binary joins stamped them (the later time, or a
 * rowtime column, see {@link Layout}). Three processors, one per input,
 * share the stores through one {@link JoinRowStores}, as a binary join's two do.
 */
public final class ThreeWayInnerJoinProcessor extends ContextualProcessor<Row, Row, Row, Row> {
    /** Which input this instance reads. */
    public enum Input { FIRST, SECOND, THIRD }

    /**
     * The three inputs' stores and row widths; the joined row is first, second, third columns. The
     * rowtime columns are the binary joins' ({@link RegularInnerJoinProcessor.Layout}): the inner's
     * index the pair (first, second) and the outer's the whole row; -1 stamps the later time.
     */
    public record Layout(String firstStore, String secondStore, String thirdStore, int firstWidth, int secondWidth,
                         int thirdWidth, int innerLeftRowtime, int innerRightRowtime, int outerLeftRowtime,
                         int outerRightRowtime) {
        String store(Input input) {
            return switch (input) {
                case FIRST -> firstStore;
                case SECOND -> secondStore;
                case THIRD -> thirdStore;
            };
        }
    }

    /** One stored row met by a lookup. */
    private record Met(long timestamp, long arrival, Row row) {
    }

    /** A first-input row and a second-input row that the inner join paired, stamped as it stamped them. */
    private record Pair(Met first, Met second, long timestamp) {
        Met later() {
            return first.arrival() > second.arrival() ? first : second;
        }

        Met earlier() {
            return first.arrival() > second.arrival() ? second : first;
        }
    }

    /** The order the outer join's store held the pairs in (see the class comment). */
    private static final Comparator<Pair> STORED_ORDER = Comparator.comparingLong(Pair::timestamp)
            .thenComparingLong(p -> p.later().arrival())
            .thenComparingLong(p -> p.earlier().timestamp())
            .thenComparingLong(p -> p.earlier().arrival());

    private final Input input;
    private final Layout layout;
    private final Serializer<Row> keySerializer;
    private final Serializer<Row> ownSerializer;
    private final Deserializer<Row> firstDeserializer;
    private final Deserializer<Row> secondDeserializer;
    private final Deserializer<Row> thirdDeserializer;
    private final JoinRowStores sharedRows;
    private final JoinArrivals sharedArrivals;
    private JoinRowStore own;
    private JoinRowStore first;
    private JoinRowStore second;
    private JoinRowStore third;
    private ArrivalSequence arrivals;

    public ThreeWayInnerJoinProcessor(Input input, Layout layout, Serde<Row> keySerde, Serde<Row> firstSerde,
                                      Serde<Row> secondSerde, Serde<Row> thirdSerde, JoinRowStores sharedRows,
                                      JoinArrivals sharedArrivals) {
        this.input = input;
        this.layout = layout;
        this.keySerializer = keySerde.serializer();
        this.ownSerializer = switch (input) {
            case FIRST -> firstSerde.serializer();
            case SECOND -> secondSerde.serializer();
            case THIRD -> thirdSerde.serializer();
        };
        this.firstDeserializer = firstSerde.deserializer();
        this.secondDeserializer = secondSerde.deserializer();
        this.thirdDeserializer = thirdSerde.deserializer();
        this.sharedRows = sharedRows;
        this.sharedArrivals = sharedArrivals;
    }

    @Override
    public void init(ProcessorContext<Row, Row> context) {
        super.init(context);
        KeyValueStore<Bytes, byte[]> ownStore = context.getStateStore(layout.store(input));
        own = sharedRows.open(context.taskId(), layout.store(input), ownStore);
        // the other inputs' processors open theirs in their init: found on the first record
        first = second = third = null;
        arrivals = null;
        if (input == Input.FIRST) {
            sharedArrivals.forget(context.taskId());
        }
    }

    @Override
    public void process(Record<Row, Row> record) {
        Row row = record.value();
        if (row == null || record.key() == null) {
            return;
        }
        if (first == null) {
            first = rowsOf(Input.FIRST);
            second = rowsOf(Input.SECOND);
            third = rowsOf(Input.THIRD);
            arrivals = sharedArrivals.of(context().taskId(), () -> new ArrivalSequence(
                    context().getStateStore(layout.firstStore()),
                    List.of(context().getStateStore(layout.secondStore()), context().getStateStore(layout.thirdStore()))));
        }
        // all three: another input's store may still be of an old format if it has had no record yet
        first.checkFormat();
        second.checkFormat();
        third.checkFormat();
        long ts = record.timestamp();
        JoinHeadCache.Key key = new JoinHeadCache.Key(JoinRowKeys.prefix(keySerializer.serialize(null, record.key())));
        own.add(key, ts, arrivals.next(), ownSerializer.serialize(null, row));
        switch (input) {
            case FIRST -> {
                List<Met> seconds = read(second, key, secondDeserializer);
                List<Met> thirds = seconds.isEmpty() ? List.of() : read(third, key, thirdDeserializer);
                Met arrived = new Met(ts, -1, row);
                for (Met s : seconds) {
                    long pairTime = pairStamp(row, s.row(), Math.max(ts, s.timestamp()));
                    for (Met t : thirds) {
                        emit(record, arrived, s, t, pairTime);
                    }
                }
            }
            case SECOND -> {
                List<Met> firsts = read(first, key, firstDeserializer);
                List<Met> thirds = firsts.isEmpty() ? List.of() : read(third, key, thirdDeserializer);
                Met arrived = new Met(ts, -1, row);
                for (Met f : firsts) {
                    long pairTime = pairStamp(f.row(), row, Math.max(ts, f.timestamp()));
                    for (Met t : thirds) {
                        emit(record, f, arrived, t, pairTime);
                    }
                }
            }
            case THIRD -> {
                List<Met> firsts = read(first, key, firstDeserializer);
                List<Met> seconds = firsts.isEmpty() ? List.of() : read(second, key, secondDeserializer);
                if (seconds.isEmpty()) {
                    return;
                }
                List<Pair> pairs = new ArrayList<>(firsts.size() * seconds.size());
                for (Met f : firsts) {
                    for (Met s : seconds) {
                        pairs.add(new Pair(f, s, pairStamp(f.row(), s.row(), Math.max(f.timestamp(), s.timestamp()))));
                    }
                }
                pairs.sort(STORED_ORDER);
                Met arrived = new Met(ts, -1, row);
                for (Pair p : pairs) {
                    emit(record, p.first(), p.second(), arrived, p.timestamp());
                }
            }
        }
    }

    private JoinRowStore rowsOf(Input which) {
        return which == input ? own : sharedRows.of(context().taskId(), layout.store(which));
    }

    /** The rows of {@code key} in {@code rows}, in (event time, arrival) order, each read once. */
    private static List<Met> read(JoinRowStore rows, JoinHeadCache.Key key, Deserializer<Row> deserializer) {
        List<Met> out = new ArrayList<>(2);
        rows.forEach(key, Long.MIN_VALUE, Long.MAX_VALUE,
                (JoinRowStore.ArrivalMatch) (timestamp, arrival, bytes) ->
                        out.add(new Met(timestamp, arrival, deserializer.deserialize(null, bytes))));
        return out;
    }

    /** The time the inner join stamped the pair with: its left rowtime column (or right's) or {@code later}. */
    private long pairStamp(Row firstRow, Row secondRow, long later) {
        if (layout.innerLeftRowtime() < 0) {
            return later;
        }
        Object ts = pairColumn(firstRow, secondRow, layout.innerLeftRowtime());
        if (ts == null && layout.innerRightRowtime() >= 0) {
            ts = pairColumn(firstRow, secondRow, layout.innerRightRowtime());
        }
        return ts instanceof Long t ? t : later;
    }

    private Object pairColumn(Row firstRow, Row secondRow, int column) {
        return column < layout.firstWidth() ? firstRow.get(column) : secondRow.get(column - layout.firstWidth());
    }

    /**
     * Emits the joined row of the three, stamped as the outer join stamped it: its left rowtime
     * column (or right's) or the later of the pair's time and the third row's.
     */
    private void emit(Record<Row, Row> record, Met f, Met s, Met t, long pairTime) {
        Row joined = joined(f.row(), s.row(), t.row());
        long later = Math.max(pairTime, t.timestamp());
        long timestamp = later;
        if (layout.outerLeftRowtime() >= 0) {
            Object ts = joined.get(layout.outerLeftRowtime());
            if (ts == null && layout.outerRightRowtime() >= 0) {
                ts = joined.get(layout.outerRightRowtime());
            }
            timestamp = ts instanceof Long l ? l : later;
        }
        context().forward(record.withValue(joined).withTimestamp(timestamp));
    }

    private Row joined(Row firstRow, Row secondRow, Row thirdRow) {
        Object[] out = new Object[layout.firstWidth() + layout.secondWidth() + layout.thirdWidth()];
        int at = 0;
        for (int i = 0; i < layout.firstWidth(); i++) {
            out[at++] = firstRow.get(i);
        }
        for (int i = 0; i < layout.secondWidth(); i++) {
            out[at++] = secondRow.get(i);
        }
        for (int i = 0; i < layout.thirdWidth(); i++) {
            out[at++] = thirdRow.get(i);
        }
        return new Row(out);
    }

    @Override
    public void close() {
        if (own != null) { // null if closed before init
            sharedRows.close(context().taskId(), layout.store(input), own);
        }
    }
}
