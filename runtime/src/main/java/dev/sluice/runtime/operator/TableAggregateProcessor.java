package dev.sluice.runtime.operator;

import dev.sluice.serdes.row.Row;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.ContextualFixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;

/**
 * The second half of a table GROUP BY, after the repartition by group key: applies a change of
 * the group ({@link TableGroupChanges#pair}: the row to retract, the row to add) to the group's
 * state in {@code <step>-store} and forwards the new state (null when the group's last row left),
 * as Kafka Streams' KTable aggregate does: retract first, then add, the state stamped with the
 * later of the record's and the state's timestamps. Unlike the DSL's subtractor and adder, this
 * processor can reach a store: the MIN/MAX and DISTINCT calls keep their values in
 * {@link ValueCounts}' {@code <step>-values-store} instead of in the state, so an update costs
 * O(log n) in the group's size instead of a rewrite of the whole collection; ARRAY_AGG elements
 * and FIRST/LAST candidates are in {@link TableElements}' {@code <step>-elements-store}.
 */
public final class TableAggregateProcessor extends ContextualFixedKeyProcessor<Row, Row, AggregateState> {
    private final Aggregation aggregation;
    private final String stateStore;
    private final String valuesStore;
    private final Serializer<Row> keySerializer;
    private final boolean keepEmptied;
    private final String elementsStore;
    private final java.util.function.Function<KeyValueStore<Bytes, byte[]>, TableElements> elementsOf;
    private TimestampedKeyValueStore<Row, AggregateState> states;
    private ValueCounts values;
    private TableElements elements;

    /**
     * @param valuesStore {@link ValueCounts}' store, or null when no call keeps its values there
     * @param keepEmptied a group whose rows all left keeps its state (ksqlDB never deletes a group)
     */
    public TableAggregateProcessor(Aggregation aggregation, String stateStore, String valuesStore,
                                   Serializer<Row> keySerializer, boolean keepEmptied) {
        this(aggregation, stateStore, valuesStore, keySerializer, keepEmptied, null, null);
    }

    /**
     * As above; ARRAY_AGG elements and FIRST/LAST candidates kept in {@link TableElements}' store
     * {@code elementsStore} (null: none), through {@code elementsOf}.
     */
    public TableAggregateProcessor(Aggregation aggregation, String stateStore, String valuesStore,
                                   Serializer<Row> keySerializer, boolean keepEmptied, String elementsStore,
                                   java.util.function.Function<KeyValueStore<Bytes, byte[]>, TableElements> elementsOf) {
        this.elementsStore = elementsStore;
        this.elementsOf = elementsOf;
        this.aggregation = aggregation;
        this.stateStore = stateStore;
        this.valuesStore = valuesStore;
        this.keySerializer = keySerializer;
        this.keepEmptied = keepEmptied;
    }

    @Override
    public void init(FixedKeyProcessorContext<Row, AggregateState> context) {
        super.init(context);
        states = context.getStateStore(stateStore);
        if (valuesStore != null) {
            KeyValueStore<Bytes, byte[]> store = context.getStateStore(valuesStore);
            values = new ValueCounts(store, aggregation);
        }
        if (elementsStore != null) {
            elements = elementsOf.apply(context.getStateStore(elementsStore));
            elements.openEmissions(context.taskId(), true);
        }
    }

    @Override
    public void close() {
        if (elements != null) {
            elements.closeEmissions();
        }
    }

    @Override
    public void process(FixedKeyRecord<Row, Row> record) {
        Row change = record.value();
        if (change == null) {
            return;
        }
        Row old = (Row) change.get(0);
        Row now = (Row) change.get(1);
        if (values != null) {
            values.group(keySerializer.serialize(valuesStore, record.key()));
        }
        ValueAndTimestamp<AggregateState> held = states.get(record.key());
        AggregateState before = held == null ? null : held.value();
        long timestamp = held == null ? record.timestamp() : Math.max(record.timestamp(), held.timestamp());
        AggregateState state = values == null ? apply(old, now, before) : applyOrUndo(old, now, before);
        if (elements != null) {
            elements.update(record.key(), before == null ? null : old, now, state);
        }
        states.put(record.key(), state == null ? null : ValueAndTimestamp.make(state, timestamp));
        context().forward(record.withValue(state).withTimestamp(timestamp));
    }

    /**
     * The group's state after retracting {@code old} and adding {@code now}, computed in
     * {@code before}'s accumulators: it was deserialized from the store for this record, and only
     * whether it was null is used after this (the record forwards the new state alone).
     */
    private AggregateState apply(Row old, Row now, AggregateState before) {
        AggregateState state = before;
        if (old != null && state != null) {
            state = aggregation.retractInPlace(old, state, values, keepEmptied);
        }
        if (now != null) {
            state = aggregation.addInPlace(now, state == null ? aggregation.initial() : state, values);
        }
        return state;
    }

    /**
     * As {@link #apply}, undoing the record's writes to {@link ValueCounts}' store when it throws (a
     * Java aggregate's accumulate or retract): the record is dead-lettered and, as its state is not
     * written either, leaves no trace; else a value counted for it would later be retracted from an
     * accumulator that never saw it. The elements store is written only after this returns.
     */
    private AggregateState applyOrUndo(Row old, Row now, AggregateState before) {
        values.begin();
        try {
            AggregateState state = apply(old, now, before);
            values.commit();
            return state;
        } catch (RuntimeException | Error e) {
            values.rollback();
            throw e;
        }
    }
}
