package dev.sluice.runtime.operator;

import dev.sluice.serdes.row.Row;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A pane partial as it crosses a pre-aggregated window aggregate's repartition topic (state format
 * {@link #STATE_FORMAT}): the accumulators of some records of one group key and pane, merged by
 * {@link PanePreAggregate}, which {@link PaneWindowAggregate} merges into its pane as it added a
 * record (a record is a partial of one). On the heap it is a row of one column holding the
 * {@link AggregateState}, so that the stream between them stays a stream of rows (the late guard
 * reads only its time); on the topic it is the state's own encoding ({@link AggregateStateSerde}).
 */
public final class PanePartial {
    /** The topic's record shape: partials where format 24 and before carried input rows. */
    public static final int STATE_FORMAT = 25;

    private PanePartial() {
    }

    static Row of(AggregateState state) {
        return new Row(new Object[] {state});
    }

    static AggregateState state(Row partial) {
        return (AggregateState) partial.get(0);
    }

    /** The topic's value serde over the aggregation's state serde; null stays null. */
    public static Serde<Row> serde(Aggregation aggregation) {
        AggregateStateSerde states = aggregation.serde();
        Serializer<Row> serializer = (topic, row) -> row == null ? null
                : states.serializer().serialize(topic, state(row));
        Deserializer<Row> deserializer = (topic, bytes) -> bytes == null ? null
                : of(states.deserializer().deserialize(topic, bytes));
        return Serdes.serdeFrom(serializer, deserializer);
    }
}
