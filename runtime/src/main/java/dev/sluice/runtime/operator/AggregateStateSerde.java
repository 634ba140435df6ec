package dev.sluice.runtime.operator;

import dev.sluice.runtime.function.Accumulator;
import dev.sluice.runtime.function.AccumulatorFactory;
import dev.sluice.runtime.function.aggregate.ConstantArrayAgg;
import dev.sluice.serdes.binary.ByteArrayDataInput;
import dev.sluice.serdes.binary.ByteArrayDataOutput;
import dev.sluice.serdes.binary.ScratchOutput;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

import java.io.IOException;
import java.util.Arrays;

/**
 * Aggregation state in stores and changelogs: a format version byte, the group's row count (a
 * variable-length long), then each accumulator's own compact encoding. The version lets a later
 * Sluice read state written by this one, or refuse it clearly instead of misreading bytes. Version
 * 1 had no row count; its states were written by additions only, so they read as one row.
 * Version 3 is version 2 for a stream GROUP BY whose DISTINCT calls keep their values in
 * {@link DistinctValues}' store (a plain count here instead of a set); the two never read each other.
 * Versions 4 and 5: see their constants. Only version 1 is read by a query of another version.
 */
public final class AggregateStateSerde implements Serde<AggregateState> {
    static final byte VERSION = 2;
    /** Version 2 where DISTINCT calls keep their values in {@link DistinctValues}' store, not here. */
    static final byte VERSION_DISTINCT_IN_STORE = 3;
    /**
     * Version 2 for a table GROUP BY whose MIN/MAX and COUNT/SUM/AVG(DISTINCT) calls keep their
     * values in {@link ValueCounts}' store (an extreme or a plain count here, not a multiset).
     */
    static final byte VERSION_VALUES_IN_STORE = 4;
    /**
     * Version 2 for a window aggregate whose ARRAY_AGG / COLLECT_LIST calls keep their elements in
     * {@link ListElements}' store: an element count here ({@link ElementCount}) instead of the list.
     * Version 2 state of the same query holds the lists, which a count cannot be read from.
     */
    static final byte VERSION_LISTS_IN_STORE = 5;
    /**
     * Version 4 (or 3, 2 or 5) where PERCENTILE_CONT/DISC and TOPK/TOPKDISTINCT calls keep their
     * values in a store ({@link StoredMultiset}) and the state holds only their latest result
     * ({@link HeldResult}); it wins over 5 when a query has both.
     */
    static final byte VERSION_MULTISETS_IN_STORE = 6;
    /**
     * Version 6 where COUNT_DISTINCT and ATTR (and over a table APPROX_COUNT_DISTINCT and
     * APPROX_PERCENTILE) also keep their values in the store ({@link StoredMultiset},
     * {@link DistinctCounts}) and the state only their result: version 6 held their value → count maps.
     */
    static final byte VERSION_COUNTS_IN_STORE = 7;
    /**
     * A SESSION window aggregate whose PERCENTILE_CONT/DISC, TOPK/TOPKDISTINCT and ARRAY_AGG /
     * COLLECT_LIST calls keep their values in {@link SessionCollections}' store: their result (or
     * element count) here, where version 2 or 3 held the multiset or the list.
     */
    static final byte VERSION_SESSION_COLLECTIONS_IN_STORE = 8;
    /**
     * Any of the above for a GROUP BY without time window (of a stream, or over a table) where
     * ARRAY_AGG / COLLECT_LIST, or FIRST/LAST over a table, keep their elements in a store beside
     * the state ({@link ListElements}, {@link TableElements}): a count or the held result here. It
     * wins over every other version: the same query's older state holds the lists.
     */
    static final byte VERSION_ELEMENTS_BESIDE = 9;
    /**
     * Version 9 where an ARRAY_AGG with ORDER BY or DISTINCT, or a FIRST/LAST with ORDER BY or
     * DISTINCT, keeps its elements in a store beside the state ({@link TableElements}: keyed by
     * sort key, or one entry per DISTINCT value): a count or the held result here, where version 2
     * (or 9, for the other calls) held the whole list or every candidate. Wins as 9 does.
     */
    static final byte VERSION_SORTED_ELEMENTS = 11;
    /**
     * A SESSION window aggregate whose COUNT_DISTINCT, ATTR or DISTINCT percentiles and TOPK keep
     * their values in {@link SessionCollections}' store (a held result here where version 2 held
     * the value → count map or the set), or whose MIN, MAX, COUNT_IF, BOOL_AND or BOOL_OR (DISTINCT)
     * keep theirs in {@link SessionDistinctValues}' store (a plain accumulator here where version 2,
     * 3 or 8 of the same query held the set): {@link SessionStateFormat}.
     */
    static final byte VERSION_SESSION_DISTINCT_IN_STORE = 12;
    /**
     * Any of the above where a DISTINCT call moved its values out of the state: over a stream a
     * DISTINCT percentile, TOPK, COUNT_DISTINCT or ATTR counted in {@code <step>-values-store}
     * ({@link StoredMultiset}, its result here, where 3, 6 and 7 held a multiset or a value → count
     * map), over a table a DISTINCT STDDEV/VAR_*, CORRELATION, COUNT_IF or BOOL_AND/OR whose values
     * are counted there (a plain accumulator here, where 2, 4, 6, 7 and 9 held value → count). It
     * wins over every other version: the same query's older state holds the collections.
     */
    static final byte VERSION_DISTINCT_BESIDE = 13;
    /**
     * Any of the above where COLLECT_SET / HISTOGRAM calls keep their values beside the state
     * ({@link ValueSets}, in {@link ListElements}' or {@link TableElements}' store): a row count
     * here ({@link ElementCount}) where older versions held the value → count map. It wins over 9
     * and 5; see {@link #VERSION_SETS_AND_SORTED} for a step that also keeps ORDER BY lists beside.
     */
    static final byte VERSION_SETS_IN_STORE = 10;
    /**
     * Versions 10 and 11 at once: a step whose COLLECT_SET / HISTOGRAM values ({@link ValueSets})
     * and whose ORDER BY or DISTINCT ARRAY_AGG / FIRST / LAST elements both live beside the state.
     * A state of format 10 of the same query holds the ORDER BY lists, one of format 11 the
     * value → count maps, so neither can be read as this one. Precedence in
     * {@link Aggregation#serde}: 13 (DISTINCT values beside) first, then this, 11, 10, 9, 5.
     */
    static final byte VERSION_SETS_AND_SORTED = 14;
    /**
     * Any of the above where COUNT_DISTINCT, ATTR (or a table's APPROX_COUNT_DISTINCT), DISTINCT or
     * not, over a type without an ordered encoding (BYTES, VARIANT, ARRAY, MAP, ROW) keep their
     * values in {@code <step>-values-store} keyed by {@link EqualityKeyBytes}: a held result here
     * where every older version held the value → count map or the set. Also the DISTINCT calls whose
     * arguments hold a MAP or VARIANT, which {@code <step>-distinct-store} and a table's
     * {@code <step>-values-store} key by equality key since ({@link DistinctArgumentKeys}; before,
     * by an encoding that wrote map entries in arrival order). Wins over every other version, 16 and 18
     * too: the tag only tells old state apart, the calls' factories decide the layout.
     */
    static final byte VERSION_EQUALITY_KEYS = 15;
    /**
     * A SESSION window aggregate whose COLLECT_SET, HISTOGRAM, ARRAY_AGG with ORDER BY or DISTINCT,
     * or FIRST/LAST with DISTINCT keep their elements in {@link SessionCollections}' store
     * ({@link SessionOrderedElements}): a row count here where older versions held the list, the
     * value → count map or the set. Wins over 12 and 8 ({@link SessionStateFormat}).
     */
    static final byte VERSION_SESSION_ORDERED_IN_STORE = 16;
    /**
     * Version 12 (or 8, 3, 2) of a SESSION window aggregate whose STDDEV/VAR_*, CORRELATION or
     * STDDEV_SAMPLE (DISTINCT) keep their values in {@link SessionDistinctValues}' store (a plain
     * accumulator here), whose APPROX_PERCENTILE(DISTINCT) counts them in {@link SessionCollections}'
     * (a held result here), or whose APPROX_COUNT_DISTINCT(DISTINCT) is the plain sketch: older
     * versions of the same query held the set. {@link SessionStateFormat}; wins over 12.
     */
    static final byte VERSION_SESSION_DISTINCT_ROUNDING = 17;
    /**
     * Any of the above where a step with a DISTINCT call keeps its collections beside the state:
     * over a stream (GROUP BY, TUMBLE, HOP, CUMULATE) ARRAY_AGG with or without DISTINCT / ORDER BY,
     * COLLECT_SET and HISTOGRAM with or without DISTINCT in {@link ListElements}' store, over a
     * table COLLECT_SET(DISTINCT) and HISTOGRAM(DISTINCT) in {@link TableElements}' ({@link ValueSets}):
     * a count here, where the same query's older state (3, 13, 11, ...) held the list, set or map.
     * It wins over every other version, 13 included.
     */
    static final byte VERSION_DISTINCT_ELEMENTS = 18;
    /**
     * Any of the above where an ARRAY_AGG / COLLECT_LIST's element is a constant (DISTINCT, ORDER BY
     * and FILTER or not): a row count here ({@link ConstantArrayAgg}) where every older version held
     * the list of copies. Wins over every other version, whatever the step passes: the tag only tells
     * old state apart, the calls' factories decide the layout.
     */
    static final byte VERSION_CONSTANT_LISTS = 19;
    /**
     * Any of the above for a GROUP BY over a table where {@code agg(DISTINCT x)} of a function
     * outside formats 4 and 13 whose plain accumulator retracts (ksqlDB's STDDEV_SAMPLE, SUM_LIST, a
     * Java aggregate with {@code retract}) counts its values in {@code <step>-values-store}, its
     * plain accumulator here fed first arrivals and last departures ({@link TableDistinctCalls}),
     * where every older version held the value → count map. Wins over every other version, 19 too:
     * the same query's older state holds the map whatever else it holds.
     */
    static final byte VERSION_TABLE_DISTINCT_RETRACTING = 20;
    /**
     * Any of the above where an ARRAY_AGG / COLLECT_LIST of a non-constant element with a constant
     * ORDER BY key runs without that key ({@link ConstantSortKeys}: its elements beside the state,
     * a count here), or where an {@code ARRAY_AGG(DISTINCT c ORDER BY k)} of a constant c over a table
     * or a session window counts its distinct keys in {@code <step>-values-store} /
     * {@code <step>-distinct-store} (a plain {@link ConstantArrayAgg} count here): every older version
     * of the same query held that list, or the set of keys, in the value. Wins over every other
     * version but 20, 19 included (the calls' factories decide the layout; a step with a format-20
     * call too is tagged 20, see Aggregation#serde).
     */
    static final byte VERSION_CONSTANT_SORT_KEYS = 21;
    /**
     * Any of the above for a stream GROUP BY without a window whose DISTINCT calls are marked by
     * {@link DistinctValues}: its {@code <step>-distinct-store} holds one entry per (group, argument
     * values) with the bits of the calls that saw them ({@link CallBits}), where every older version
     * held one entry per (group, call, values). The state here is laid out as before; the tag tells
     * the old store apart, so it wins over every other version (the same query's older state, of
     * whatever version, came with the old store).
     */
    static final byte VERSION_DISTINCT_PER_VALUE = 22;
    private static final byte VERSION_WITHOUT_ROWS = 1;
    private final AccumulatorFactory[] factories;
    private final byte version;

    AggregateStateSerde(AccumulatorFactory[] factories, byte version) {
        this.factories = factories;
        this.version = version == VERSION_TABLE_DISTINCT_RETRACTING || version == VERSION_CONSTANT_SORT_KEYS
                || version == VERSION_DISTINCT_PER_VALUE ? version
                : Arrays.stream(factories).anyMatch(ConstantArrayAgg::counts) ? VERSION_CONSTANT_LISTS : version;
    }

    /** Made once: a store's StateSerdes asks the serde for its serializer on every record. */
    private final Serializer<AggregateState> serializer = this::serialize;
    private final Deserializer<AggregateState> deserializer = this::deserialize;

    @Override
    public Serializer<AggregateState> serializer() {
        return serializer;
    }

    private byte[] serialize(String topic, AggregateState state) {
        if (state == null) {
            return null;
        }
        // the thread's reused buffer: the only allocation is the exact-length result
        ByteArrayDataOutput out = ScratchOutput.take();
        try {
            out.writeByte(version);
            dev.sluice.runtime.function.aggregate.StateIo.writeVarLong(out, state.rows);
            for (Accumulator acc : state.accumulators) {
                acc.write(out);
            }
            return out.copyBytes();
        } catch (IOException e) {
            throw new SerializationException("cannot write aggregation state", e);
        } finally {
            ScratchOutput.give(out);
        }
    }

    @Override
    public Deserializer<AggregateState> deserializer() {
        return deserializer;
    }

    private AggregateState deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        try {
            ByteArrayDataInput in = new ByteArrayDataInput(data);
            byte version = in.readByte();
            long rows = 1;
            if (version == this.version) {
                rows = dev.sluice.runtime.function.aggregate.StateIo.readVarLong(in);
            } else if (version != VERSION_WITHOUT_ROWS || this.version != VERSION) {
                // A DISTINCT call's accumulator is a set in one layout and a plain count in the
                // other: reading one as the other would misread bytes.
                throw new SerializationException("aggregation state of " + topic + " has format version "
                        + version + "; this query reads version " + this.version
                        + " (2: every value in the aggregate's state, 3: DISTINCT values in their own store,"
                        + " 4: a table's MIN/MAX and DISTINCT values in their own store, 5: ARRAY_AGG elements in"
                        + " their own store, 6: percentiles' and TOPK's values in their own store, 7: also"
                        + " COUNT_DISTINCT's, ATTR's and a table's APPROX_*'s, 8: a session window's"
                        + " percentiles', TOPK's and ARRAY_AGG's values in their own store, 9: a GROUP BY's"
                        + " ARRAY_AGG elements or a table's FIRST/LAST candidates in their own store, 10: also"
                        + " COLLECT_SET's and HISTOGRAM's values in their own store, 11: also"
                        + " ARRAY_AGG's with ORDER BY or DISTINCT, a table's FIRST/LAST's with them, 12: a session"
                        + " window's COUNT_DISTINCT, ATTR and other DISTINCT calls' values in their own store, 13: the"
                        + " values of DISTINCT percentiles, TOPK, COUNT_DISTINCT and ATTR over a stream, or of a table's"
                        + " other DISTINCT calls, in their own store, 14: 10 and 11 at once, 15: also"
                        + " COUNT_DISTINCT's and ATTR's over BYTES, VARIANT, ARRAY, MAP or ROW, and other DISTINCT"
                        + " calls' values holding a MAP or VARIANT, by equality key, 16: a session window's"
                        + " COLLECT_SET, HISTOGRAM, ARRAY_AGG with ORDER BY or DISTINCT and FIRST/LAST with DISTINCT"
                        + " in their own store, 17: also a session window's STDDEV/VAR_*, CORRELATION, STDDEV_SAMPLE"
                        + " and APPROX_* with DISTINCT, 18: a step's collections beside its DISTINCT calls, DISTINCT"
                        + " ones too, 19: ARRAY_AGG / COLLECT_LIST of a constant as a row count, 20: a table's"
                        + " DISTINCT STDDEV_SAMPLE, SUM_LIST and Java aggregates' values in their own store, 21: ARRAY_AGG"
                        + " with a constant ORDER BY key in arrival order beside the state, ARRAY_AGG(DISTINCT"
                        + " constant ORDER BY k) of a table or session counting its keys in their own store, 22: a"
                        + " stream GROUP BY's DISTINCT values one entry per group and value in their own store);"
                        + " state written"
                        + " by another Sluice version cannot be read: start the application afresh"
                        + " (sluice run --reset-incompatible-state)");
            }
            Accumulator[] accs = new Accumulator[factories.length];
            for (int i = 0; i < accs.length; i++) {
                accs[i] = factories[i].read(in);
            }
            return new AggregateState(accs, rows);
        } catch (IOException e) {
            throw new SerializationException("cannot read aggregation state of " + topic, e);
        }
    }
}
