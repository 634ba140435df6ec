package dev.sluice.runtime.operator;

import dev.sluice.runtime.function.Accumulator;
import dev.sluice.runtime.function.AccumulatorFactory;
import dev.sluice.serdes.binary.ValueCodec;
import dev.sluice.serdes.row.SqlType;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * What a table GROUP BY's FIRST/LAST keeps in the aggregate's value when its candidates are in
 * {@link TableElements}' store: only the candidate the function chooses, which
 * {@link TableElements#update} sets from the store after each change. The rows the aggregation
 * feeds it change nothing here (the store took them).
 */
final class ChosenCandidate implements Accumulator {
    private final SqlType type;
    private Object chosen;

    private ChosenCandidate(SqlType type, Object chosen) {
        this.type = type;
        this.chosen = chosen;
    }

    static AccumulatorFactory factory(SqlType type) {
        return new AccumulatorFactory() {
            @Override
            public Accumulator create() {
                return new ChosenCandidate(type, null);
            }

            @Override
            public Accumulator read(DataInput in) throws IOException {
                return new ChosenCandidate(type, ValueCodec.read(in, type));
            }
        };
    }

    void set(Object chosen) {
        this.chosen = chosen;
    }

    @Override
    public void add(Object[] arguments, long timestamp) {
        // the store holds the candidate; TableElements sets the choice
    }

    @Override
    public boolean canRetract() {
        return true;
    }

    @Override
    public void retract(Object[] arguments, long timestamp) {
        // as add
    }

    @Override
    public void merge(Accumulator other) {
        throw new UnsupportedOperationException("a table GROUP BY never merges");
    }

    @Override
    public Object result() {
        return chosen;
    }

    @Override
    public void write(DataOutput out) throws IOException {
        ValueCodec.write(out, type, chosen);
    }
}
