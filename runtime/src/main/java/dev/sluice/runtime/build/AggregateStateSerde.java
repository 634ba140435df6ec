package dev.sluice.runtime.build;

import dev.sluice.runtime.function.Accumulator;
import dev.sluice.runtime.function.AccumulatorFactory;
import dev.sluice.serdes.binary.ByteArrayDataInput;
import dev.sluice.serdes.binary.ByteArrayDataOutput;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

import java.io.IOException;

/**
 * Aggregation state in stores and changelogs: a format version byte, the group's row count (a
 * variable-length long), then each accumulator's own compact encoding. The version lets a later
 * Sluice read state written by this one, or refuse it clearly instead of misreading bytes. Version
 * 1 had no row count; its states were written by additions only, so they read as one row.
 */
final class AggregateStateSerde implements Serde<AggregateState> {
    static final byte VERSION = 2;
    private static final byte VERSION_WITHOUT_ROWS = 1;
    private final AccumulatorFactory[] factories;

    AggregateStateSerde(AccumulatorFactory[] factories) {
        this.factories = factories;
    }

    @Override
    public Serializer<AggregateState> serializer() {
        return (topic, state) -> {
            if (state == null) {
                return null;
            }
            try {
                ByteArrayDataOutput out = new ByteArrayDataOutput(64);
                out.writeByte(VERSION);
                dev.sluice.runtime.function.aggregate.StateIo.writeVarLong(out, state.rows);
                for (Accumulator acc : state.accumulators) {
                    acc.write(out);
                }
                return out.toByteArray();
            } catch (IOException e) {
                throw new SerializationException("cannot write aggregation state", e);
            }
        };
    }

    @Override
    public Deserializer<AggregateState> deserializer() {
        return (topic, data) -> {
            if (data == null) {
                return null;
            }
            try {
                ByteArrayDataInput in = new ByteArrayDataInput(data);
                byte version = in.readByte();
                long rows = 1;
                if (version == VERSION) {
                    rows = dev.sluice.runtime.function.aggregate.StateIo.readVarLong(in);
                } else if (version != VERSION_WITHOUT_ROWS) {
                    throw new SerializationException("aggregation state of " + topic + " has format version "
                            + version + "; this Sluice reads version " + VERSION);
                }
                Accumulator[] accs = new Accumulator[factories.length];
                for (int i = 0; i < accs.length; i++) {
                    accs[i] = factories[i].read(in);
                }
                return new AggregateState(accs, rows);
            } catch (IOException e) {
                throw new SerializationException("cannot read aggregation state of " + topic, e);
            }
        };
    }
}
