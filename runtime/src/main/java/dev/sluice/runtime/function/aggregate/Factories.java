package dev.sluice.runtime.function.aggregate;

import dev.sluice.runtime.function.Accumulator;
import dev.sluice.runtime.function.AccumulatorFactory;

import java.io.DataInput;
import java.io.IOException;
import java.util.function.Supplier;

/** Builds an {@link AccumulatorFactory} from two lambdas, so each function needs no factory class. */
final class Factories {
    private Factories() {
    }

    @FunctionalInterface
    interface Reader {
        Accumulator read(DataInput in) throws IOException;
    }

    static AccumulatorFactory of(Supplier<? extends Accumulator> create, Reader reader) {
        return new AccumulatorFactory() {
            @Override
            public Accumulator create() {
                return create.get();
            }

            @Override
            public Accumulator read(DataInput in) throws IOException {
                return reader.read(in);
            }
        };
    }
}
